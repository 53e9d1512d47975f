import CSndFile
import Foundation

/// An open libsndfile handle (read mode), closed when the value goes away.
/// Internal: the public API is `AudioFile`. Every libsndfile failure becomes an `AudioError`.
final class SoundFile {
    let path: String
    let handle: OpaquePointer
    let info: SF_INFO
    let fileBytes: Int
    /// MPEG streams: libmpg123 writes its own notes to stderr while decoding, which melcnn silences.
    let isMPEG: Bool
    /// Interleaved 16-bit samples of the last block read (see `readFrames`).
    private var shortScratch: [Int16] = []

    var sampleRate: Int { Int(info.samplerate) }
    var channels: Int { Int(info.channels) }
    var frames: Int { Int(info.frames) }
    var majorFormat: Int32 { info.format & Int32(SF_FORMAT_TYPEMASK) }
    var subtypeFormat: Int32 { info.format & Int32(SF_FORMAT_SUBMASK) }
    /// Integer and companded PCM: libsndfile scales these to floats in [-1, 1], so no sample
    /// can be NaN or infinite and the per-block check is skipped.
    var decodesOnlyFiniteSamples: Bool {
        [SF_FORMAT_PCM_S8, SF_FORMAT_PCM_16, SF_FORMAT_PCM_24, SF_FORMAT_PCM_32, SF_FORMAT_PCM_U8,
         SF_FORMAT_ULAW, SF_FORMAT_ALAW].contains { Int32($0) == subtypeFormat }
    }

    /// Serialises libsndfile's opens (their error is kept process-wide; see `init(readingFrom:)`).
    static let openLock = NSLock()

    /// Opens `path` for reading, classifying the failure when libsndfile refuses it.
    /// `path` may hold bytes that are not UTF-8 (see `PathBytes`).
    init(readingFrom path: String) throws(AudioError) {
        self.path = path
        let status = try SoundFile.regularFileStatus(path)
        if status.st_size == 0 { throw .unsupportedFormat(path: path, reason: "the file is empty (0 bytes)") }
        fileBytes = Int(status.st_size)
        var info = SF_INFO()
        // libmpg123 notes on malformed MPEG headers while libsndfile probes the file.
        // A failed open leaves its error in libsndfile's process-wide slot (`sf_error(NULL)`),
        // which another thread's open overwrites: the open and that read share one lock.
        var failure: (code: Int32, message: String) = (0, "")
        let opened = SoundFile.openLock.withLock {
            DecoderChatter.silenced { Result { () throws(AudioError) in
                let handle = try SoundFile.open(path, info: &info)
                if handle == nil { failure = (sf_error(nil), String(cString: sf_strerror(nil))) }
                return handle
            } }
        }
        guard let handle = try opened.get() else {
            throw SoundFile.openError(path: path, code: failure.code, message: failure.message)
        }
        isMPEG = info.format & Int32(SF_FORMAT_TYPEMASK) == Int32(SF_FORMAT_MPEG)
        self.handle = handle
        self.info = info
        guard info.channels > 0, info.samplerate > 0 else {
            throw .corrupt(path: path, reason: "header declares \(info.channels) channels at \(info.samplerate) Hz")
        }
        // soundfile loads what is present; so does melcnn, saying so.
        if let claim = truncatedDataClaim() {
            AudioWarning.emit(path: path, "\(claim); loading the \(info.frames) frames present")
        }
    }

    deinit { sf_close(handle) }

    /// libsndfile's open errors: 1 unrecognised format, 2 system error, 4 unsupported
    /// encoding; the many format-specific codes above 4 describe malformed headers.
    static func openError(path: String, code: Int32, message: String) -> AudioError {
        let lower = message.lowercased()
        switch code {
        case Int32(SF_ERR_SYSTEM):
            if lower.contains("no such file") { return .fileNotFound(path: path) }
            return .unreadable(path: path, reason: message)
        case Int32(SF_ERR_UNRECOGNISED_FORMAT), Int32(SF_ERR_UNSUPPORTED_ENCODING):
            return .unsupportedFormat(path: path, reason: message)
        default:
            if lower.contains("not supported") || lower.contains("unsupported") || lower.contains("unimplemented") {
                return .unsupportedFormat(path: path, reason: message)
            }
            // libsndfile's texts for these codes describe its own state, not the file.
            if lower.contains("does not exist or is not a regular file") {
                return .corrupt(path: path, reason: "the decoder found no audio frames")
            }
            if lower.contains("sf_info struct incomplete") {
                return .corrupt(path: path, reason: "the header declares no sample rate or no channels")
            }
            return .corrupt(path: path, reason: message)
        }
    }

