import Foundation
import XCTest
@testable import Audio

/// Malformed headers and streams give messages about the file, not about libsndfile's state.
final class AudioRobustnessTests: XCTestCase {
    func testZeroSampleRateHeaderIsDescribed() throws {
        let dir = try AudioTestSupport.temporaryDirectory(self)
        let p = dir.appendingPathComponent("sr0.wav").path
        var data = Data()
        func u32(_ v: UInt32) { withUnsafeBytes(of: v.littleEndian) { data.append(contentsOf: $0) } }
        func u16(_ v: UInt16) { withUnsafeBytes(of: v.littleEndian) { data.append(contentsOf: $0) } }
        data.append(contentsOf: Array("RIFF".utf8)); u32(36 + 200); data.append(contentsOf: Array("WAVE".utf8))
        data.append(contentsOf: Array("fmt ".utf8)); u32(16); u16(1); u16(1); u32(0); u32(0); u16(2); u16(16)
        data.append(contentsOf: Array("data".utf8)); u32(200); data.append(Data(count: 200))
        try data.write(to: URL(fileURLWithPath: p))
        AudioTestSupport.assertThrows(p, { _ = try AudioFile.load(p) }) {
            $0 == .corrupt(path: p, reason: "the header declares no sample rate or no channels")
        }
    }

    func testLibsndfileStateMessagesAreRephrased() {
        let error = SoundFile.openError(path: "x.mp3", code: 30,
                                        message: "File does not exist or is not a regular file (possibly a pipe?).")
        XCTAssertEqual(error, .corrupt(path: "x.mp3", reason: "the decoder found no audio frames"))
        XCTAssertEqual(SoundFile.openError(path: "y.wav", code: 30, message: "Error in WAV file. Malformed 'fmt ' chunk."),
                       .corrupt(path: "y.wav", reason: "Error in WAV file. Malformed 'fmt ' chunk."))
    }
}
