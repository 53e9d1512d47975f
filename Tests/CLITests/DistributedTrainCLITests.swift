import Foundation
import HDF5
import XCTest

/// `mpirun -np 2 melcnn train` (data-parallel training over Open MPI, docs/distributed.md):
/// equality with one process, rank-0-only writes, resume, Ctrl-C, and a dead or hung rank.
/// Skipped when Open MPI's mpirun is not installed (`scripts/install-deps.sh` installs it).
final class DistributedTrainCLITests: XCTestCase {
    /// mpirun, or nil when Open MPI is not installed.
    static let mpirun: String? = {
        let path = ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin:/bin"
        return (path.split(separator: ":").map { "\($0)/mpirun" } + ["/usr/bin/mpirun"])
            .first { FileManager.default.isExecutableFile(atPath: $0) }
    }()

    /// Two processes on this machine whatever its cores; as root too (Open MPI refuses root by
    /// default); no single-copy shared-memory mechanism (containers often forbid ptrace).
    static let mpirunOptions = ["--oversubscribe", "--mca", "btl_vader_single_copy_mechanism", "none"]
    static let mpirunEnvironment = ["OMPI_ALLOW_RUN_AS_ROOT": "1", "OMPI_ALLOW_RUN_AS_ROOT_CONFIRM": "1"]

    func requireMPI() throws -> String {
        guard let mpirun = Self.mpirun else {
            throw XCTSkip("mpirun not found: install Open MPI (openmpi-bin, libopenmpi-dev; scripts/install-deps.sh) to run the MPI tests")
        }
        return mpirun
    }

    /// The demo config without batch norm (per-rank statistics differ from one process's),
    /// with dropout and `augment` (SpecAugment and gain; mixup when `mixup`).
    func writeConfig(_ dir: URL, mixup: Bool) throws -> String {
        var text = try String(contentsOfFile: TrainCLITests.configPath, encoding: .utf8)
        text = text.replacingOccurrences(of: "batch_norm: true", with: "batch_norm: false")
        text += """
        augment:
          time_masks: 1
          time_mask_width: 8
          freq_masks: 1
          freq_mask_width: 6
          mixup_alpha: \(mixup ? "0.4" : "0.0")
          gain_db: 3.0

        """
        let url = dir.appendingPathComponent(mixup ? "mixup.yaml" : "augment.yaml")
        try text.write(to: url, atomically: true, encoding: .utf8)
        return url.path
    }

    /// `mpirun -np ranks melcnn ARGS` to completion.
    func mpirun(_ ranks: Int, _ args: [String], environment: [String: String] = [:]) throws -> CLIRunner.Result {
        try CLIRunner.run(program: try requireMPI(), ["-np", "\(ranks)"] + Self.mpirunOptions + [CLIRunner.executable.path] + args,
                          environment: Self.mpirunEnvironment.merging(environment) { $1 })
    }

    /// `/model/*` of a checkpoint.
    func weights(_ path: String) throws -> [String: [Float]] {
        let file = try H5File.open(path)
        let model = try file.openGroup("model")
        var out: [String: [Float]] = [:]
        for name in try model.members() { out[name] = try model.openDataset(name).read(as: Float.self) }
        return out
    }

    func assertClose(_ a: [String: [Float]], _ b: [String: [Float]], tolerance: Float, file: StaticString = #filePath, line: UInt = #line) {
        XCTAssertEqual(Set(a.keys), Set(b.keys), file: file, line: line)
        XCTAssertFalse(a.isEmpty, file: file, line: line)
        var worst: Float = 0, worstName = ""
        for (name, x) in a {
            guard let y = b[name], y.count == x.count else { XCTFail("\(name) differs in size", file: file, line: line); continue }
            let scale = max(1e-3, x.map(abs).max() ?? 0)
            let d = zip(x, y).map { abs($0 - $1) }.max() ?? 0
            if d / scale > worst { worst = d / scale; worstName = name }
        }
        XCTAssertLessThanOrEqual(worst, tolerance, "largest difference relative to the tensor's max: \(worstName)", file: file, line: line)
    }

