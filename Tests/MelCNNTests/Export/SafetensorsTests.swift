import Foundation
import NN
import XCTest
@testable import MelCNN

/// The safetensors layout read back by hand: header length, JSON header, offsets, bytes.
final class SafetensorsTests: XCTestCase {
    func testHeaderOffsetsAndValuesReadBack() throws {
        let dict = StateDict([
            ("conv1.weight", NamedArray(shape: [2, 1, 3], values: [1, -2, 3.5, 4, 5, -6.25])),
            ("bn1.num_batches_tracked", NamedArray(scalar: 7)),
            ("out.bias", NamedArray(shape: [3], values: [0.5, .pi, -0])),
        ])
        let data = try Safetensors.encode(dict, metadata: ["classes": "[\"a\",\"b\",\"c\"]"])
        let headerLength = Int(data.prefix(8).withUnsafeBytes { $0.loadUnaligned(as: UInt64.self).littleEndian })
        XCTAssertEqual(headerLength % 8, 0, "header padded to 8 bytes")
        let header = try XCTUnwrap(JSONSerialization.jsonObject(with: data.subdata(in: 8 ..< 8 + headerLength)) as? [String: Any])
        let payload = data.subdata(in: 8 + headerLength ..< data.count)
        XCTAssertEqual((header["__metadata__"] as? [String: String])?["classes"], "[\"a\",\"b\",\"c\"]")

        func entry(_ name: String) throws -> (String, [Int], Data) {
            let e = try XCTUnwrap(header[name] as? [String: Any], name)
            let offsets = try XCTUnwrap(e["data_offsets"] as? [Int])
            return (try XCTUnwrap(e["dtype"] as? String), try XCTUnwrap(e["shape"] as? [Int]),
                    payload.subdata(in: offsets[0] ..< offsets[1]))
        }
        func floats(_ d: Data) -> [Float] {
            stride(from: 0, to: d.count, by: 4).map { i in
                Float(bitPattern: d.subdata(in: i ..< i + 4).withUnsafeBytes { $0.loadUnaligned(as: UInt32.self).littleEndian })
            }
        }
        let (dtype, shape, bytes) = try entry("conv1.weight")
        XCTAssertEqual(dtype, "F32")
        XCTAssertEqual(shape, [2, 1, 3])
        XCTAssertEqual(floats(bytes), [1, -2, 3.5, 4, 5, -6.25])
        let (intType, intShape, intBytes) = try entry("bn1.num_batches_tracked")
        XCTAssertEqual(intType, "I64")
        XCTAssertEqual(intShape, [])
        XCTAssertEqual(intBytes.withUnsafeBytes { $0.loadUnaligned(as: Int64.self).littleEndian }, 7)
        XCTAssertEqual(floats(try entry("out.bias").2).map(\.bitPattern), [Float(0.5), .pi, -0].map(\.bitPattern))
        // The payload is exactly the tensors, back to back.
        XCTAssertEqual(payload.count, 6 * 4 + 8 + 3 * 4)
    }

    func testShapeAndValueCountMustAgree() {
        let dict = StateDict([("w", NamedArray(shape: [2, 2], values: [1, 2, 3]))])
        XCTAssertThrowsError(try Safetensors.encode(dict))
    }
}
