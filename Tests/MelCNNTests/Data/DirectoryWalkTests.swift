import Audio
import Foundation
import XCTest
@testable import MelCNN

/// The one folder walk: links followed, loops stopped, names that are not UTF-8 kept, every
/// entry not used reported with its reason. Each test builds its links in a temporary folder.
final class DirectoryWalkTests: XCTestCase {
    private var dir: URL!

    override func setUpWithError() throws {
        dir = FileManager.default.temporaryDirectory.appendingPathComponent("melcnn-walk-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        addTeardownBlock { [dir] in
            _ = try? Process.run(URL(fileURLWithPath: "/bin/chmod"), arguments: ["-R", "u+rwx", dir!.path]).waitUntilExit()
            try? FileManager.default.removeItem(at: dir!)
        }
    }

    private func path(_ relative: String) -> String { dir.appendingPathComponent(relative).path }

    private func write(_ relative: String) throws {
        try FileManager.default.createDirectory(atPath: (path(relative) as NSString).deletingLastPathComponent,
                                                withIntermediateDirectories: true)
        try ToneFile.write(path(relative))
    }

    private func link(_ relative: String, to target: String) throws {
        try FileManager.default.createDirectory(atPath: (path(relative) as NSString).deletingLastPathComponent,
                                                withIntermediateDirectories: true)
        try FileManager.default.createSymbolicLink(atPath: path(relative), withDestinationPath: target)
    }

    /// A folder of links to files, a linked class folder, a loop, a dangling link, a text file.
    func testLinksAreFollowedAndEverythingElseHasAReason() throws {
        for i in 0 ..< 10 { try write("store/t\(i).wav") }
        for i in 0 ..< 10 { try link("audio/rock/l\(i).wav", to: path("store/t\(i).wav")) }
        try write("jazzstore/j.wav")
        try link("audio/jazz", to: "../jazzstore")
        try link("audio/rock/back", to: "..")
        try link("audio/rock/gone.wav", to: "nowhere.wav")
        try Data("x".utf8).write(to: URL(fileURLWithPath: path("audio/rock/notes.txt")))
        try write("audio/.hidden/h.wav")

        let scan = try AudioDiscovery.scan(path("audio"))
        XCTAssertEqual(scan.files.map(\.path), ["jazz/j.wav"] + (0 ..< 10).map { "rock/l\($0).wav" })
        XCTAssertEqual(scan.files.map(\.label), ["jazz"] + Array(repeating: "rock", count: 10))
        let reasons = Dictionary(uniqueKeysWithValues: scan.skipped.map { ($0.path, $0.reason) })
        XCTAssertEqual(Set(reasons.keys), [".hidden", "rock/back", "rock/gone.wav", "rock/notes.txt"])
        XCTAssertTrue(reasons["rock/back"]!.hasPrefix("symbolic link loop"), reasons["rock/back"]!)
        XCTAssertTrue(reasons["rock/gone.wav"]!.hasPrefix("dangling symbolic link"), reasons["rock/gone.wav"]!)
        XCTAssertTrue(reasons["rock/notes.txt"]!.hasPrefix("not audio"), reasons["rock/notes.txt"]!)
    }

    /// Two links to one folder contribute its files once; a file at the top has no label.
    func testTwoLinksToOneFolderAndUnlabelledFiles() throws {
        try write("store/a.wav")
        try link("audio/pop", to: path("store"))
        try link("audio/pop2", to: path("store"))
        try write("audio/top.wav")
        let scan = try AudioDiscovery.scan(path("audio"))
        XCTAssertEqual(scan.files.map(\.path), ["pop/a.wav"])
        XCTAssertEqual(scan.skipped.map(\.path), ["pop2", "top.wav"])
        XCTAssertTrue(scan.skipped[0].reason.contains("the same folder as pop"), scan.skipped[0].reason)
        XCTAssertTrue(scan.skipped[1].reason.hasPrefix("no label"), scan.skipped[1].reason)
    }