    func testTwoRanksEqualOneProcessWithTheSameGlobalBatch() throws {
        _ = try requireMPI()
        let dir = try CLIRunner.temporaryDirectory(self)
        let (_, data) = try TrainCLITests.makeDataset(dir)
        for mixup in [false, true] {
            let config = try writeConfig(dir, mixup: mixup)
            let one = dir.appendingPathComponent("one-\(mixup)").path, two = dir.appendingPathComponent("two-\(mixup)").path
            // im2col convolutions: Winograd's transforms add 4x the rounding noise, which Adam
            // turns into whole steps for gradients near zero (ConvWinogradTests checks its split).
            let im2col = ["MELCNN_CONV": "im2col"]
            var r = try CLIRunner.run(["train", "--config", config, "--data", data, "--run-dir", one,
                                       "--epochs", "2", "--steps-per-epoch", "3", "--threads", "1"], environment: im2col)
            XCTAssertEqual(r.status, 0, r.stderr)
            r = try mpirun(2, ["train", "--config", config, "--data", data, "--run-dir", two,
                               "--epochs", "2", "--steps-per-epoch", "3", "--threads", "1"], environment: im2col)
            XCTAssertEqual(r.status, 0, r.stderr)
            XCTAssertTrue(r.stderr.contains("MPI rank 0 of 2"), r.stderr)
            XCTAssertTrue(r.stderr.contains("MPI allreduce of the gradients"), r.stderr)
            // 6 steps of Adam: the gradient sums differ only in summation order.
            assertClose(try weights(one + "/last.h5"), try weights(two + "/last.h5"), tolerance: 2e-4)
            // The gathered validation and the summed training counters give the same metrics.
            let rows = { (run: String) in
                try String(contentsOfFile: run + "/metrics.csv", encoding: .utf8).split(separator: "\n").dropFirst()
                    .map { $0.split(separator: ",").map { Double($0)! } }
            }
            let a = try rows(one), b = try rows(two)
            XCTAssertEqual(a.count, 2)
            XCTAssertEqual(b.count, 2)
            for (x, y) in zip(a, b) {
                for column in [2, 3, 4, 5, 6] {   // train loss and accuracy, validation loss, patch and track accuracy
                    XCTAssertEqual(x[column], y[column], accuracy: 1e-3, "metrics.csv column \(column), mixup \(mixup)")
                }
            }
        }
    }

    /// Sums started during the backward pass (the default) and after it give the same weights,
    /// bit for bit (two ranks: the same two addends per value either way).
    func testOverlappedAndAfterwardSumsGiveTheSameWeights() throws {
        _ = try requireMPI()
        let dir = try CLIRunner.temporaryDirectory(self)
        let (_, data) = try TrainCLITests.makeDataset(dir)
        let config = try writeConfig(dir, mixup: false)
        var runs: [String] = []
        for overlap in ["--mpi-overlap", "--no-mpi-overlap"] {
            let run = dir.appendingPathComponent("run\(overlap)").path
            let r = try mpirun(2, ["train", "--config", config, "--data", data, "--run-dir", run,
                                   "--epochs", "1", "--steps-per-epoch", "3", "--threads", "1", overlap])
            XCTAssertEqual(r.status, 0, r.stderr)
            XCTAssertEqual(r.stderr.contains("after the backward pass (started during it"), overlap == "--mpi-overlap", r.stderr)
            runs.append(run + "/last.h5")
        }
        XCTAssertEqual(try weights(runs[0]), try weights(runs[1]))
    }

