import Foundation
import XCTest

/// Runs the built `melcnn` (or `melcnn-bench`) executable and captures its exit code, stdout and stderr.
enum CLIRunner {
    struct Result {
        var status: Int32
        var stdout: String
        var stderr: String
    }

    /// The `melcnn` binary next to the test bundle in the build products folder.
    static var executable: URL { executable(named: "melcnn") }

    /// The benchmark tool `melcnn-bench` (the Swift side of `make bench`).
    static var benchExecutable: URL { executable(named: "melcnn-bench") }

    /// The product `name` next to the test bundle in the build products folder.
    static func executable(named name: String) -> URL {
        let products = Bundle.allBundles.first { $0.bundlePath.hasSuffix(".xctest") }?
            .bundleURL.deletingLastPathComponent() ?? Bundle.main.bundleURL
        return products.appendingPathComponent(name)
    }

    /// Runs `melcnn args...` (or `tool`, e.g. ``benchExecutable``) to completion.
    static func run(_ args: [String], environment: [String: String]? = nil, tool: URL = executable) throws -> Result {
        try run(program: tool.path, args, environment: environment)
    }

    /// Runs any program (a shell, `setpriv`, ...) with `args` and captures its output.
    static func run(program: String, _ args: [String], environment: [String: String]? = nil) throws -> Result {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: program)
        process.arguments = args
        if let environment { process.environment = ProcessInfo.processInfo.environment.merging(environment) { $1 } }
        let out = Pipe(), err = Pipe()
        process.standardOutput = out
        process.standardError = err
        try process.run()
        // Read both pipes before waiting so large outputs cannot block the child.
        final class Box: @unchecked Sendable { var data = Data() }
        let errBox = Box()
        let group = DispatchGroup()
        group.enter()
        DispatchQueue.global().async { errBox.data = err.fileHandleForReading.readDataToEndOfFile(); group.leave() }
        let outData = out.fileHandleForReading.readDataToEndOfFile()
        group.wait()
        let errData = errBox.data
        process.waitUntilExit()
        return Result(status: process.terminationStatus,
                      stdout: String(decoding: outData, as: UTF8.self),
                      stderr: String(decoding: errData, as: UTF8.self))
    }

    /// A fresh temporary directory for one test, removed by the caller's `addTeardownBlock`.
    static func temporaryDirectory(_ test: XCTestCase) throws -> URL {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("melcnn-cli-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        test.addTeardownBlock { try? FileManager.default.removeItem(at: dir) }
        return dir
    }

    /// Creates an empty file at `url` (for a child's stderr); throws when it cannot.
    static func createEmptyFile(_ url: URL) throws {
        guard FileManager.default.createFile(atPath: url.path, contents: nil) else {
            throw CocoaError(.fileWriteUnknown, userInfo: [NSFilePathErrorKey: url.path])
        }
    }
}
