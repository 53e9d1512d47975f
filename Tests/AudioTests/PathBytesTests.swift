import Foundation
import XCTest
@testable import Audio

/// Names that are not UTF-8 survive the trip bytes -> String -> bytes, and show escaped.
final class PathBytesTests: XCTestCase {
    func testBytesRoundTrip() {
        let cases: [[UInt8]] = [
            Array("plain/ascii.wav".utf8),
            Array("caf\u{E9}/gr\u{FC}n.flac".utf8),       // valid UTF-8 stays as it is
            [0x67, 0x65, 0x6E, 0xE9, 0x2F, 0x61],          // gen\xE9/a: Latin-1
            [0xC3, 0x28, 0xFF, 0xFE, 0xED, 0xA0, 0x80],    // broken sequences, a UTF-16 surrogate
            [0xF0, 0x9F, 0x8E, 0xB5, 0x80],                // an emoji then a stray continuation byte
        ]
        for bytes in cases {
            XCTAssertEqual(PathBytes.bytes(PathBytes.string(bytes)), bytes, "\(bytes)")
        }
        XCTAssertEqual(PathBytes.string(Array("caf\u{E9}".utf8)), "caf\u{E9}")
    }

    func testDisplayEscapesOnlyTheForeignBytes() {
        XCTAssertEqual(PathBytes.display(PathBytes.string([0x67, 0x65, 0x6E, 0xE9, 0x2F, 0xC3, 0xA9])), "gen\\xE9/\u{E9}")
        XCTAssertEqual(PathBytes.display("plain"), "plain")
    }

    /// The system sees the original bytes: a file created by them is found by the String.
    func testSystemCallsGetTheOriginalBytes() throws {
        let dir = try AudioTestSupport.temporaryDirectory(self)
        let name = PathBytes.string(Array(dir.path.utf8) + [0x2F, 0x78, 0xE9])
        let fd = PathBytes.withSystemPath(name) { open($0, O_WRONLY | O_CREAT, 0o644) }
        XCTAssertGreaterThanOrEqual(fd, 0)
        close(fd)
        let listed = try FileManager.default.contentsOfDirectory(atPath: dir.path)
        XCTAssertEqual(listed.count, 1)
        var status = stat()
        XCTAssertEqual(PathBytes.withSystemPath(name) { stat($0, &status) }, 0)
    }
}