    /// `train.sync_batch_norm`: 2 ranks normalise with the statistics of the whole global batch,
    /// so they equal one process (weights and running statistics); per-rank statistics do not.
    func testSynchronisedBatchNormEqualsOneProcess() throws {
        _ = try requireMPI()
        let dir = try CLIRunner.temporaryDirectory(self)
        let (_, data) = try TrainCLITests.makeDataset(dir)
        let demo = try String(contentsOfFile: TrainCLITests.configPath, encoding: .utf8)
        XCTAssertTrue(demo.contains("batch_norm: true"))
        var paths: [String] = []
        for sync in [true, false] {
            let text = demo.replacingOccurrences(of: "train:\n", with: "train:\n  sync_batch_norm: \(sync)\n")
            let path = dir.appendingPathComponent("sync-\(sync).yaml").path
            try text.write(toFile: path, atomically: true, encoding: .utf8)
            paths.append(path)
        }
        let args = ["--data", data, "--epochs", "1", "--steps-per-epoch", "3", "--threads", "1"]
        let one = dir.appendingPathComponent("one").path, sync = dir.appendingPathComponent("sync").path
        let perRank = dir.appendingPathComponent("per-rank").path
        var r = try CLIRunner.run(["train", "--config", paths[0], "--run-dir", one] + args)
        XCTAssertEqual(r.status, 0, r.stderr)
        r = try mpirun(2, ["train", "--config", paths[0], "--run-dir", sync] + args)
        XCTAssertEqual(r.status, 0, r.stderr)
        r = try mpirun(2, ["train", "--config", paths[1], "--run-dir", perRank] + args)
        XCTAssertEqual(r.status, 0, r.stderr)
        let reference = try weights(one + "/last.h5")
        XCTAssertTrue(reference.keys.contains { $0.hasSuffix("running_var") })
        assertClose(reference, try weights(sync + "/last.h5"), tolerance: 2e-4)
        // Per-rank statistics: the running means and variances are visibly different.
        let other = try weights(perRank + "/last.h5")
        var worst: Float = 0
        for (name, x) in reference where name.hasSuffix("running_var") {
            for (a, b) in zip(x, other[name] ?? []) { worst = max(worst, abs(a - b) / max(1e-3, abs(a))) }
        }
        XCTAssertGreaterThan(worst, 1e-3)
        // A global batch the ranks cannot share evenly is refused in one line.
        let odd = dir.appendingPathComponent("odd.yaml").path
        try demo.replacingOccurrences(of: "train:\n", with: "train:\n  sync_batch_norm: true\n")
            .replacingOccurrences(of: "  batch_size: 32\n", with: "  batch_size: 31\n").write(toFile: odd, atomically: true, encoding: .utf8)
        r = try mpirun(2, ["train", "--config", odd, "--run-dir", dir.appendingPathComponent("odd").path] + args)
        XCTAssertNotEqual(r.status, 0)
        XCTAssertTrue(r.stderr.contains("train.sync_batch_norm needs train.batch_size (31)"), r.stderr)
    }

    func testRankZeroAloneWritesAndEveryRankResumes() throws {
        let dir = try CLIRunner.temporaryDirectory(self)
        let (_, data) = try TrainCLITests.makeDataset(dir)
        let config = try writeConfig(dir, mixup: false)
        // MPMD: rank 0 and rank 1 get different run folders; rank 1's must stay empty.
        let r0 = dir.appendingPathComponent("r0").path, r1 = dir.appendingPathComponent("r1").path
        let common = ["train", "--config", config, "--data", data, "--epochs", "1", "--steps-per-epoch", "3", "--threads", "1"]
        var r = try CLIRunner.run(program: try requireMPI(),
                                  Self.mpirunOptions + ["-np", "1", CLIRunner.executable.path] + common + ["--run-dir", r0]
                                      + [":", "-np", "1", CLIRunner.executable.path] + common + ["--run-dir", r1],
                                  environment: Self.mpirunEnvironment)
        XCTAssertEqual(r.status, 0, r.stderr)
        let written = try FileManager.default.contentsOfDirectory(atPath: r0).sorted()
        XCTAssertEqual(written.filter { !$0.hasPrefix(".") }, ["best.h5", "config.yaml", "curves.svg", "last.h5", "metrics.csv"])
        XCTAssertEqual(try FileManager.default.contentsOfDirectory(atPath: r1), [], "rank 1 wrote into its run folder")
        XCTAssertEqual(r.stderr.components(separatedBy: "epoch 1/1 ").count - 1, 1, "one progress report (rank 0's): \(r.stderr)")

        // 2 epochs in one go == 1 epoch, then --resume for the second, under MPI (bit for bit: same N).
        let straight = dir.appendingPathComponent("straight").path, resumed = dir.appendingPathComponent("resumed").path
        r = try mpirun(2, ["train", "--config", config, "--data", data, "--run-dir", straight, "--epochs", "2", "--steps-per-epoch", "3", "--threads", "1"])
        XCTAssertEqual(r.status, 0, r.stderr)
        r = try mpirun(2, ["train", "--config", config, "--data", data, "--run-dir", resumed, "--epochs", "1", "--steps-per-epoch", "3", "--threads", "1"])
        XCTAssertEqual(r.status, 0, r.stderr)
        r = try mpirun(2, ["train", "--data", data, "--run-dir", resumed, "--resume", "--epochs", "2", "--steps-per-epoch", "3", "--threads", "1"])
        XCTAssertEqual(r.status, 0, r.stderr)
        XCTAssertTrue(r.stderr.contains("resuming from"), r.stderr)
        XCTAssertEqual(try weights(straight + "/last.h5"), try weights(resumed + "/last.h5"))
    }

