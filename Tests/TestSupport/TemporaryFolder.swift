import Foundation

/// A fresh folder under the system's temporary folder for one test; `remove()` deletes it.
public struct TemporaryFolder: Sendable {
    /// The folder's path (no trailing slash).
    public let path: String

    /// Creates `<tmp>/<prefix>-<UUID>`.
    public init(prefix: String) throws {
        path = NSTemporaryDirectory() + prefix + "-" + UUID().uuidString
        try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
    }

    /// The path of `name` inside the folder.
    public func appending(_ name: String) -> String { path + "/" + name }

    /// The names in the folder, sorted.
    public func contents() throws -> [String] {
        try FileManager.default.contentsOfDirectory(atPath: path).sorted()
    }

    /// Deletes the folder and everything in it.
    public func remove() {
        try? FileManager.default.removeItem(atPath: path)
    }
}