    /// Names that are not UTF-8 keep their bytes: the path found opens the same file.
    func testNamesThatAreNotUTF8RoundTrip() throws {
        let folder = PathBytes.string(Array(path("audio").utf8) + Array("/gen".utf8) + [0xE9])  // gen\xE9 (Latin-1 é)
        let file = folder + PathBytes.string([UInt8(ascii: "/"), 0x63, 0x61, 0x66, 0xE9, 0x2E, 0x77, 0x61, 0x76])  // caf\xE9.wav
        XCTAssertEqual(mkdir(path("audio"), 0o755), 0)
        XCTAssertEqual(PathBytes.withSystemPath(folder) { mkdir($0, 0o755) }, 0)
        try ToneFile.write(path("tone.wav"))
        let data = try Data(contentsOf: URL(fileURLWithPath: path("tone.wav")))
        let fd = PathBytes.withSystemPath(file) { open($0, O_WRONLY | O_CREAT, 0o644) }
        XCTAssertGreaterThanOrEqual(fd, 0)
        _ = data.withUnsafeBytes { Foundation.write(fd, $0.baseAddress, $0.count) }
        close(fd)

        let scan = try AudioDiscovery.scan(path("audio"))
        XCTAssertEqual(scan.files.count, 1)
        XCTAssertEqual(scan.files.first?.label, "gen\\xE9")
        XCTAssertEqual(PathBytes.bytes(scan.files[0].path), [0x67, 0x65, 0x6E, 0xE9, 0x2F, 0x63, 0x61, 0x66, 0xE9, 0x2E, 0x77, 0x61, 0x76])
        XCTAssertEqual(try AudioFile.load(AudioDiscovery.resolve(scan.files[0].path, directory: path("audio"))).samples.isEmpty, false)
    }

    func testUnreadableFolderIsReported() throws {
        try XCTSkipIf(geteuid() == 0, "root reads folders whatever their permissions; run as a normal user to check")
        try write("audio/rock/a.wav")
        try write("audio/locked/b.wav")
        XCTAssertEqual(chmod(path("audio/locked"), 0), 0)
        let scan = try AudioDiscovery.scan(path("audio"))
        XCTAssertEqual(scan.files.map(\.path), ["rock/a.wav"])
        XCTAssertEqual(scan.skipped.map(\.path), ["locked"])
        XCTAssertTrue(scan.skipped[0].reason.hasPrefix("unreadable folder"), scan.skipped[0].reason)
    }

    /// A class whose every file is unusable is dropped with a warning; the skipped count is real.
    func testEmptyClassIsDroppedWithAWarning() throws {
        for i in 0 ..< 4 { try write("audio/rock/r\(i).wav") }
        try FileManager.default.createDirectory(atPath: path("audio/broken"), withIntermediateDirectories: true)
        try Data("not audio at all".utf8).write(to: URL(fileURLWithPath: path("audio/broken/x.wav")))
        try link("audio/broken/gone.wav", to: "nowhere.wav")
        var warnings: [String] = []
        let summary = try DatasetPreparer.prepare(audioDirectory: path("audio"), output: path("data.h5"),
                                                  options: PrepareOptions(split: .fractions(train: 0.5, validation: 0.25, test: 0.25), jobs: 1)) {
            if case let .warning(text) = $0 { warnings.append(text) }
        }
        XCTAssertEqual(summary.classes, ["rock"])
        XCTAssertEqual(summary.skipped.map { $0.path }.sorted(), ["broken/gone.wav", "broken/x.wav"])
        XCTAssertEqual(warnings.count, 1)
        XCTAssertTrue(warnings.first?.contains("class broken dropped") ?? false, "\(warnings)")
    }
}

/// A 1 s 8 kHz 16-bit tone, written with melcnn's writer.
enum ToneFile {
    static func write(_ path: String) throws {
        let samples = (0 ..< 8000).map { Float(0.3 * sin(2 * Double.pi * 440 * Double($0) / 8000)) }
        try AudioFile.write(samples, sampleRate: 8000, to: path)
    }
}
