import CHDF5

/// An open HDF5 object (file, group or dataset) owning one HDF5 identifier.
/// The identifier is closed by `close()` or, at the latest, when the Swift
/// object is deallocated. Using an object after `close()` throws `H5Error.closed`.
public class H5Object {
    /// The HDF5 identifier; -1 once closed.
    private(set) var rawID: hid_t
    /// Path of the file on disk, as given when it was opened.
    public let filePath: String
    /// Absolute path of this object inside the file ("/" for the root group).
    public let path: String

    init(id: hid_t, filePath: String, path: String) {
        self.rawID = id
        self.filePath = filePath
        self.path = path
    }

    deinit { closeID() }

    var context: H5Context { H5Context(file: filePath, object: path) }

    /// The identifier, or `H5Error.closed` after `close()`.
    func id() throws -> hid_t {
        guard rawID >= 0 else { throw H5Error.closed(file: filePath, object: path) }
        return rawID
    }

    /// Releases the HDF5 identifier. Safe to call more than once.
    public func close() {
        closeID()
    }

    /// Closes the identifier with the call matching its kind (H5Fclose for files).
    func closeHandle(_ id: hid_t) {
        _ = H5Oclose(id)
    }

    /// Hands the identifier to the caller, who must close it (`H5File.finishWriting`
    /// checks the result of H5Fclose); the object counts as closed afterwards.
    func takeID() -> hid_t? {
        guard rawID >= 0 else { return nil }
        defer { rawID = -1 }
        return rawID
    }

    private func closeID() {
        guard rawID >= 0 else { return }
        H5Library.prepare()
        closeHandle(rawID)
        rawID = -1
    }

    /// True until `close()`.
    public var isOpen: Bool { rawID >= 0 }

    /// The attributes attached to this object (for a file: to its root group).
    public var attributes: H5Attributes { H5Attributes(owner: self) }
}
