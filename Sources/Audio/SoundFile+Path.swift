import CSndFile
import Foundation

extension SoundFile {
    /// libsndfile keeps at most this many bytes of a path (`SF_FILENAME_LEN`); longer paths
    /// are opened through a file descriptor instead.
    static let libsndfilePathLimit = 1024

    /// `stat` of `path` (following links), which must be a regular file; the system's reason
    /// otherwise, in words: not found, dangling link, link loop, path too long, no permission.
    static func regularFileStatus(_ path: String) throws(AudioError) -> stat {
        var status = stat()
        let result = PathBytes.withSystemPath(path) { stat($0, &status) }
        if result != 0 {
            let code = errno
            var link = stat()
            switch code {
            case ENOENT where PathBytes.withSystemPath(path, { lstat($0, &link) }) == 0:
                throw .unreadable(path: path, reason: "dangling symbolic link (its target does not exist)")
            case ENOENT, ENOTDIR:
                throw .fileNotFound(path: path)
            case ELOOP:
                throw .unreadable(path: path, reason: "symbolic link loop (too many levels of links)")
            case ENAMETOOLONG:
                throw .unreadable(path: path, reason: "path too long (\(PathBytes.bytes(path).count) bytes; "
                    + "the system allows \(PATH_MAX - 1) per path and \(NAME_MAX) per name)")
            default:
                throw .unreadable(path: path, reason: String(cString: strerror(code)))
            }
        }
        switch status.st_mode & S_IFMT {
        case S_IFREG: return status
        case S_IFDIR: throw .unreadable(path: path, reason: "is a directory")
        // Devices, pipes and sockets: reading could block forever or never end.
        default: throw .unreadable(path: path, reason: "not a regular file (a device, pipe or socket)")
        }
    }

    /// `sf_open` on the path's bytes, or `sf_open_fd` when the path is longer than libsndfile
    /// keeps (it would refuse it as "Supplied filename too long").
    static func open(_ path: String, info: inout SF_INFO) throws(AudioError) -> OpaquePointer? {
        let bytes = PathBytes.bytes(path)
        guard bytes.count >= libsndfilePathLimit else {
            return PathBytes.withSystemPath(path) { sf_open($0, Int32(SFM_READ), &info) }
        }
        let fd = PathBytes.withSystemPath(path) { Foundation.open($0, O_RDONLY | O_CLOEXEC) }
        guard fd >= 0 else { throw .unreadable(path: path, reason: String(cString: strerror(errno))) }
        guard let handle = sf_open_fd(fd, Int32(SFM_READ), &info, 1) else {
            close(fd)
            return nil
        }
        return handle
    }
}
