import CHDF5
/// One object in a file's tree, as listed by `H5Group.tree()`.
public struct H5TreeEntry: Sendable, Equatable {
    /// Absolute path inside the file ("/" for the root).
    public var path: String
    public var kind: H5ObjectKind
    /// Dataset shape and element type (nil for groups).
    public var shape: [Int]?
    public var dtype: H5DType?
    /// Dataset chunk shape (nil when contiguous) and filters (e.g. `["shuffle", "gzip(4)"]`).
    public var chunks: [Int]?
    public var filters: [String]
    /// Attributes in name order.
    public var attributes: [(name: String, value: H5AttributeValue)]

    public static func == (a: H5TreeEntry, b: H5TreeEntry) -> Bool {
        a.path == b.path && a.kind == b.kind && a.shape == b.shape && a.dtype == b.dtype
            && a.chunks == b.chunks && a.filters == b.filters
            && a.attributes.map(\.name) == b.attributes.map(\.name)
            && a.attributes.map(\.value) == b.attributes.map(\.value)
    }
}

extension H5Group {
    /// Every object below (and including) this group, depth first, members in
    /// name order, with dataset shapes/dtypes and all attributes.
    /// A group met twice (a link loop, which only a damaged or hand-made file has) is an error.
    public func tree() throws -> [H5TreeEntry] {
        var visited: Set<haddr_t> = []
        return try tree(visited: &visited)
    }

    private func tree(visited: inout Set<haddr_t>) throws -> [H5TreeEntry] {
        let loc = try id()
        var info = H5O_info_t()
        try context.check("H5Oget_info2") { H5Oget_info2(loc, &info, UInt32(H5O_INFO_BASIC)) }
        guard visited.insert(info.addr).inserted else {
            throw context.invalid("this group is its own member (a link loop in a damaged file?)")
        }
        var entries = [try entry(for: self, kind: .group)]
        for name in try members() {
            switch try kind(of: name) {
            case .group:
                let group = try openGroup(name)
                defer { group.close() }
                entries += try group.tree(visited: &visited)
            case .dataset:
                let dataset = try openDataset(name)
                defer { dataset.close() }
                entries.append(try entry(for: dataset, kind: .dataset))
            default:
                entries.append(H5TreeEntry(path: H5Path.join(path, name), kind: .other, shape: nil, dtype: nil,
                                           chunks: nil, filters: [], attributes: []))
            }
        }
        return entries
    }

    /// The tree as text, one line per object and one indented line per attribute:
    ///
    /// ```
    /// /  group
    ///     @format = "melcnn-dataset"
    /// /mels  float32 [1200, 128]  chunks [128, 128]  shuffle gzip(4)
    /// /tracks  group
    /// /tracks/path  string [10]
    /// ```
    /// Long attribute values are shortened to `maxValueLength` characters.
    public func describeTree(maxValueLength: Int = 100) throws -> String {
        var lines: [String] = []
        for entry in try tree() {
            var line = entry.path + "  "
            if let dtype = entry.dtype, let shape = entry.shape {
                line += "\(dtype) \(shape.isEmpty ? "scalar" : "\(shape)")"
                if let chunks = entry.chunks { line += "  chunks \(chunks)" }
                if !entry.filters.isEmpty { line += "  " + entry.filters.joined(separator: " ") }
            } else {
                line += entry.kind.rawValue
            }
            lines.append(line)
            for (name, value) in entry.attributes {
                var text = value.description
                if text.count > maxValueLength { text = String(text.prefix(maxValueLength)) + "..." }
                lines.append("    @\(name) = \(text)")
            }
        }
        return lines.joined(separator: "\n")
    }

    private func entry(for object: H5Object, kind: H5ObjectKind) throws -> H5TreeEntry {
        let attributes = try object.attributes.names().map { name in
            (name: name, value: try object.attributes.value(name))
        }
        guard let dataset = object as? H5Dataset else {
            return H5TreeEntry(path: object.path, kind: kind, shape: nil, dtype: nil, chunks: nil,
                               filters: [], attributes: attributes)
        }
        return H5TreeEntry(path: object.path, kind: kind, shape: try dataset.shape, dtype: try dataset.dtype,
                           chunks: try dataset.chunkShape, filters: try dataset.filters, attributes: attributes)
    }
}