    /// A background `mpirun -np 2 melcnn train` for many epochs; ranks carry `MELCNN_TEST_MARK`.
    final class BackgroundJob {
        let process = Process()
        let stderrURL: URL
        let mark = UUID().uuidString

        init(mpirun: String, args: [String], folder: URL, mpirunOptions: [String] = []) throws {
            stderrURL = folder.appendingPathComponent("mpirun-\(mark).txt")
            try CLIRunner.createEmptyFile(stderrURL)
            process.executableURL = URL(fileURLWithPath: mpirun)
            process.arguments = ["-np", "2"] + DistributedTrainCLITests.mpirunOptions + mpirunOptions + [CLIRunner.executable.path] + args
            process.environment = ProcessInfo.processInfo.environment
                .merging(DistributedTrainCLITests.mpirunEnvironment) { $1 }.merging(["MELCNN_TEST_MARK": mark]) { $1 }
            process.standardOutput = FileHandle.nullDevice
            process.standardError = try FileHandle(forWritingTo: stderrURL)
            try process.run()
        }

        var stderr: String { (try? String(contentsOf: stderrURL, encoding: .utf8)) ?? "" }

        /// The PID of rank `rank` of this job (found by its environment), nil if not running.
        func pid(ofRank rank: Int) -> Int32? {
            for entry in (try? FileManager.default.contentsOfDirectory(atPath: "/proc")) ?? [] {
                guard let pid = Int32(entry), let environ = FileManager.default.contents(atPath: "/proc/\(entry)/environ") else { continue }
                let variables = Set(environ.split(separator: 0).map { String(decoding: $0, as: UTF8.self) })
                if variables.contains("MELCNN_TEST_MARK=\(mark)"), variables.contains("OMPI_COMM_WORLD_RANK=\(rank)") { return pid }
            }
            return nil
        }

        /// Waits up to `seconds` for the job to end; false if it is still running.
        func waitForExit(upTo seconds: Double) -> Bool {
            let deadline = Date().addingTimeInterval(seconds)
            while process.isRunning, Date() < deadline { usleep(20_000) }
            return !process.isRunning
        }

        deinit {
            if process.isRunning {
                for rank in 0 ..< 2 { if let pid = pid(ofRank: rank) { kill(pid, SIGKILL) } }
                process.terminate()
                process.waitUntilExit()
            }
        }
    }

    func startLongJob(_ dir: URL, extra: [String] = []) throws -> (BackgroundJob, String, String) {
        let (_, data) = try TrainCLITests.makeDataset(dir)
        let config = try writeConfig(dir, mixup: false)
        let run = dir.appendingPathComponent("run").path
        let job = try BackgroundJob(mpirun: try requireMPI(),
                                    args: ["train", "--config", config, "--data", data, "--run-dir", run, "--epochs", "100000",
                                           "--steps-per-epoch", "2", "--threads", "1"] + extra, folder: dir)
        let deadline = Date().addingTimeInterval(120)
        while !FileManager.default.fileExists(atPath: run + "/last.h5"), job.process.isRunning, Date() < deadline { usleep(20_000) }
        XCTAssertTrue(FileManager.default.fileExists(atPath: run + "/last.h5"), job.stderr)
        return (job, run, data)
    }