    /// libsndfile's parse log for this file (chunk sizes, warnings).
    var log: String {
        var buffer = [CChar](repeating: 0, count: 8192)
        let count = buffer.withUnsafeMutableBufferPointer {
            sf_command(handle, Int32(SFC_GET_LOG_INFO), $0.baseAddress, Int32($0.count))
        }
        guard count > 0 else { return "" }
        return String(decoding: buffer.prefix(Int(count)).map { UInt8(bitPattern: $0) }, as: UTF8.self)
    }

    /// A truncated WAV/AIFF/W64/CAF still opens: libsndfile shortens the data chunk to what is
    /// present and logs `data : <claimed> (should be <present>)`. Detect that claim-exceeds-file
    /// case (streaming writers' placeholders 0 and 0xFFFFFFFF excepted).
    private func truncatedDataClaim() -> String? {
        for line in log.split(whereSeparator: \.isNewline) {
            let text = line.trimmingCharacters(in: .whitespaces)
            guard text.hasPrefix("data") || text.hasPrefix("SSND"), text.contains("(should be") else { continue }
            let numbers = text.split(whereSeparator: { !$0.isNumber }).compactMap { Int64($0) }
            guard numbers.count >= 2 else { continue }
            let claimed = numbers[numbers.count - 2], present = numbers[numbers.count - 1]
            if claimed > present, claimed != 0xFFFF_FFFF {
                return "data chunk declares \(claimed) bytes but only \(present) are present"
            }
        }
        return nil
    }

    /// Seeks to `frame` (must be within the file).
    func seek(to frame: Int) throws(AudioError) {
        guard frame > 0 else { return }
        if sf_seek(handle, sf_count_t(frame), SEEK_SET) < 0 {
            throw .corrupt(path: path, reason: "cannot seek to frame \(frame): \(String(cString: sf_strerror(handle)))")
        }
    }

    /// Reads up to `frames` interleaved frames into `buffer`; returns the frames read.
    /// 16-bit PCM is read as shorts (libsndfile then reads the file straight into the buffer,
    /// one system call per block instead of one per 8 KiB) and scaled by 1/32768 here, which
    /// is what libsndfile's own float conversion does, so the samples are the same bits.
    func readFrames(into buffer: UnsafeMutablePointer<Float>, frames: Int) -> Int {
        guard subtypeFormat == Int32(SF_FORMAT_PCM_16), frames > 0 else {
            return Int(sf_readf_float(handle, buffer, sf_count_t(frames)))
        }
        let count = frames * channels
        if shortScratch.count < count { shortScratch = [Int16](repeating: 0, count: count) }
        return shortScratch.withUnsafeMutableBufferPointer { shorts in
            let read = Int(sf_readf_short(handle, shorts.baseAddress!, sf_count_t(frames)))
            let scale: Float = 1 / 32768
            for i in 0 ..< max(0, read) * channels { buffer[i] = Float(shorts[i]) * scale }
            return read
        }
    }

    /// The error libsndfile recorded on this handle, if any (decode errors in compressed data).
    var pendingError: String? {
        sf_error(handle) == 0 ? nil : String(cString: sf_strerror(handle))
    }
}

extension SoundFile {
    /// Frames per decode block (interleaved scratch of `blockFrames * channels` floats).
    static let blockFrames = 16384

    /// Whether the header declares a frame count at all: a truncated Ogg stream or an
    /// unseekable one reports none (libsndfile's `SF_COUNT_MAX` sentinel, or a negative count).
    var frameCountIsKnown: Bool { frames >= 0 && frames != Int(Int64.max) }

