import HDF5

/// Checks of numbers read from a melcnn file (data set, checkpoint, embeddings) before
/// they are used: each failure is a `MelCNNError.invalidFile` naming the file and object.
enum FileValueChecks {
    /// Throws unless every value of `values` (the object `object` of `path`) is finite.
    static func requireFinite(_ values: [Float], path: String, object: String) throws {
        if let k = values.firstIndex(where: { !$0.isFinite }) {
            throw MelCNNError.invalidFile(path: path, reason: "\(object) holds \(values[k]) at index \(k) (damaged file?)")
        }
    }

    /// Throws unless `std` (the object `object` of `path`) is finite and positive everywhere,
    /// as a standardising divisor must be.
    static func requirePositiveStd(_ std: [Float], path: String, object: String) throws {
        if let k = std.firstIndex(where: { !($0.isFinite && $0 > 0) }) {
            throw MelCNNError.invalidFile(path: path, reason: "\(object) holds std \(std[k]) at bin \(k); it must be finite and > 0")
        }
    }

    /// `a + b`, or an error naming `what` when the sum of two file values overflows.
    static func add(_ a: Int, _ b: Int, path: String, what: String) throws -> Int {
        let (sum, overflow) = a.addingReportingOverflow(b)
        guard !overflow else { throw MelCNNError.invalidFile(path: path, reason: "\(what) overflows (damaged file?)") }
        return sum
    }
}