    /// Ctrl-C on mpirun: Open MPI 4 sends SIGTERM to the ranks `odls_base_sigkill_timeout`
    /// seconds later (and SIGKILL as long after that); the ranks stop after the same step and
    /// rank 0 saves a mid-epoch last.h5. SIGUSR1 on mpirun (forwarded as is) does the same.
    func testCtrlCOrSIGUSR1OnMpirunSavesLastMidEpoch() throws {
        for signal in [SIGINT, SIGUSR1] {
            let dir = try CLIRunner.temporaryDirectory(self)
            let (_, data) = try TrainCLITests.makeDataset(dir)
            let run = dir.appendingPathComponent("run").path
            let job = try BackgroundJob(mpirun: try requireMPI(),
                                        args: ["train", "--config", TrainCLITests.configPath, "--data", data, "--run-dir", run,
                                               "--epochs", "1", "--steps-per-epoch", "1000000", "--threads", "1"],
                                        folder: dir, mpirunOptions: ["--mca", "odls_base_sigkill_timeout", "10"])
            // Training runs once both ranks exist and some steps went by.
            let deadline = Date().addingTimeInterval(60)
            while job.pid(ofRank: 1) == nil, job.process.isRunning, Date() < deadline { usleep(20_000) }
            sleep(3)
            XCTAssertFalse(FileManager.default.fileExists(atPath: run + "/last.h5"))
            kill(job.process.processIdentifier, signal)
            XCTAssertTrue(job.waitForExit(upTo: 60), job.stderr)
            if signal == SIGUSR1 {
                XCTAssertEqual(job.process.terminationStatus, 0, job.stderr)
                XCTAssertTrue(job.stderr.contains("interrupted at step"), job.stderr)
            }
            XCTAssertEqual(temporaryFiles(in: URL(fileURLWithPath: run)), [], job.stderr)
            let file = try H5File.open(run + "/last.h5")
            XCTAssertGreaterThan(try file.attributes.read("step_in_epoch", as: Int.self), 0, "last.h5 saved mid-epoch on \(signal)")
            let r = try CLIRunner.run(["eval", "--checkpoint", run + "/last.h5", "--data", data])
            XCTAssertEqual(r.status, 0, r.stderr)
        }
    }

    func testHungRankStopsTheOthersWithAnErrorWithinTheTimeout() throws {
        let dir = try CLIRunner.temporaryDirectory(self)
        let (job, _, _) = try startLongJob(dir, extra: ["--mpi-timeout", "4"])
        let rank1 = try XCTUnwrap(job.pid(ofRank: 1), job.stderr)
        kill(rank1, SIGSTOP)   // hangs: alive, never reaches the next collective
        defer { kill(rank1, SIGKILL) }
        let start = Date()
        XCTAssertTrue(job.waitForExit(upTo: 60), "mpirun still running 60 s after rank 1 hung: " + job.stderr)
        XCTAssertLessThan(Date().timeIntervalSince(start), 30)
        XCTAssertNotEqual(job.process.terminationStatus, 0)
        XCTAssertTrue(job.stderr.contains("did not complete within 4 s"), job.stderr)
    }

    func testKilledRankEndsTheRunWithAnError() throws {
        let dir = try CLIRunner.temporaryDirectory(self)
        let (job, _, _) = try startLongJob(dir, extra: ["--mpi-timeout", "4"])
        let rank1 = try XCTUnwrap(job.pid(ofRank: 1), job.stderr)
        kill(rank1, SIGKILL)
        XCTAssertTrue(job.waitForExit(upTo: 30), "mpirun still running 30 s after rank 1 died: " + job.stderr)
        XCTAssertNotEqual(job.process.terminationStatus, 0, job.stderr)
    }

    func testBadMPIOptionsAreOneLineErrors() throws {
        let dir = try CLIRunner.temporaryDirectory(self)
        // Without Open MPI: --distributed names the library it could not load.
        var r = try CLIRunner.run(["train", "--config", TrainCLITests.configPath, "--data", dir.appendingPathComponent("none.h5").path,
                                   "--run-dir", dir.path, "--distributed"],
                                  environment: ["MELCNN_MPI_LIBRARY": dir.appendingPathComponent("libmpi-missing.so").path])
        XCTAssertEqual(r.status, 1)
        XCTAssertTrue(r.stderr.contains("cannot load Open MPI") && r.stderr.contains("libmpi-missing.so"), r.stderr)
        XCTAssertEqual(r.stderr.split(separator: "\n").count, 1, r.stderr)
        r = try CLIRunner.run(["train", "--config", TrainCLITests.configPath, "--data", "x.h5", "--run-dir", dir.path,
                               "--distributed", "--mpi-timeout", "-3"])
        XCTAssertEqual(r.status, 1)
        XCTAssertTrue(r.stderr.contains("--mpi-timeout"), r.stderr)
        // Under MPI, a global batch smaller than the ranks cannot be split.
        let (_, data) = try TrainCLITests.makeDataset(dir)
        r = try mpirun(2, ["train", "--config", TrainCLITests.configPath, "--data", data, "--run-dir", dir.appendingPathComponent("run").path,
                           "--batch-size", "1", "--epochs", "1", "--steps-per-epoch", "1", "--threads", "1"])
        XCTAssertNotEqual(r.status, 0)
        XCTAssertTrue(r.stderr.contains("train.batch_size = 1 is smaller than the 2 MPI ranks"), r.stderr)
    }
}
