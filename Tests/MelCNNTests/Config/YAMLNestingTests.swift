@testable import MelCNN
import Foundation
import TestSupport
import XCTest

/// Deeply nested YAML is refused before Yams parses it (Yams overflows the stack on
/// 5,000 levels, which killed the process with SIGSEGV).
final class YAMLNestingTests: XCTestCase {
    private func assertRejected(_ yaml: String, line: UInt = #line) {
        XCTAssertThrowsError(try MelCNNConfig.parse(yaml, file: "deep.yaml"), line: line) { error in
            let text = "\(error)"
            XCTAssertTrue(text.hasPrefix("deep.yaml: nested deeper than 64 levels"), text, line: line)
            XCTAssertFalse(text.contains("\n"), line: line)
        }
    }

    func testFiveThousandFlowLevelsAreRejected() {
        let n = 5_000
        assertRejected(String(repeating: "[", count: n) + String(repeating: "]", count: n) + "\n")
        assertRejected("data: " + String(repeating: "{a: ", count: n) + "1" + String(repeating: "}", count: n) + "\n")
    }

    func testFiveThousandBlockLevelsAreRejected() {
        let n = 5_000
        assertRejected(String(repeating: "- ", count: n) + "x\n")
        var mapping = ""
        for level in 0 ..< n { mapping += String(repeating: " ", count: level) + "a:\n" }
        assertRejected(mapping)
    }

    func testLoadNamesTheFile() throws {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("deep-\(UUID().uuidString).yaml")
        try Data((String(repeating: "[", count: 5_000) + String(repeating: "]", count: 5_000)).utf8).write(to: url)
        defer { try? FileManager.default.removeItem(at: url) }
        XCTAssertThrowsError(try MelCNNConfig.load(path: url.path)) { error in
            XCTAssertTrue("\(error)".hasPrefix("\(url.path): nested deeper than 64 levels at line 1"), "\(error)")
        }
    }

    func testLimitCountsLevelsExactly() {
        let ok = String(repeating: "[", count: 63) + String(repeating: "]", count: 63)
        XCTAssertNil(YAMLNesting.firstLineTooDeep(ok))          // 63 flow levels + the line itself
        let deep = String(repeating: "[", count: 64) + String(repeating: "]", count: 64)
        XCTAssertEqual(YAMLNesting.firstLineTooDeep(deep), 1)
    }

    func testBracketsInStringsCommentsAndBlockScalarsDoNotCount() {
        let brackets = String(repeating: "[", count: 200)
        let yaml = """
            # \(brackets)
            train:
              lr: 0.01 # \(brackets)
            eval:
              note: '\(brackets)'
              other: "\(brackets) \\" \(brackets)"
              text: |
                \(brackets)
                - - - - -
            model:
              dense: [64, [1, {a: [2]}]]
            """
        XCTAssertNil(YAMLNesting.firstLineTooDeep(yaml))
    }

    func testShippedConfigsPass() throws {
        let configs = Repository.configs
        let names = try FileManager.default.contentsOfDirectory(atPath: configs.path).filter { $0.hasSuffix(".yaml") }
        XCTAssertFalse(names.isEmpty)
        for name in names {
            let text = try String(contentsOf: configs.appendingPathComponent(name), encoding: .utf8)
            XCTAssertNil(YAMLNesting.firstLineTooDeep(text), name)
        }
    }
}
