import CHDF5
import Foundation
@testable import HDF5
import XCTest

/// A variable-length string reference whose stated length differs from its heap object (one
/// flipped bit in raw data) is an error, where libhdf5 1.10 would overrun its buffer.
final class StringReferenceCheckTests: HDF5TestCase {
    func testADamagedReferenceLengthIsAnError() throws {
        let file = path("refs.h5")
        let values = ["blues", "", "classical", "jazz"]
        try H5File.createAtomically(file) { h5 in try h5.createStringDataset("classes", values: values) }
        XCTAssertEqual(try H5File.open(file).openDataset("classes").readStrings(), values, "intact references read")
        let h5 = try H5File.open(file)
        let set = try h5.openDataset("classes")
        let start = Int(try XCTUnwrap(Int(exactly: H5Dget_offset(try set.id()))))
        set.close()
        h5.close()
        var bytes = try Data(contentsOf: URL(fileURLWithPath: file))
        // Reference 2 ("classical", 9 bytes): its 4-byte length becomes 1.
        XCTAssertEqual(bytes[start + 32], 9)
        bytes[start + 32] = 1
        try bytes.write(to: URL(fileURLWithPath: file))
        XCTAssertThrowsError(try H5File.open(file).openDataset("classes").readStrings()) { error in
            XCTAssertTrue("\(error)".contains("string 2 states 1 bytes"), "\(error)")
        }
    }
}
