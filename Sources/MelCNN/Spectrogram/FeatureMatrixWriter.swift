import DSP
import FileOutput
import Foundation
import HDF5

/// Writes a `[frames x bins]` matrix to `.h5` (dataset `/data` float32 plus
/// attributes) or `.csv` (one row per frame, no header), atomically.
public enum FeatureMatrixWriter {
    /// A value stored as an HDF5 attribute (`.h5` output only).
    public enum Attribute {
        case int(Int)
        case double(Double)
        case string(String)
    }

    /// The output formats, chosen by the file's extension.
    public static let extensions = ["h5", "hdf5", "csv"]

    /// Writes `matrix` to `path` (extension `.h5`/`.hdf5` or `.csv`). `flag` names the
    /// option the path came from, for the error message.
    public static func write(_ matrix: FeatureMatrix, to path: String, attributes: [(String, Attribute)]) throws {
        let ext = (path as NSString).pathExtension.lowercased()
        switch ext {
        case "h5", "hdf5":
            try H5File.createAtomically(path) { file in
                try file.createDataset("data", values: matrix.data, shape: [matrix.frames, matrix.bins],
                                       options: matrix.data.isEmpty ? .contiguous : .compressed(level: 4, chunks: [min(matrix.frames, 1024), matrix.bins]))
                let attrs = try file.openDataset("data").attributes
                for (name, value) in attributes {
                    switch value {
                    case .int(let v): try attrs.write(name, v)
                    case .double(let v): try attrs.write(name, v)
                    case .string(let v): try attrs.write(name, v)
                    }
                }
            }
        case "csv":
            var text = ""
            text.reserveCapacity(matrix.data.count * 12)
            for t in 0 ..< matrix.frames {
                text += matrix.frame(t).map { "\($0)" }.joined(separator: ",")
                text += "\n"
            }
            try atomicWrite(to: path, text: text)
        default:
            throw MelCNNError.invalidArgument("\(path): the output must end in .h5 or .csv")
        }
    }
}

/// A user error of `melcnn spectrogram` (exit code 1); the message names the flag.
