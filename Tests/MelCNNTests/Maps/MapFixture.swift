import Foundation
import HDF5
import TestSupport

/// `Tests/Fixtures/map_clusters.h5` (written by generate_map_fixtures.py with scikit-learn).
struct MapFixture {
    let x: [Float]
    let n: Int
    let dim: Int
    let labels: [Int]
    let file: H5File

    init() throws {
        let url = Repository.fixtures.appendingPathComponent("map_clusters.h5")
        file = try H5File.open(url.path)
        let data = try file.openDataset("x")
        let shape = try data.shape
        n = shape[0]
        dim = shape[1]
        x = try data.read(as: Float.self)
        labels = try file.openDataset("labels").read(as: Int32.self).map(Int.init)
    }

    func doubles(_ name: String) throws -> [Double] { try file.openDataset(name).read(as: Double.self) }
    func ints(_ name: String) throws -> [Int] { try file.openDataset(name).read(as: Int32.self).map(Int.init) }
    func attribute(_ name: String) throws -> Double { try file.attributes.read(name, as: Double.self) }
}
