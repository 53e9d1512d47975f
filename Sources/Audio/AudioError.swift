import Foundation

/// Errors of the Audio module. Each `description` is one line naming the file.
public enum AudioError: Error, CustomStringConvertible, Equatable, Sendable {
    /// No file (or nothing) at that path.
    case fileNotFound(path: String)
    /// The file exists but could not be read (permissions, a directory, an I/O error).
    case unreadable(path: String, reason: String)
    /// Not an audio file, or a container / encoding libsndfile cannot decode.
    case unsupportedFormat(path: String, reason: String)
    /// An audio file whose data is truncated or malformed.
    case corrupt(path: String, reason: String)
    /// The file (or the requested offset/duration window) holds no samples.
    case noSamples(path: String, reason: String)
    /// A decoded sample is NaN or infinite (librosa's `valid_audio` rejects these too).
    case nonFiniteSample(path: String, frame: Int, channel: Int)
    /// A parameter is out of range (negative offset, non-positive sample rate, ...).
    /// `path` is nil when no file is involved (e.g. resampling a buffer).
    case invalidParameter(path: String?, message: String)
    /// Writing an audio file failed; nothing was left under the final name.
    case writeFailed(path: String, reason: String)

    /// The file the error is about, if any.
    public var path: String? {
        switch self {
        case let .fileNotFound(path), let .unreadable(path, _), let .unsupportedFormat(path, _),
             let .corrupt(path, _), let .noSamples(path, _), let .nonFiniteSample(path, _, _),
             let .writeFailed(path, _):
            return path
        case let .invalidParameter(path, _):
            return path
        }
    }

    public var description: String {
        let text: String
        switch self.displayed {
        case let .fileNotFound(path):
            text = "\(path): file not found"
        case let .unreadable(path, reason):
            text = "\(path): cannot read: \(reason)"
        case let .unsupportedFormat(path, reason):
            text = "\(path): not a supported audio file: \(reason)"
        case let .corrupt(path, reason):
            text = "\(path): corrupt or truncated audio: \(reason)"
        case let .noSamples(path, reason):
            text = "\(path): no audio samples: \(reason)"
        case let .nonFiniteSample(path, frame, channel):
            text = "\(path): non-finite sample (NaN or Inf) at frame \(frame), channel \(channel)"
        case let .invalidParameter(path, message):
            text = path.map { "\($0): \(message)" } ?? message
        case let .writeFailed(path, reason):
            text = "\(path): cannot write audio: \(reason)"
        }
        return AudioError.oneLine(text)
    }

    /// The same error with its path shown as text (`PathBytes.display`: bytes that are not UTF-8 as `\xE9`).
    var displayed: AudioError {
        switch self {
        case let .fileNotFound(path): return .fileNotFound(path: PathBytes.display(path))
        case let .unreadable(path, reason): return .unreadable(path: PathBytes.display(path), reason: reason)
        case let .unsupportedFormat(path, reason): return .unsupportedFormat(path: PathBytes.display(path), reason: reason)
        case let .corrupt(path, reason): return .corrupt(path: PathBytes.display(path), reason: reason)
        case let .noSamples(path, reason): return .noSamples(path: PathBytes.display(path), reason: reason)
        case let .nonFiniteSample(path, frame, channel):
            return .nonFiniteSample(path: PathBytes.display(path), frame: frame, channel: channel)
        case let .invalidParameter(path, message): return .invalidParameter(path: path.map(PathBytes.display), message: message)
        case let .writeFailed(path, reason): return .writeFailed(path: PathBytes.display(path), reason: reason)
        }
    }

    /// Collapses line breaks (libsndfile messages can contain them) so the message stays one line.
    static func oneLine(_ text: String) -> String {
        text.split(whereSeparator: \.isNewline).map { $0.trimmingCharacters(in: .whitespaces) }
            .filter { !$0.isEmpty }.joined(separator: " ")
    }
}
