import Audio
import Foundation
@testable import MelCNN
import XCTest

final class SynthTests: XCTestCase {
    func temporaryDirectory() throws -> URL {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("melcnn-synth-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        addTeardownBlock { try? FileManager.default.removeItem(at: dir) }
        return dir
    }

    func testClipIsDeterministicAndSeedDependent() throws {
        let a = try Synth.renderClip(genre: "jazz", index: 3, seed: 7, seconds: 1.5, sampleRate: 16000)
        let b = try Synth.renderClip(genre: "jazz", index: 3, seed: 7, seconds: 1.5, sampleRate: 16000)
        let c = try Synth.renderClip(genre: "jazz", index: 4, seed: 7, seconds: 1.5, sampleRate: 16000)
        let d = try Synth.renderClip(genre: "jazz", index: 3, seed: 8, seconds: 1.5, sampleRate: 16000)
        XCTAssertEqual(a.count, 24000)
        XCTAssertEqual(a, b)
        XCTAssertNotEqual(a, c)
        XCTAssertNotEqual(a, d)
    }

    func testEveryGenreIsAudibleAndInRange() throws {
        for genre in Synth.genreNames {
            let x = try Synth.renderClip(genre: genre, index: 0, seed: 1, seconds: 2, sampleRate: 22050)
            let stats = AudioStatistics(samples: x)
            XCTAssertLessThanOrEqual(stats.peak, 1, genre)
            XCTAssertGreaterThan(stats.rmsDBFS, -40, genre)
            XCTAssertFalse(x.contains { !$0.isFinite }, genre)
        }
    }

    func testGenreDistributionsDifferInTempoAndTimbre() throws {
        // Two clips of one genre differ (a distribution, not a template).
        let a = try Synth.renderClip(genre: "rock", index: 0, seconds: 1, sampleRate: 8000)
        let b = try Synth.renderClip(genre: "rock", index: 1, seconds: 1, sampleRate: 8000)
        XCTAssertNotEqual(a, b)
    }

    func testFolderLayoutAndParallelDeterminism() throws {
        let dir1 = try temporaryDirectory(), dir2 = try temporaryDirectory()
        let options = Synth.Options(genres: 3, perGenre: 2, seconds: 1, sampleRate: 8000, seed: 5, jobs: 2)
        let paths = try Synth.generate(into: dir1, options: options)
        XCTAssertEqual(paths, ["blues/blues.00000.wav", "blues/blues.00001.wav", "classical/classical.00000.wav",
                               "classical/classical.00001.wav", "country/country.00000.wav", "country/country.00001.wav"])
        var serial = options
        serial.jobs = 1
        try Synth.generate(into: dir2, options: serial)
        for path in paths {
            let f1 = dir1.appendingPathComponent(path).path, f2 = dir2.appendingPathComponent(path).path
            let info = try AudioFile.info(f1)
            XCTAssertEqual(info.sampleRate, 8000)
            XCTAssertEqual(info.channels, 1)
            XCTAssertEqual(info.frames, 8000)
            XCTAssertEqual(info.subtype, "PCM_16")
            XCTAssertEqual(FileManager.default.contents(atPath: f1), FileManager.default.contents(atPath: f2), path)
        }
        // A clip does not depend on how many genres or clips were generated with it.
        let alone = try Synth.renderClip(genre: "classical", index: 1, seed: 5, seconds: 1, sampleRate: 8000)
        let decoded = try AudioFile.load(dir1.appendingPathComponent("classical/classical.00001.wav").path, sampleRate: nil)
        XCTAssertEqual(decoded.samples.count, alone.count)
        for i in stride(from: 0, to: alone.count, by: 97) {
            XCTAssertEqual(decoded.samples[i], alone[i], accuracy: 1.0 / 32767 + 1e-6)
        }
        let contents = try FileManager.default.contentsOfDirectory(atPath: dir1.path).sorted()
        XCTAssertEqual(contents, ["blues", "classical", "country"])
    }

    func testBadOptionsAreErrors() {
        XCTAssertThrowsError(try Synth.generate(into: URL(fileURLWithPath: "/tmp/x"), options: .init(genres: 11))) {
            guard case SynthError.badParameter(let error) = $0 else { return XCTFail("\($0)") }
            XCTAssertEqual(error, ParameterError("genres", " must be 1...10, got 11"))
        }
        XCTAssertThrowsError(try Synth.renderClip(genre: "polka", index: 0))
    }
}
