import Foundation
import TestSupport
import XCTest
@testable import Audio

/// Real music (Debian's game-music packages, installed by scripts/install-deps.sh) decodes
/// to what soundfile decodes: same frames, rate and channels, samples within float rounding,
/// and the files soundfile refuses are refused. Fixture: Tests/Fixtures/generate_real_audio_fixture.py.
final class RealMusicFixtureTests: XCTestCase {
    struct Fixture: Decodable {
        struct Excerpt: Decodable {
            var start: Int
            var frames: Int
            var f32le: String
        }
        struct Entry: Decodable {
            var package: String
            var path: String
            var decoded: Bool
            var frames: Int?
            var sample_rate: Int?
            var channels: Int?
            var sum_squares: Double?
            var excerpts: [Excerpt]?
            var error: String?
        }
        var packages: [String]
        var files: [Entry]
    }

    static let fixtureURL = Repository.fixtures.appendingPathComponent("real_music/fixture.json")

    /// Largest difference allowed between melcnn's and soundfile's float samples (the system
    /// libvorbis and the one in soundfile's wheel may round the last bit differently).
    static let sampleTolerance: Float = 1e-5

    func testEveryFileDecodesLikeSoundfile() throws {
        let fixture = try JSONDecoder().decode(Fixture.self, from: Data(contentsOf: Self.fixtureURL))
        let present = fixture.files.filter { FileManager.default.fileExists(atPath: $0.path) }
        let missing = Set(fixture.files.map(\.package)).subtracting(present.map(\.package))
        try XCTSkipIf(present.isEmpty, "none of \(fixture.packages.joined(separator: ", ")) is installed (scripts/install-deps.sh installs them)")
        if !missing.isEmpty { print("RealMusicFixtureTests: not installed, not checked: \(missing.sorted().joined(separator: ", "))") }
        for entry in present {
            if entry.decoded {
                try check(entry)
            } else {
                XCTAssertThrowsError(try AudioFile.load(entry.path, sampleRate: nil, mono: false),
                                     "\(entry.path): soundfile refuses it (\(entry.error ?? "")), melcnn must too")
            }
        }
    }

    private func check(_ entry: Fixture.Entry) throws {
        let signal = try AudioFile.load(entry.path, sampleRate: nil, mono: false)
        let channels = signal.channelCount, frames = signal.samples.count / max(channels, 1)
        XCTAssertEqual(frames, entry.frames, "\(entry.path): frames")
        XCTAssertEqual(signal.sampleRate, entry.sample_rate, "\(entry.path): sample rate")
        XCTAssertEqual(channels, entry.channels, "\(entry.path): channels")
        guard frames == entry.frames else { return }
        let info = try AudioFile.info(entry.path)
        XCTAssertEqual(try AudioStatistics.measure(entry.path).decodedFrames, frames, "\(entry.path): info's decoded count")
        XCTAssertNotNil(info.frames, "\(entry.path): a complete file has a header frame count")
        var sumSquares = 0.0
        for v in signal.samples { sumSquares += Double(v) * Double(v) }
        let expected = entry.sum_squares ?? 0
        XCTAssertEqual(sumSquares, expected, accuracy: max(1e-9, expected * 1e-5), "\(entry.path): sum of squares")
        for excerpt in entry.excerpts ?? [] {
            let bytes = try XCTUnwrap(Data(base64Encoded: excerpt.f32le))
            let want = bytes.withUnsafeBytes { Array($0.bindMemory(to: Float.self)) }  // little-endian host
            var worst: Float = 0
            for i in 0 ..< excerpt.frames {
                for c in 0 ..< channels {
                    worst = max(worst, abs(signal.samples[c * frames + excerpt.start + i] - want[i * channels + c]))
                }
            }
            XCTAssertLessThanOrEqual(worst, Self.sampleTolerance, "\(entry.path): frames \(excerpt.start)... differ by \(worst)")
        }
    }
}
