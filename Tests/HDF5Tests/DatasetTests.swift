import XCTest
@testable import HDF5

final class DatasetTests: HDF5TestCase {
    /// Writes then reads back `values` in every rank 1...3 and checks shape and dtype.
    private func roundTrip<T: H5Scalar & Equatable>(_ make: (Int) -> T, _ expected: H5DType) throws {
        let file = path("\(expected).h5")
        let shapes = [[7], [3, 5], [2, 3, 4]]
        do {
            let h5 = try H5File.create(file)
            for (index, shape) in shapes.enumerated() {
                let values = (0..<shape.reduce(1, *)).map(make)
                try h5.createDataset("rank\(index + 1)", values: values, shape: shape)
            }
        }
        let h5 = try H5File.open(file)
        for (index, shape) in shapes.enumerated() {
            let dataset = try h5.openDataset("rank\(index + 1)")
            XCTAssertEqual(try dataset.shape, shape)
            XCTAssertEqual(try dataset.dtype, expected)
            XCTAssertEqual(try dataset.read(as: T.self), (0..<shape.reduce(1, *)).map(make))
        }
    }

    func testRoundTripEveryDTypeAndRank() throws {
        try roundTrip({ Float($0) * 0.25 - 3 }, .float32)
        try roundTrip({ Double($0) / 3 }, .float64)
        try roundTrip({ Int32($0) * -7 }, .int32)
        try roundTrip({ Int64($0) << 40 }, .int64)
        try roundTrip({ UInt8($0 * 9 % 256) }, .uint8)
        try roundTrip({ $0 - 10 }, .int64)
    }

    func testScalarDatasetAndConversionOnRead() throws {
        let h5 = try H5File.create(path("s.h5"))
        let scalar = try h5.createDataset("answer", values: [Int32(42)], shape: [])
        XCTAssertEqual(try scalar.shape, [])
        XCTAssertEqual(try scalar.readScalar(as: Int32.self), 42)
        XCTAssertEqual(try scalar.readScalar(as: Double.self), 42.0)
        let ints = try h5.createDataset("ints", values: [Int32(1), 2, 3])
        XCTAssertEqual(try ints.read(as: Float.self), [1, 2, 3])
    }

    func testChunkedCompressedAppendAndRowRead() throws {
        let file = path("append.h5")
        let columns = 16
        let rowValues = { (row: Int) in (0..<columns).map { Float(row * 1000 + $0) } }
        do {
            let h5 = try H5File.create(file)
            let mels = try h5.createDataset("mels", of: Float.self, shape: [0, columns],
                                            options: .compressed(level: 4, extendable: true, chunks: [8, columns]))
            for block in [3, 10, 0, 7] {
                let start = try mels.shape[0]
                try mels.append((start..<(start + block)).flatMap(rowValues))
            }
            XCTAssertEqual(try mels.shape, [20, columns])
            XCTAssertEqual(try mels.maxShape, [nil, columns])
            XCTAssertEqual(try mels.chunkShape, [8, columns])
            XCTAssertEqual(try mels.filters, ["shuffle", "gzip(4)"])
        }
        let mels = try H5File.open(file).openDataset("mels")
        XCTAssertEqual(try mels.readRows(5..<12, as: Float.self), (5..<12).flatMap(rowValues))
        XCTAssertEqual(try mels.readRows(19..<20, as: Float.self), rowValues(19))
        XCTAssertEqual(try mels.readRows(4..<4, as: Float.self), [])
        XCTAssertEqual(try mels.read(as: Float.self), (0..<20).flatMap(rowValues))
        let cached = try H5File.open(file).openDataset("mels", chunkCacheBytes: 1 << 20)
        XCTAssertEqual(try cached.readRows(3..<17, as: Float.self), (3..<17).flatMap(rowValues))
        XCTAssertThrowsError(try mels.readRows(15..<21, as: Float.self)) { error in
            guard case H5Error.invalidArgument = error else { return XCTFail("\(error)") }
        }
    }

    func testAppendRejectsPartialRowsAndFixedDatasets() throws {
        let h5 = try H5File.create(path("a.h5"))
        let growing = try h5.createDataset("g", of: Int64.self, shape: [0, 3], options: H5DatasetOptions(extendable: true))
        XCTAssertThrowsError(try growing.append([Int64(1), 2])) { error in
            guard case H5Error.shapeMismatch = error else { return XCTFail("\(error)") }
        }
        let fixed = try h5.createDataset("f", values: [Int64(1), 2, 3])
        XCTAssertThrowsError(try fixed.append([Int64(4)])) { error in
            guard case H5Error.invalidArgument = error else { return XCTFail("\(error)") }
        }
        XCTAssertThrowsError(try fixed.write([Int64(1)])) { error in
            guard case H5Error.shapeMismatch = error else { return XCTFail("\(error)") }
        }
    }

    func testEmptyDatasetsAndDefaultChunks() throws {
        let h5 = try H5File.create(path("e.h5"))
        XCTAssertEqual(try h5.createDataset("empty", values: [Float]()).read(as: Float.self), [])
        let mels = try h5.createDataset("mels", of: Float.self, shape: [0, 128], options: .compressed(extendable: true))
        XCTAssertEqual(try mels.chunkShape, [128, 128])
        XCTAssertEqual(try mels.readRows(0..<0, as: Float.self), [])
        try mels.append([Float]())
        XCTAssertEqual(try mels.shape, [0, 128])
        let small = try h5.createDataset("small", of: Double.self, shape: [3, 2], options: .compressed())
        XCTAssertEqual(try small.chunkShape, [3, 2])
    }

    func testWriteRowsIntoPreallocatedDataset() throws {
        let h5 = try H5File.create(path("w.h5"))
        let data = try h5.createDataset("d", of: Double.self, shape: [4, 2], options: .compressed())
        try data.writeRows([1.0, 2, 3, 4], at: 1)
        XCTAssertEqual(try data.read(as: Double.self), [0, 0, 1, 2, 3, 4, 0, 0])
    }
}
