import CHDF5

/// What a path inside a file names.
public enum H5ObjectKind: String, Sendable {
    case group, dataset, other
}

/// An HDF5 group: a folder of groups and datasets. Paths given to its methods
/// are relative to the group ("tracks/path") or absolute in the file ("/tracks/path").
/// `H5File` is the root group of its file.
public class H5Group: H5Object {
    override func closeHandle(_ id: hid_t) {
        _ = H5Gclose(id)
    }

    /// Creates a group, creating missing intermediate groups ("a/b/c" works on an empty file).
    /// Throws when something already exists under `path`.
    @discardableResult
    public func createGroup(_ path: String) throws -> H5Group {
        let loc = try id()
        let ctx = context.child(path)
        if try exists(path) { throw ctx.invalid("already exists") }
        let gid = try ctx.id("H5Gcreate2") {
            H5Gcreate2(loc, path, H5Library.linkCreateIntermediate, melcnn_h5p_default(), melcnn_h5p_default())
        }
        return H5Group(id: gid, filePath: filePath, path: ctx.object)
    }

    /// Opens an existing group. Throws `objectNotFound` when `path` does not
    /// exist and `typeMismatch` when it is not a group.
    public func openGroup(_ path: String) throws -> H5Group {
        let ctx = context.child(path)
        try requireKind(.group, at: path)
        let loc = try id()
        let gid = try ctx.id("H5Gopen2") { H5Gopen2(loc, path, melcnn_h5p_default()) }
        return H5Group(id: gid, filePath: filePath, path: ctx.object)
    }

    /// Opens the group at `path`, creating it (and its parents) when missing.
    public func requireGroup(_ path: String) throws -> H5Group {
        try exists(path) ? openGroup(path) : createGroup(path)
    }

    /// True when `path` names an existing object (group, dataset...). Every
    /// intermediate component must exist and be a group; never throws for a
    /// missing path, only when this group was closed.
    public func exists(_ path: String) throws -> Bool {
        let loc = try id()
        let parts = path.split(separator: "/", omittingEmptySubsequences: true)
        if parts.isEmpty { return true }
        var prefix = path.hasPrefix("/") ? "" : "."
        H5Library.prepare()
        for part in parts {
            prefix += "/" + part
            guard H5Lexists(loc, prefix, melcnn_h5p_default()) > 0,
                  H5Oexists_by_name(loc, prefix, melcnn_h5p_default()) > 0 else {
                _ = H5Eclear2(melcnn_h5e_default())
                return false
            }
        }
        return true
    }

    /// The kind of object at `path`, or nil when nothing is there.
    public func kind(of path: String) throws -> H5ObjectKind? {
        guard try exists(path) else { return nil }
        let loc = try id()
        let ctx = context.child(path)
        let oid = try ctx.id("H5Oopen") { H5Oopen(loc, path, melcnn_h5p_default()) }
        defer { H5Oclose(oid) }
        switch H5Iget_type(oid) {
        case H5I_GROUP: return .group
        case H5I_DATASET: return .dataset
        default: return .other
        }
    }

    /// Names of the direct members (groups and datasets), sorted by name.
    public func members() throws -> [String] {
        let loc = try id()
        var names: [String] = []
        try withUnsafeMutablePointer(to: &names) { box in
            try context.check("H5Literate") {
                H5Literate(loc, H5_INDEX_NAME, H5_ITER_INC, nil, { _, name, _, data in
                    guard let name, let data else { return 0 }
                    data.assumingMemoryBound(to: [String].self).pointee.append(String(cString: name))
                    return 0
                }, box)
            }
        }
        return names
    }

    /// Removes the link `path` (the space is reclaimed only when the file is rewritten).
    public func remove(_ path: String) throws {
        let loc = try id()
        try requireExists(path)
        try context.child(path).check("H5Ldelete") { H5Ldelete(loc, path, melcnn_h5p_default()) }
    }

    func requireExists(_ path: String) throws {
        guard try exists(path) else {
            throw H5Error.objectNotFound(file: filePath, object: H5Path.join(self.path, path))
        }
    }

    func requireKind(_ expected: H5ObjectKind, at path: String) throws {
        guard let kind = try kind(of: path) else {
            throw H5Error.objectNotFound(file: filePath, object: H5Path.join(self.path, path))
        }
        if kind != expected {
            throw context.child(path).type(expected: "a \(expected.rawValue)", actual: "a \(kind.rawValue)")
        }
    }
}
