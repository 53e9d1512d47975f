import Foundation
import CSndFile

/// What a file's header says about it, without decoding the samples
/// (like `soundfile.info`; the short names are python-soundfile's).
public struct AudioFileInfo: Sendable, Equatable, CustomStringConvertible {
    /// The path the information was read from.
    public var path: String
    /// Short container name as python-soundfile prints it: `WAV`, `AIFF`, `FLAC`, `OGG`, `MP3`, ...
    public var format: String
    /// libsndfile's long container name, e.g. `WAV (Microsoft)`.
    public var formatDescription: String
    /// Short encoding name: `PCM_16`, `PCM_24`, `FLOAT`, `VORBIS`, `OPUS`, `MPEG_LAYER_III`, ...
    public var subtype: String
    /// libsndfile's long encoding name, e.g. `Signed 16 bit PCM`.
    public var subtypeDescription: String
    /// Native sample rate in Hz.
    public var sampleRate: Int
    /// Number of channels.
    public var channels: Int
    /// Number of frames (samples per channel) the header declares; nil when it declares none
    /// (a truncated or unseekable Ogg stream: libsndfile's `SF_COUNT_MAX` sentinel). For Ogg
    /// and MP3 the header's count is an estimate; decoding gives the exact one.
    public var frames: Int?

    /// Duration in seconds (`frames / sampleRate`), nil when the frame count is unknown.
    public var duration: Double? { frames.map { Double($0) / Double(sampleRate) } }

    public var description: String {
        "\(PathBytes.display(path)): \(format) \(subtype), \(sampleRate) Hz, \(channels) ch, "
            + (frames.map { "\($0) frames" } ?? "unknown frame count")
    }

    init(_ file: SoundFile) {
        path = file.path
        let major = file.majorFormat, sub = file.subtypeFormat
        format = AudioFileInfo.majorNames[major] ?? String(format: "0x%06X", major)
        subtype = AudioFileInfo.subtypeNames[sub] ?? String(format: "0x%04X", sub)
        formatDescription = AudioFileInfo.libsndfileName(major, command: SFC_GET_FORMAT_MAJOR) ?? format
        subtypeDescription = AudioFileInfo.libsndfileName(sub, command: SFC_GET_FORMAT_SUBTYPE) ?? subtype
        sampleRate = file.sampleRate
        channels = file.channels
        frames = file.frameLimit
    }

    /// The name libsndfile gives a major format or subtype.
    private static func libsndfileName(_ code: Int32, command: Int) -> String? {
        let count: Int32 = {
            var n: Int32 = 0
            sf_command(nil, Int32(command == SFC_GET_FORMAT_MAJOR ? SFC_GET_FORMAT_MAJOR_COUNT
                                                                 : SFC_GET_FORMAT_SUBTYPE_COUNT),
                       &n, Int32(MemoryLayout<Int32>.size))
            return n
        }()
        for index in 0 ..< count {
            var entry = SF_FORMAT_INFO()
            entry.format = index
            sf_command(nil, Int32(command), &entry, Int32(MemoryLayout<SF_FORMAT_INFO>.size))
            if entry.format == code, let name = entry.name { return String(cString: name) }
        }
        return nil
    }

    static let majorNames: [Int32: String] = [
        0x010000: "WAV", 0x020000: "AIFF", 0x030000: "AU", 0x040000: "RAW", 0x050000: "PAF",
        0x060000: "SVX", 0x070000: "NIST", 0x080000: "VOC", 0x0A0000: "IRCAM", 0x0B0000: "W64",
        0x0C0000: "MAT4", 0x0D0000: "MAT5", 0x0E0000: "PVF", 0x0F0000: "XI", 0x100000: "HTK",
        0x110000: "SDS", 0x120000: "AVR", 0x130000: "WAVEX", 0x160000: "SD2", 0x170000: "FLAC",
        0x180000: "CAF", 0x190000: "WVE", 0x200000: "OGG", 0x210000: "MPC2K", 0x220000: "RF64",
        0x230000: "MP3",
    ]

    static let subtypeNames: [Int32: String] = [
        0x0001: "PCM_S8", 0x0002: "PCM_16", 0x0003: "PCM_24", 0x0004: "PCM_32", 0x0005: "PCM_U8",
        0x0006: "FLOAT", 0x0007: "DOUBLE", 0x0010: "ULAW", 0x0011: "ALAW", 0x0012: "IMA_ADPCM",
        0x0013: "MS_ADPCM", 0x0020: "GSM610", 0x0021: "VOX_ADPCM", 0x0022: "NMS_ADPCM_16",
        0x0023: "NMS_ADPCM_24", 0x0024: "NMS_ADPCM_32", 0x0030: "G721_32", 0x0031: "G723_24",
        0x0032: "G723_40", 0x0040: "DWVW_12", 0x0041: "DWVW_16", 0x0042: "DWVW_24", 0x0043: "DWVW_N",
        0x0050: "DPCM_8", 0x0051: "DPCM_16", 0x0060: "VORBIS", 0x0064: "OPUS", 0x0070: "ALAC_16",
        0x0071: "ALAC_20", 0x0072: "ALAC_24", 0x0073: "ALAC_32", 0x0080: "MPEG_LAYER_I",
        0x0081: "MPEG_LAYER_II", 0x0082: "MPEG_LAYER_III",
    ]
}
