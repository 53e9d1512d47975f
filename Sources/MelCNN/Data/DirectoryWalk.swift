import Audio
import Foundation

/// An entry a folder walk did not use, with the reason in words.
public struct SkippedEntry: Equatable, Sendable {
    /// Path relative to the folder walked (bytes that are not UTF-8 kept, see `PathBytes`).
    public var path: String
    /// Why it was not used: dangling link, link loop, unreadable folder, not audio, ...
    public var reason: String

    public init(path: String, reason: String) {
        self.path = path
        self.reason = reason
    }
}

/// The one recursive folder walk of every command that takes a folder of audio (`prepare`,
/// `features`). It reads names as bytes (POSIX `opendir`/`readdir`), so names that are not
/// UTF-8 are kept; follows symbolic links to files and folders, stopping at a link that leads
/// back to a folder being walked (device and inode, as `find -L` does); and reports every
/// entry it does not use with a reason.
public enum DirectoryWalk {
    /// What a walk found: wanted files and everything else, both in path order (byte order of names).
    public struct Listing: Sendable {
        /// Paths relative to the folder walked, `/`-separated.
        public var files: [String] = []
        public var skipped: [SkippedEntry] = []
    }

    /// Identity of a file or folder on this machine (`st_dev`, `st_ino`).
    struct FileIdentity: Hashable {
        var device: UInt64
        var inode: UInt64
        init(_ s: stat) { device = UInt64(s.st_dev); inode = UInt64(s.st_ino) }
    }

    /// Walks `root` (which must be a folder) and keeps the regular files `isWanted` accepts
    /// (it gets the file name). Hidden entries (names starting with `.`) are listed as skipped
    /// without being entered.
    public static func walk(_ root: String, isWanted: @escaping (String) -> Bool) -> Listing {
        var walker = Walker(isWanted: isWanted)
        var status = stat()
        if PathBytes.withSystemPath(root, { stat($0, &status) }) == 0 {
            walker.ancestors.insert(FileIdentity(status))
            walker.seen[FileIdentity(status)] = "."
        }
        walker.visit(directory: PathBytes.bytes(root), relative: [])
        return walker.listing
    }

    /// The walk's state: folders on the current path (loops) and everything already used (two
    /// links to one file or folder contribute it once).
    private struct Walker {
        let isWanted: (String) -> Bool
        var listing = Listing()
        var ancestors = Set<FileIdentity>()
        var seen: [FileIdentity: String] = [:]

        mutating func visit(directory: [UInt8], relative: [UInt8]) {
            let shownFolder = relative.isEmpty ? "." : PathBytes.string(relative)
            guard let names = DirectoryWalk.names(in: directory) else {
                listing.skipped.append(SkippedEntry(path: shownFolder, reason: "unreadable folder: \(String(cString: strerror(errno)))"))
                return
            }
            for name in names {
                let full = directory + [UInt8(ascii: "/")] + name
                let rel = relative.isEmpty ? name : relative + [UInt8(ascii: "/")] + name
                let shown = PathBytes.string(rel)
                if name.first == UInt8(ascii: ".") {
                    listing.skipped.append(SkippedEntry(path: shown, reason: "hidden (the name starts with a dot)"))
                    continue
                }
                let entry: stat
                switch DirectoryWalk.status(full) {
                case .failure(let reason):
                    listing.skipped.append(SkippedEntry(path: shown, reason: reason.description))
                    continue
                case .success(let s):
                    entry = s
                }
                let identity = FileIdentity(entry)
                let kind = entry.st_mode & S_IFMT
                if kind == S_IFDIR, ancestors.contains(identity) {
                    listing.skipped.append(SkippedEntry(path: shown, reason: "symbolic link loop (leads back to \(seen[identity] ?? "a folder above it"))"))
                    continue
                }
                if kind == S_IFDIR || kind == S_IFREG, let first = seen[identity] {
                    listing.skipped.append(SkippedEntry(path: shown, reason: "the same \(kind == S_IFDIR ? "folder" : "file") as \(first) (a link)"))
                    continue
                }
                switch kind {
                case S_IFDIR:
                    seen[identity] = shown
                    ancestors.insert(identity)
                    visit(directory: full, relative: rel)
                    ancestors.remove(identity)
                case S_IFREG where isWanted(PathBytes.string(name)):
                    seen[identity] = shown
                    listing.files.append(shown)
                case S_IFREG:
                    listing.skipped.append(SkippedEntry(path: shown, reason: "not audio (extension not one of melcnn's audio extensions)"))
                default:
                    listing.skipped.append(SkippedEntry(path: shown, reason: "not a regular file (a device, pipe or socket)"))
                }
            }
        }
    }

    /// The entry names of a folder (without `.` and `..`) in byte order, or nil when it cannot be opened.
    static func names(in directory: [UInt8]) -> [[UInt8]]? {
        let path = PathBytes.string(directory)
        guard let handle = PathBytes.withSystemPath(path, { opendir($0) }) else { return nil }
        defer { closedir(handle) }
        var names: [[UInt8]] = []
        while let entry = readdir(handle) {
            var raw = entry.pointee.d_name
            let name: [UInt8] = withUnsafeBytes(of: &raw) { bytes in
                Array(bytes.prefix { $0 != 0 })
            }
            if name == [UInt8(ascii: ".")] || name == [UInt8(ascii: "."), UInt8(ascii: ".")] { continue }
            names.append(name)
        }
        return names.sorted { $0.lexicographicallyPrecedes($1) }
    }

    /// `stat` following links, or the reason in words: dangling link, link loop, no permission.
    static func status(_ path: [UInt8]) -> Result<stat, SkipReason> {
        let text = PathBytes.string(path)
        var s = stat()
        if PathBytes.withSystemPath(text, { stat($0, &s) }) == 0 { return .success(s) }
        let code = errno
        var link = stat()
        switch code {
        case ENOENT where PathBytes.withSystemPath(text, { lstat($0, &link) }) == 0:
            return .failure(SkipReason("dangling symbolic link (its target does not exist)"))
        case ELOOP:
            return .failure(SkipReason("symbolic link loop (too many levels of links)"))
        default:
            return .failure(SkipReason("cannot read: \(String(cString: strerror(code)))"))
        }
    }

    /// A reason as an `Error`, so that `status` can return a `Result`.
    struct SkipReason: Error, CustomStringConvertible {
        var description: String
        init(_ text: String) { description = text }
    }
}
