@testable import DSP
import XCTest

/// `StreamingHPSS` fed runs of STFT frames gives `hpss(y)`'s waveforms bit for bit.
final class StreamingHPSSTests: XCTestCase {
    func testWaveformsEqualOneShot() throws {
        let parameters = STFTParameters()
        for n in [1, 700, 20_000, 200_003] {
            let y = toneAndClicks(n, seed: UInt64(n))
            let expected = try hpss(y)
            var framer = try StreamingFrames(parameters: parameters)
            let uncentred = framer.uncentred
            var streaming = try StreamingHPSS(parameters: parameters)
            var harmonic: [Float] = [], percussive: [Float] = []
            func run(_ first: Int, _ count: Int, _ segment: [Float]) throws {
                let D = try stft(segment, parameters: uncentred)
                streaming.push(stft: D, magnitude: D.magnitude(), harmonicOut: { harmonic += $0 },
                               percussiveOut: { percussive += $0 })
            }
            try blockReader(y, sizes: [3333])({ try framer.push($0, run) })
            try framer.finish(run)
            streaming.finish(length: n, harmonicOut: { harmonic += $0 }, percussiveOut: { percussive += $0 })
            XCTAssertEqual(harmonic.map(\.bitPattern), expected.harmonic.map(\.bitPattern), "harmonic, \(n) samples")
            XCTAssertEqual(percussive.map(\.bitPattern), expected.percussive.map(\.bitPattern), "percussive, \(n) samples")
        }
    }
}
