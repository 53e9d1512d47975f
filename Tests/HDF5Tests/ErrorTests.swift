import Foundation
import XCTest
@testable import HDF5
import CHDF5

final class ErrorTests: HDF5TestCase {
    func testMissingFileIsNamed() throws {
        let missing = path("nowhere.h5")
        XCTAssertThrowsError(try H5File.open(missing)) { error in
            XCTAssertEqual(error as? H5Error, .fileNotFound(file: missing))
            XCTAssertTrue("\(error)".contains(missing))
        }
    }

    func testRandomBytesAreNotHDF5() throws {
        let file = path("random.h5")
        var generator = SystemRandomNumberGenerator()
        let bytes = (0..<4096).map { _ in UInt8.random(in: 0...255, using: &generator) }
        _ = FileManager.default.createFile(atPath: file, contents: Data(bytes))
        XCTAssertThrowsError(try H5File.open(file)) { error in
            XCTAssertEqual(error as? H5Error, .notHDF5(file: file))
        }
        _ = FileManager.default.createFile(atPath: path("empty.h5"), contents: Data())
        XCTAssertThrowsError(try H5File.open(path("empty.h5"))) { error in
            XCTAssertEqual(error as? H5Error, .notHDF5(file: self.path("empty.h5")))
        }
    }

    func testSignatureFollowedByGarbageGivesLibraryError() throws {
        let file = path("garbage.h5")
        var state: UInt32 = 12345
        let garbage = (0..<2048).map { _ -> UInt8 in
            state = state &* 1_664_525 &+ 1_013_904_223
            return UInt8(state >> 24)
        }
        let signature: [UInt8] = [0x89, 0x48, 0x44, 0x46, 0x0D, 0x0A, 0x1A, 0x0A]
        _ = FileManager.default.createFile(atPath: file, contents: Data(signature + garbage))
        XCTAssertThrowsError(try H5File.open(file).tree()) { error in
            guard case H5Error.library(let name, _, _, _) = error else { return XCTFail("\(error)") }
            XCTAssertEqual(name, file)
        }
    }

    func testTruncatedFileGivesLibraryErrorNamingTheFile() throws {
        let file = path("whole.h5")
        do {
            let h5 = try H5File.create(file)
            try h5.createDataset("data", values: (0..<50_000).map { Double($0) })
            try h5.attributes.write("format", "x")
        }
        let bytes = try Data(contentsOf: URL(fileURLWithPath: file))
        let truncated = path("truncated.h5")
        _ = FileManager.default.createFile(atPath: truncated, contents: bytes.prefix(bytes.count / 2))
        do {
            // The superblock may survive the cut; the damage must then surface as a typed error on read.
            let h5 = try H5File.open(truncated)
            _ = try h5.openDataset("data").read(as: Double.self)
            XCTFail("reading a truncated file succeeded")
        } catch let error as H5Error {
            guard case .library(let name, _, _, let message) = error else { return XCTFail("\(error)") }
            XCTAssertEqual(name, truncated)
            XCTAssertFalse(message.isEmpty)
            XCTAssertFalse(error.description.contains("\n"), error.description)
        }
        let header = path("header-only.h5")
        _ = FileManager.default.createFile(atPath: header, contents: bytes.prefix(600))
        XCTAssertThrowsError(try H5File.open(header).tree()) { error in
            XCTAssertTrue("\(error)".contains(header), "\(error)")
        }
    }

    func testUseAfterCloseThrows() throws {
        let h5 = try H5File.create(path("c.h5"))
        let data = try h5.createDataset("d", values: [1.0, 2.0])
        data.close()
        data.close()
        XCTAssertThrowsError(try data.read(as: Double.self)) { error in
            XCTAssertEqual(error as? H5Error, .closed(file: self.path("c.h5"), object: "/d"))
        }
        h5.close()
        XCTAssertFalse(h5.isOpen)
        XCTAssertThrowsError(try h5.members())
        XCTAssertEqual(try H5File.open(path("c.h5")).openDataset("d").read(as: Double.self), [1, 2])
    }

    func testReadOnlyFileRefusesWrites() throws {
        let file = path("ro.h5")
        _ = try H5File.create(file)
        let h5 = try H5File.open(file, mode: .readOnly)
        XCTAssertThrowsError(try h5.createGroup("g")) { error in
            guard case H5Error.library(let name, let object, _, _) = error else { return XCTFail("\(error)") }
            XCTAssertEqual(name, file)
            XCTAssertEqual(object, "/g")
        }
        h5.close()   // HDF5 refuses to open a file read-write while it is open read-only
        let rw = try H5File.open(file, mode: .readWrite)
        try rw.createGroup("g")
        XCTAssertEqual(try rw.members(), ["g"])
    }

    func testStringsAndNumbersDoNotMix() throws {
        let h5 = try H5File.create(path("m.h5"))
        let strings = try h5.createStringDataset("s", values: ["a"])
        XCTAssertThrowsError(try strings.read(as: Float.self)) { error in
            guard case H5Error.typeMismatch = error else { return XCTFail("\(error)") }
        }
        let numbers = try h5.createDataset("n", values: [1.0])
        XCTAssertThrowsError(try numbers.readStrings()) { error in
            guard case H5Error.typeMismatch = error else { return XCTFail("\(error)") }
        }
    }
}

/// Bad paths give one-line errors naming the file.
final class OpenRobustnessTests: HDF5TestCase {
    func testDirectoryIsNamedAsSuch() throws {
        let dir = path("folder.h5")
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: false)
        XCTAssertThrowsError(try H5File.open(dir)) { error in
            XCTAssertEqual(error as? H5Error, .isDirectory(file: dir))
            XCTAssertEqual("\(error)", "\(dir): is a directory, not an HDF5 file")
        }
    }

    func testLibraryErrorsAreOneLine() throws {
        // HDF5's read-failure message carries a ctime() stamp that ends in a line break.
        let dir = path("taken")
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: false)
        H5Library.prepare()
        XCTAssertLessThan(H5Fis_hdf5(dir), 0)
        let message = H5Library.takeErrorStack()
        XCTAssertTrue(message.contains("time ="), message)
        XCTAssertFalse(message.contains("\n"), message)
        let truncated = path("truncated.h5")
        try H5File.createAtomically(path("whole.h5")) { f in try f.createDataset("x", values: [Float](repeating: 1, count: 5000)) }
        let bytes = try Data(contentsOf: URL(fileURLWithPath: path("whole.h5")))
        try bytes.prefix(1000).write(to: URL(fileURLWithPath: truncated))
        XCTAssertThrowsError(try H5File.open(truncated)) { error in
            XCTAssertTrue("\(error)".hasPrefix(truncated), "\(error)")
            XCTAssertFalse("\(error)".contains("\n"), "\(error)")
        }
    }
}
