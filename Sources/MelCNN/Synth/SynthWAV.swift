import Foundation

/// A minimal 16-bit PCM mono WAV writer for the generator (written to a temporary
/// name in the same folder, then renamed into place).
enum SynthWAV {
    static func write(_ samples: [Float], sampleRate: Int, to path: String) throws {
        var bytes = [UInt8]()
        bytes.reserveCapacity(44 + 2 * samples.count)
        func u32(_ v: UInt32) { withUnsafeBytes(of: v.littleEndian) { bytes.append(contentsOf: $0) } }
        func u16(_ v: UInt16) { withUnsafeBytes(of: v.littleEndian) { bytes.append(contentsOf: $0) } }
        let dataBytes = UInt32(2 * samples.count)
        bytes.append(contentsOf: Array("RIFF".utf8)); u32(36 + dataBytes)
        bytes.append(contentsOf: Array("WAVE".utf8))
        bytes.append(contentsOf: Array("fmt ".utf8)); u32(16); u16(1); u16(1)
        u32(UInt32(sampleRate)); u32(UInt32(sampleRate * 2)); u16(2); u16(16)
        bytes.append(contentsOf: Array("data".utf8)); u32(dataBytes)
        for s in samples {
            let v = Int16(max(-32768, min(32767, (s * 32767).rounded())))
            u16(UInt16(bitPattern: v))
        }
        let tmp = path + ".tmp"
        guard FileManager.default.createFile(atPath: tmp, contents: Data(bytes)) else {
            throw SynthError.writeFailed(path: path, reason: "cannot create \(tmp)")
        }
        if rename(tmp, path) != 0 {
            unlink(tmp)
            throw SynthError.writeFailed(path: path, reason: String(cString: strerror(errno)))
        }
    }
}
