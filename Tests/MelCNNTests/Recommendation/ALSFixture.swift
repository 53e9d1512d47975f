import Foundation
import HDF5
@testable import MelCNN

/// `Tests/Fixtures/als/`: `plays.csv` (from `melcnn synth --listeners`) and `implicit.h5`, the
/// split, initial factors, factors and metrics of the `implicit` package
/// (generate_als_fixture.py).
enum ALSFixture {
    static let directory = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().appendingPathComponent("Fixtures/als")
    static var plays: String { directory.appendingPathComponent("plays.csv").path }
    static var implicitFile: String { directory.appendingPathComponent("implicit.h5").path }

    static func attribute(_ name: String) throws -> Double {
        let file = try H5File.open(implicitFile)
        defer { file.close() }
        return try file.attributes.read(name, as: Double.self)
    }

    static func initial() throws -> (users: [Float], tracks: [Float]) {
        let file = try H5File.open(implicitFile)
        defer { file.close() }
        return (try file.openDataset("init/users").read(), try file.openDataset("init/tracks").read())
    }

    /// The fixture's hyper-parameters (factors 16, 15 iterations, lambda 0.01, alpha 40, 3 CG steps).
    static func options(seed: UInt64 = 0, threads: Int = 1) throws -> ImplicitALS.Options {
        let f = try FactorsFile.read(from: implicitFile)
        var o = f.options
        o.seed = seed
        o.threads = threads
        return o
    }
}