    /// The most frames a read from the start may return: the header's count when known
    /// (soundfile reads `info.frames` and keeps what was decoded), else nil (to the end).
    var frameLimit: Int? { frameCountIsKnown ? frames : nil }

    /// How many frames to allocate up front for a read of `count` frames: the count itself
    /// unless it is implausible for the file's size (a damaged header claiming terabytes), in
    /// which case buffers start smaller and grow while decoding.
    func preallocationFrames(_ count: Int?) -> Int {
        let wanted = count ?? frameLimit ?? 0
        return min(wanted, max(1 << 20, fileBytes * 64))
    }

    /// Decodes `count` frames (nil: to the end) from the current position in blocks, checking
    /// every sample is finite, and hands each interleaved block to `body` with the file frame
    /// index of its first frame. Returns the frames decoded.
    ///
    /// Reads until libsndfile stops (as soundfile does): a stream that ends before the header's
    /// frame count is kept up to its last decoded frame, with a one-line warning on stderr when
    /// the shortfall exceeds `shortfallTolerance`; a decoder error after some frames is a
    /// warning too. Throws `.corrupt` only when nothing could be decoded, `.nonFiniteSample` on NaN/Inf.
    @discardableResult
    func decodeBlocks(from startFrame: Int, count: Int?,
                      _ body: (UnsafeBufferPointer<Float>, Int) throws(AudioError) -> Void) throws(AudioError) -> Int {
        let channels = self.channels
        let scratch = UnsafeMutablePointer<Float>.allocate(capacity: SoundFile.blockFrames * channels)
        defer { scratch.deallocate() }
        var decoded = 0
        let checkFinite = !decodesOnlyFiniteSamples
        while count.map({ decoded < $0 }) ?? true {
            let want = min(SoundFile.blockFrames, count.map { $0 - decoded } ?? SoundFile.blockFrames)
            let got = DecoderChatter.silenced(when: isMPEG) { readFrames(into: scratch, frames: want) }
            if got <= 0 { break }
            let block = UnsafeBufferPointer(start: scratch, count: got * channels)
            if checkFinite, let bad = SoundFile.firstNonFinite(block) {
                throw .nonFiniteSample(path: path, frame: startFrame + decoded + bad / channels, channel: bad % channels)
            }
            try body(block, startFrame + decoded)
            decoded += got
        }
        if let message = pendingError {
            guard decoded > 0 else {
                throw .corrupt(path: path, reason: "decoding stopped after frame \(startFrame): \(message)")
            }
            AudioWarning.emit(path: path, "decoding stopped after frame \(startFrame + decoded) (\(message)); "
                + "loaded the \(decoded) frames decoded")
        } else if let count, count - decoded > shortfallTolerance {
            AudioWarning.emit(path: path, "the data ends after frame \(startFrame + decoded) of the \(startFrame + count) "
                + "the header declares; loaded the \(decoded) frames decoded")
        }
        return decoded
    }

    /// Frames a read may fall short of the header's count without a warning: none for PCM
    /// (the header count is exact); one decoder block for Ogg, whose count is the last page's
    /// granule position (Vorbis blocks are at most 8192 samples, Opus frames 5760 at 48 kHz);
    /// for MP3, whose count libmpg123 estimates from the bit rate and file size when there is
    /// no Xing/LAME header, 2% (complete Debian game-music MP3s decode up to 0.1% short).
    var shortfallTolerance: Int {
        switch majorFormat {
        case Int32(SF_FORMAT_OGG): return 8192
        case Int32(SF_FORMAT_MPEG): return max(8192, frames / 50)
        default: return 0
        }
    }

    /// Index of the first NaN/Inf in `x`, or nil. The common all-finite case is one
    /// branch-free pass (an exponent of all ones marks NaN and Inf).
    static func firstNonFinite(_ x: UnsafeBufferPointer<Float>) -> Int? {
        var worst: UInt32 = 0
        for v in x { worst = max(worst, v.bitPattern & 0x7F80_0000) }
        guard worst == 0x7F80_0000 else { return nil }
        return x.firstIndex { !$0.isFinite }
    }
}
