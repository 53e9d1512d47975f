import CHDF5

/// An error from the HDF5 module. Every case names the file and, where one is
/// involved, the object path inside it; `description` is one line.
public enum H5Error: Error, CustomStringConvertible, Equatable, Sendable {
    /// No file exists at `file`.
    case fileNotFound(file: String)
    /// `file` is a directory, not a file.
    case isDirectory(file: String)
    /// `file` is a device, pipe or socket, not a regular file.
    case notRegularFile(file: String)
    /// `file` exists but is not an HDF5 file (no HDF5 signature).
    case notHDF5(file: String)
    /// No group, dataset or attribute named `object` in `file`.
    case objectNotFound(file: String, object: String)
    /// The object exists but is not of the kind the caller asked for
    /// (for example a group opened as a dataset, or strings read as numbers).
    case typeMismatch(file: String, object: String, expected: String, actual: String)
    /// Element count or shape does not fit the dataset or attribute.
    case shapeMismatch(file: String, object: String, message: String)
    /// An argument is invalid before HDF5 is even called (bad chunk shape, row range...).
    case invalidArgument(file: String, object: String, message: String)
    /// The object (or its file) was closed with `close()` and used afterwards.
    case closed(file: String, object: String)
    /// An HDF5 library call failed; `message` summarises HDF5's error stack.
    case library(file: String, object: String, operation: String, message: String)

    public var description: String {
        switch self {
        case .fileNotFound(let file):
            return "HDF5 file not found: \(file)"
        case .isDirectory(let file):
            return "\(file): is a directory, not an HDF5 file"
        case .notRegularFile(let file):
            return "\(file): not a regular file (a device, pipe or socket)"
        case .notHDF5(let file):
            return "not an HDF5 file: \(file)"
        case .objectNotFound(let file, let object):
            return "\(file): no object named '\(object)'"
        case .typeMismatch(let file, let object, let expected, let actual):
            return "\(file): '\(object)' is \(actual), expected \(expected)"
        case .shapeMismatch(let file, let object, let message):
            return "\(file): '\(object)': shape mismatch: \(message)"
        case .invalidArgument(let file, let object, let message):
            return "\(file): '\(object)': \(message)"
        case .closed(let file, let object):
            return "\(file): '\(object)' was used after close()"
        case .library(let file, let object, let operation, let message):
            return "\(file): '\(object)': \(operation) failed: \(message)"
        }
    }
}

/// Where an HDF5 call happens: the file on disk and the object path inside it.
/// Used to build errors that name both.
struct H5Context: Sendable {
    var file: String
    var object: String

    func child(_ name: String) -> H5Context {
        H5Context(file: file, object: H5Path.join(object, name))
    }

    func library(_ operation: String) -> H5Error {
        .library(file: file, object: object, operation: operation, message: H5Library.takeErrorStack())
    }
    func invalid(_ message: String) -> H5Error {
        .invalidArgument(file: file, object: object, message: message)
    }
    func shape(_ message: String) -> H5Error {
        .shapeMismatch(file: file, object: object, message: message)
    }
    func type(expected: String, actual: String) -> H5Error {
        .typeMismatch(file: file, object: object, expected: expected, actual: actual)
    }

    /// Runs an HDF5 call returning `herr_t`; throws when it is negative.
    func check(_ operation: String, _ call: () -> Int32) throws {
        _ = try value(operation, call)
    }

    /// Runs an HDF5 call returning a count or `htri_t`; throws when it is negative.
    func value(_ operation: String, _ call: () -> Int32) throws -> Int32 {
        H5Library.prepare()
        let status = call()
        if status < 0 { throw library(operation) }
        return status
    }

    /// Runs an HDF5 call returning an identifier; throws when it is negative.
    func id(_ operation: String, _ call: () -> hid_t) throws -> hid_t {
        H5Library.prepare()
        let id = call()
        if id < 0 { throw library(operation) }
        return id
    }
}

/// Slash-separated HDF5 object paths.
enum H5Path {
    static func join(_ base: String, _ name: String) -> String {
        if name.hasPrefix("/") { return name }
        if base.isEmpty || base == "/" { return "/" + name }
        return base + "/" + name
    }
}

extension H5Library {
    /// Collects HDF5's error stack of this thread into one line, then clears it.
    /// The outermost description says what failed, the innermost why.
    static func takeErrorStack() -> String {
        var messages: [String] = []
        withUnsafeMutablePointer(to: &messages) { box in
            _ = H5Ewalk2(melcnn_h5e_default(), H5E_WALK_DOWNWARD, { _, error, data in
                guard let error, let data else { return 0 }
                let list = data.assumingMemoryBound(to: [String].self)
                var text = error.pointee.desc.map { String(cString: $0) } ?? ""
                if text.isEmpty, let function = error.pointee.func_name {
                    text = "error in " + String(cString: function)
                }
                // Some HDF5 messages (errno texts with a ctime stamp) contain line breaks.
                text = text.split(whereSeparator: \.isNewline)
                    .map { String($0.drop(while: \.isWhitespace).reversed().drop(while: \.isWhitespace).reversed()) }
                    .filter { !$0.isEmpty }.joined(separator: " ")
                if !text.isEmpty { list.pointee.append(text) }
                return 0
            }, box)
        }
        _ = H5Eclear2(melcnn_h5e_default())
        guard let first = messages.first else { return "unknown HDF5 error" }
        guard let last = messages.last, last != first else { return first }
        return "\(first) (\(last))"
    }
}
