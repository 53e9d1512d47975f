import CSndFile
import Foundation

/// A container + encoding libsndfile can write.
public struct AudioWriteFormat: Sendable, Hashable, CustomStringConvertible {
    public enum Container: String, Sendable, CaseIterable {
        case wav = "WAV", aiff = "AIFF", flac = "FLAC", ogg = "OGG", mp3 = "MP3", caf = "CAF", w64 = "W64"

        var code: Int32 {
            switch self {
            case .wav: return Int32(SF_FORMAT_WAV)
            case .aiff: return Int32(SF_FORMAT_AIFF)
            case .flac: return Int32(SF_FORMAT_FLAC)
            case .ogg: return Int32(SF_FORMAT_OGG)
            case .mp3: return Int32(SF_FORMAT_MPEG)
            case .caf: return Int32(SF_FORMAT_CAF)
            case .w64: return Int32(SF_FORMAT_W64)
            }
        }
    }

    public enum Encoding: String, Sendable, CaseIterable {
        case pcmU8 = "PCM_U8", pcmS8 = "PCM_S8", pcm16 = "PCM_16", pcm24 = "PCM_24", pcm32 = "PCM_32"
        case float32 = "FLOAT", float64 = "DOUBLE", vorbis = "VORBIS", opus = "OPUS", mp3 = "MPEG_LAYER_III"

        var code: Int32 {
            switch self {
            case .pcmU8: return Int32(SF_FORMAT_PCM_U8)
            case .pcmS8: return Int32(SF_FORMAT_PCM_S8)
            case .pcm16: return Int32(SF_FORMAT_PCM_16)
            case .pcm24: return Int32(SF_FORMAT_PCM_24)
            case .pcm32: return Int32(SF_FORMAT_PCM_32)
            case .float32: return Int32(SF_FORMAT_FLOAT)
            case .float64: return Int32(SF_FORMAT_DOUBLE)
            case .vorbis: return Int32(SF_FORMAT_VORBIS)
            case .opus: return Int32(SF_FORMAT_OPUS)
            case .mp3: return Int32(SF_FORMAT_MPEG_LAYER_III)
            }
        }

        /// Integer encodings cannot represent NaN/Inf; lossy codecs reject them too.
        var isFloat: Bool { self == .float32 || self == .float64 }
    }

    public var container: Container
    public var encoding: Encoding

    public init(_ container: Container, _ encoding: Encoding) {
        self.container = container
        self.encoding = encoding
    }

    public var description: String { "\(container.rawValue) \(encoding.rawValue)" }

    /// 16-bit PCM WAV (the default).
    public static let wav16 = AudioWriteFormat(.wav, .pcm16)
    /// 24-bit PCM WAV.
    public static let wav24 = AudioWriteFormat(.wav, .pcm24)
    /// 32-bit float WAV.
    public static let wavFloat = AudioWriteFormat(.wav, .float32)
    public static let aiff16 = AudioWriteFormat(.aiff, .pcm16)
    public static let flac16 = AudioWriteFormat(.flac, .pcm16)
    public static let flac24 = AudioWriteFormat(.flac, .pcm24)
    public static let oggVorbis = AudioWriteFormat(.ogg, .vorbis)
    /// Opus in Ogg: libopus accepts only 8000, 12000, 16000, 24000 and 48000 Hz.
    public static let oggOpus = AudioWriteFormat(.ogg, .opus)
    public static let mp3 = AudioWriteFormat(.mp3, .mp3)
}

extension AudioFile {
    /// Writes interleaved `samples` (`l0 r0 l1 r1 ...` for `channels` > 1; a plain signal for
    /// mono) to `path`, atomically: the data goes to a temporary name in the same folder, which
    /// is renamed over `path` only once complete. Integer encodings clip to [-1, 1).
    ///
    /// ```swift
    /// try AudioFile.write(sine, sampleRate: 22050, to: "a.wav")                      // 16-bit WAV
    /// try AudioFile.write(stereo, sampleRate: 44100, channels: 2, to: "b.flac", format: .flac24)
    /// ```
    /// - Throws: `AudioError.invalidParameter` (bad rate/channels, NaN for a non-float
    ///   encoding, a combination libsndfile cannot write), `AudioError.writeFailed`.
    public static func write(_ samples: [Float], sampleRate: Int, channels: Int = 1, to path: String,
                             format: AudioWriteFormat = .wav16) throws(AudioError) {
        guard sampleRate > 0 else { throw .invalidParameter(path: path, message: "sample rate must be positive (got \(sampleRate))") }
        guard channels >= 1 else { throw .invalidParameter(path: path, message: "channel count must be >= 1 (got \(channels))") }
        guard samples.count % channels == 0 else {
            throw .invalidParameter(path: path, message: "\(samples.count) samples do not make whole frames of \(channels) channels")
        }
        if !format.encoding.isFloat, let bad = samples.withUnsafeBufferPointer(SoundFile.firstNonFinite) {
            throw .invalidParameter(path: path, message: "sample \(bad) is NaN or Inf, which \(format) cannot store")
        }
        if format.encoding == .opus, ![8000, 12000, 16000, 24000, 48000].contains(sampleRate) {
            throw .invalidParameter(path: path, message: "Opus supports 8000, 12000, 16000, 24000 or 48000 Hz, not \(sampleRate)")
        }
        var info = SF_INFO()
        info.samplerate = Int32(clamping: sampleRate)
        info.channels = Int32(clamping: channels)
        info.format = format.container.code | format.encoding.code
        guard sf_format_check(&info) != 0 else {
            throw .invalidParameter(path: path, message: "libsndfile cannot write \(format) at \(sampleRate) Hz with \(channels) channel(s)")
        }

        let url = URL(fileURLWithPath: path)
        let temporary = url.deletingLastPathComponent()
            .appendingPathComponent(".\(url.lastPathComponent).\(UUID().uuidString.prefix(8)).tmp").path
        var openFailure = ""
        let opened = SoundFile.openLock.withLock {   // the error of a failed open is process-wide
            let handle = sf_open(temporary, Int32(SFM_WRITE), &info)
            if handle == nil { openFailure = String(cString: sf_strerror(nil)) }
            return handle
        }
        guard let handle = opened else {
            throw .writeFailed(path: path, reason: openFailure)
        }
        if !format.encoding.isFloat {
            sf_command(handle, Int32(SFC_SET_CLIPPING), nil, Int32(SF_TRUE))
        }
        let frames = samples.count / channels
        let written = samples.withUnsafeBufferPointer { sf_writef_float(handle, $0.baseAddress, sf_count_t(frames)) }
        let writeError = sf_error(handle) != 0 ? String(cString: sf_strerror(handle)) : nil
        let closeStatus = sf_close(handle)
        guard written == frames, writeError == nil, closeStatus == 0 else {
            try? FileManager.default.removeItem(atPath: temporary)
            throw .writeFailed(path: path, reason: writeError ?? "wrote \(written) of \(frames) frames")
        }
        if rename(temporary, path) != 0 {
            let reason = String(cString: strerror(errno))
            try? FileManager.default.removeItem(atPath: temporary)
            throw .writeFailed(path: path, reason: reason)
        }
    }

    /// Writes `signal` (any channel count) to `path`; see `write(_:sampleRate:channels:to:format:)`.
    public static func write(_ signal: AudioSignal, to path: String, format: AudioWriteFormat = .wav16) throws(AudioError) {
        try write(signal.interleaved, sampleRate: signal.sampleRate, channels: signal.channelCount, to: path, format: format)
    }
}
