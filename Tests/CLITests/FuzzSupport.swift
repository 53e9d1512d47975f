import Foundation

/// Bit-flip mutations of a file and a timed run of `melcnn` on the result, for the
/// damaged-file fuzz test (`DamagedFileFuzzTests`) and its classification of outcomes.
enum Fuzz {
    /// SplitMix64 (Steele, Lea, Flood 2014): a seeded generator, so every run mutates alike.
    struct Generator {
        var state: UInt64
        mutating func next() -> UInt64 {
            state &+= 0x9E37_79B9_7F4A_7C15
            var z = state
            z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
            z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
            return z ^ (z >> 31)
        }
        mutating func below(_ n: Int) -> Int { Int(next() % UInt64(max(n, 1))) }
    }

    /// `bytes` with 1 to 4 bits flipped; half the mutations hit the first 8 KiB (the
    /// superblock, root group and most object headers), the rest anywhere.
    static func flipBits(_ bytes: Data, _ rng: inout Generator) -> Data {
        var out = bytes
        let flips = 1 + rng.below(4)
        let span = rng.below(2) == 0 ? min(out.count, 8192) : out.count
        for _ in 0 ..< flips {
            let position = rng.below(span)
            out[position] ^= UInt8(1) << UInt8(rng.below(8))
        }
        return out
    }

    /// How a run ended.
    enum Outcome: Equatable {
        case success
        /// Exit 1 with one error line naming the damaged file, the last line on stderr; any
        /// earlier lines are the command's progress lines (`train: loading ...`).
        case userError
        /// Any other exit status, or exit 1 with extra or missing error lines.
        case badFailure(String)
        case crash(signal: Int32)
        case hang
    }

    /// Runs `melcnn args...` on the damaged file `damaged`, killing it after `timeout` seconds.
    static func run(_ args: [String], damaged: String, timeout: Double) throws -> (outcome: Outcome, stderr: String) {
        let process = Process()
        process.executableURL = CLIRunner.executable
        process.arguments = args
        let errFile = FileManager.default.temporaryDirectory.appendingPathComponent("melcnn-fuzz-\(UUID().uuidString).err")
        try CLIRunner.createEmptyFile(errFile)
        defer { try? FileManager.default.removeItem(at: errFile) }
        let err = try FileHandle(forWritingTo: errFile)
        process.standardError = err
        process.standardOutput = FileHandle.nullDevice
        try process.run()
        let deadline = Date().addingTimeInterval(timeout)
        var killed = false
        while process.isRunning {
            if Date() > deadline { kill(process.processIdentifier, SIGKILL); killed = true; break }
            usleep(5000)
        }
        process.waitUntilExit()
        try err.close()
        let stderr = (try? String(contentsOf: errFile, encoding: .utf8)) ?? ""
        if killed { return (.hang, stderr) }
        if process.terminationReason == .uncaughtSignal { return (.crash(signal: process.terminationStatus), stderr) }
        switch process.terminationStatus {
        case 0: return (.success, stderr)
        case 1:
            let lines = stderr.split(separator: "\n")
            let progress = lines.dropLast().allSatisfy { $0.hasPrefix("\(args[0]): ") }
            let wellFormed = lines.last?.contains(damaged) == true && progress && !stderr.contains("HDF5-DIAG")
            return (wellFormed ? .userError : .badFailure("exit 1: \(stderr)"), stderr)
        case let status: return (.badFailure("exit \(status): \(stderr)"), stderr)
        }
    }
}
