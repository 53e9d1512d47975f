import Foundation
import XCTest
@testable import Audio

/// Helpers shared by the Audio tests: temporary folders, test signals, a direct DFT.
enum AudioTestSupport {
    /// A fresh temporary directory removed when `test` finishes.
    static func temporaryDirectory(_ test: XCTestCase) throws -> URL {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("melcnn-audio-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        test.addTeardownBlock { try? FileManager.default.removeItem(at: dir) }
        return dir
    }

    /// `amplitude * sin(2 pi f t + phase)` sampled at `sampleRate`.
    static func sine(frequency: Double, sampleRate: Int, seconds: Double, amplitude: Double = 0.5,
                     phase: Double = 0) -> [Float] {
        let n = Int(seconds * Double(sampleRate))
        return (0 ..< n).map { Float(amplitude * sin(2 * .pi * frequency * Double($0) / Double(sampleRate) + phase)) }
    }

    /// Interleaves equal-length channels (`l0 r0 l1 r1 ...`).
    static func interleave(_ channels: [[Float]]) -> [Float] {
        var out: [Float] = []
        out.reserveCapacity(channels.count * channels[0].count)
        for i in 0 ..< channels[0].count { for c in channels { out.append(c[i]) } }
        return out
    }

    /// Amplitude of the component at `frequency` (Hz): |DFT| at that exact frequency over a
    /// Hann-windowed slice, normalised so a sine of amplitude A gives A.
    static func amplitude(of x: ArraySlice<Float>, at frequency: Double, sampleRate: Int) -> Double {
        let n = x.count
        var re = 0.0, im = 0.0, windowSum = 0.0
        for (k, v) in x.enumerated() {
            let w = 0.5 - 0.5 * cos(2 * .pi * Double(k) / Double(n))
            let phase = 2 * .pi * frequency * Double(k) / Double(sampleRate)
            re += w * Double(v) * cos(phase)
            im -= w * Double(v) * sin(phase)
            windowSum += w
        }
        return 2 * (re * re + im * im).squareRoot() / windowSum
    }

    /// The frequency in `candidates` with the largest DFT amplitude.
    static func peakFrequency(of x: ArraySlice<Float>, candidates: [Double], sampleRate: Int) -> Double {
        let amplitudes = candidates.map { amplitude(of: x, at: $0, sampleRate: sampleRate) }
        return candidates[amplitudes.indices.max { amplitudes[$0] < amplitudes[$1] }!]
    }

    static func maxAbsDifference(_ a: some Collection<Float>, _ b: some Collection<Float>) -> Float {
        zip(a, b).reduce(0) { max($0, abs($1.0 - $1.1)) }
    }

    /// Asserts that `body` throws an `AudioError` matching `expected` and naming `path`.
    static func assertThrows(_ path: String, file: StaticString = #filePath, line: UInt = #line,
                             _ body: () throws -> Void, matches expected: (AudioError) -> Bool) {
        do {
            try body()
            XCTFail("expected an AudioError for \(path)", file: file, line: line)
        } catch let error as AudioError {
            XCTAssertTrue(expected(error), "unexpected error: \(error)", file: file, line: line)
            XCTAssertTrue(error.description.contains(path), "message does not name the file: \(error)", file: file, line: line)
            XCTAssertFalse(error.description.contains("\n"), "message is not one line: \(error)", file: file, line: line)
        } catch {
            XCTFail("expected an AudioError, got \(error)", file: file, line: line)
        }
    }
}
