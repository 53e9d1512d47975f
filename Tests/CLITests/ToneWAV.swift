import Foundation

/// Test audio for the CLI tests.
enum ToneWAV {
    /// Writes a 16-bit mono 22050 Hz WAV of a sine tone (`amplitude` of 32767) to `path`.
    static func write(_ path: String, samples n: Int, frequency: Double, amplitude: Double) throws {
        var data = Data()
        func u32(_ v: UInt32) { withUnsafeBytes(of: v.littleEndian) { data.append(contentsOf: $0) } }
        func u16(_ v: UInt16) { withUnsafeBytes(of: v.littleEndian) { data.append(contentsOf: $0) } }
        data.append(contentsOf: Array("RIFF".utf8)); u32(UInt32(36 + 2 * n)); data.append(contentsOf: Array("WAVE".utf8))
        data.append(contentsOf: Array("fmt ".utf8)); u32(16); u16(1); u16(1); u32(22050); u32(44100); u16(2); u16(16)
        data.append(contentsOf: Array("data".utf8)); u32(UInt32(2 * n))
        for i in 0 ..< n { u16(UInt16(bitPattern: Int16(amplitude * sin(2 * Double.pi * frequency * Double(i) / 22050)))) }
        try data.write(to: URL(fileURLWithPath: path))
    }
}
