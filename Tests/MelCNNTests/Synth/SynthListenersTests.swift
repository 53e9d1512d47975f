import XCTest
@testable import MelCNN

final class SynthListenersTests: XCTestCase {
    /// Listeners' tracks come mostly from one or two genres, ids are the synth clip paths,
    /// and the output depends only on the options.
    func testListenersPreferGenresAndUseClipPaths() throws {
        let options = SynthListeners.Options(listeners: 50, genres: 4, perGenre: 10, minTracks: 8, maxTracks: 12, seed: 3)
        let bytes = try SynthListeners.csv(options: options)
        XCTAssertEqual(bytes, try SynthListeners.csv(options: options))
        let lines = String(decoding: bytes, as: UTF8.self).split(separator: "\n").map(String.init)
        XCTAssertEqual(lines[0], "user,track,count")
        var byUser: [String: [String]] = [:]
        let clips = Set((0 ..< 4).flatMap { g in (0 ..< 10).map { Synth.relativePath(genre: Synth.genreNames[g], index: $0) } })
        for line in lines.dropFirst() {
            let f = line.split(separator: ",").map(String.init)
            XCTAssertTrue(clips.contains(f[1]), f[1])
            XCTAssertGreaterThanOrEqual(Int(f[2])!, 1)
            byUser[f[0], default: []].append(String(f[1].split(separator: "/")[0]))
        }
        XCTAssertEqual(byUser.count, 50)
        var topShare = 0.0
        for genres in byUser.values {
            XCTAssertTrue((8 ... 12).contains(genres.count))
            let counts = Dictionary(grouping: genres, by: { $0 }).values.map(\.count).sorted(by: >)
            topShare += Double(counts.prefix(2).reduce(0, +)) / Double(genres.count)
        }
        // Two of four genres would hold 50% of a listener's tracks at random; favourites ~85%+.
        XCTAssertGreaterThan(topShare / 50, 0.8)
    }

    func testBadOptionsNameTheParameter() {
        XCTAssertThrowsError(try SynthListeners.csv(options: .init(listeners: 0))) {
            guard case SynthError.badParameter(let error) = $0 else { return XCTFail("\($0)") }
            XCTAssertEqual(error.parameter, "listeners")
        }
        XCTAssertThrowsError(try SynthListeners.csv(options: .init(listeners: 1, minTracks: 5, maxTracks: 2))) {
            guard case SynthError.badParameter(let error) = $0 else { return XCTFail("\($0)") }
            XCTAssertEqual(error.parameter, "tracksPerListener")
            XCTAssertFalse("\($0)".contains("--"), "\($0)")
        }
    }
}
