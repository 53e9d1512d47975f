import MelCNN
import XCTest

final class ParameterErrorTests: XCTestCase {
    func testDescriptionUsesTheAPINames() {
        let error = ParameterError("targets", ": cannot be combined with `shard` or a tagged manifest")
        XCTAssertEqual(error.description, "targets: cannot be combined with `shard` or a tagged manifest")
        XCTAssertEqual(ParameterError("k", " must be >= 1, got 0", subject: "a.h5").description, "a.h5: k must be >= 1, got 0")
    }

    func testNamingReplacesTheParameterAndEveryBacktickedName() {
        let flags = ["shard": "--shard", "targets": "--targets", "splitFiles": "--split-files"]
        let flag = { (name: String) in flags[name] ?? "<\(name)>" }
        XCTAssertEqual(ParameterError("targets", ": cannot be combined with `shard` or a tagged manifest").naming(flag),
                       "--targets: cannot be combined with --shard or a tagged manifest")
        XCTAssertEqual(ParameterError("splitFiles", ": `shard`, `targets` and `fma`", subject: "x").naming(flag),
                       "x: --split-files: --shard, --targets and <fma>")
        // Backticks around something that is not a name, or unpaired, stay as they are.
        XCTAssertEqual(ParameterError("shard", " see `melcnn merge` and a lone ` tick").naming(flag),
                       "--shard see `melcnn merge` and a lone ` tick")
        XCTAssertEqual(ParameterError("shard", " ``").naming(flag), "--shard ``")
    }
}
