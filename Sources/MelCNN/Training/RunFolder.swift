import Foundation

/// Where a training run writes its checkpoints and metrics, and when a run may start there.
///
/// A run folder is named by the user (`folder`), or is `Checkpoints/<name>`, or, when neither
/// is given, a new `Checkpoints/<config stem>-<UTC time>` for every run. A new run refuses a
/// folder that already holds `last.h5` or `best.h5` unless it resumes that run or overwrites it.
public enum RunFolder {
    /// The folder that holds named runs, relative to the working directory.
    public static let checkpoints = URL(fileURLWithPath: "Checkpoints")

    /// The run folder: `folder` when given, else `Checkpoints/<name>`, else (for a new run only)
    /// `Checkpoints/<stem of configPath, or "run">-<now as ISO 8601 without colons>`.
    /// Throws `ParameterError` (`name`) for a name that is empty or holds a slash and
    /// `RunFolderError.resumeNeedsFolder` when resuming without a name or folder.
    public static func resolve(folder: String?, name: String?, configPath: String?, resuming: Bool,
                               now: Date = Date()) throws -> URL {
        if let folder { return URL(fileURLWithPath: folder) }
        if let name {
            guard !name.isEmpty, !name.contains("/") else {
                throw ParameterError("run", " must be a plain name, got \"\(name)\"")
            }
            return checkpoints.appendingPathComponent(name)
        }
        if resuming { throw RunFolderError.resumeNeedsFolder }
        let stamp = ISO8601DateFormatter().string(from: now).replacingOccurrences(of: ":", with: "")
        let base = configPath.map { URL(fileURLWithPath: $0).deletingPathExtension().lastPathComponent } ?? "run"
        return checkpoints.appendingPathComponent("\(base)-\(stamp)")
    }

    /// Throws `RunFolderError.holdsCheckpoint` when a new run (neither resuming nor
    /// overwriting) would replace the `last.h5` or `best.h5` of `folder`.
    public static func checkNewRun(in folder: URL, resuming: Bool, overwriting: Bool) throws {
        guard !resuming, !overwriting else { return }
        if let existing = ["last.h5", "best.h5"].first(where: {
            FileManager.default.fileExists(atPath: folder.appendingPathComponent($0).path)
        }) {
            throw RunFolderError.holdsCheckpoint(folder: folder.path, file: existing)
        }
    }
}

/// Why a run cannot start in a folder; `description` is one line.
public enum RunFolderError: Error, CustomStringConvertible, Equatable {
    /// Resuming needs the run's name or folder (there is no time-stamped folder to resume).
    case resumeNeedsFolder
    /// The folder holds `file` (last.h5 or best.h5) of an earlier run.
    case holdsCheckpoint(folder: String, file: String)

    public var description: String {
        switch self {
        case .resumeNeedsFolder:
            return "resuming a run needs its name or folder"
        case let .holdsCheckpoint(folder, file):
            return "run folder \(folder) already holds \(file): resume that run, overwrite it, or choose another folder"
        }
    }
}
