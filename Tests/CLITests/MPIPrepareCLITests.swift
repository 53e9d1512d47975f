import Foundation
import HDF5
import XCTest

/// `mpirun -np 2 melcnn prepare` (docs/large-collections.md): each rank prepares its part,
/// rank 0 merges; the result equals one `prepare`. Skipped without Open MPI's mpirun.
final class MPIPrepareCLITests: XCTestCase {
    func mpirun(_ ranks: Int, _ args: [String]) throws -> CLIRunner.Result {
        guard let mpirun = DistributedTrainCLITests.mpirun else {
            throw XCTSkip("mpirun not found: install Open MPI (openmpi-bin, libopenmpi-dev; scripts/install-deps.sh) to run the MPI tests")
        }
        return try CLIRunner.run(program: mpirun, ["-np", "\(ranks)"] + DistributedTrainCLITests.mpirunOptions + [CLIRunner.executable.path] + args,
                                 environment: DistributedTrainCLITests.mpirunEnvironment)
    }

    /// A synthetic folder of 2 x 3 clips plus a corrupt file (listed in /skipped).
    func makeAudio(_ dir: URL) throws -> String {
        let audio = try CLIRunner.synthSmallAudio(in: dir).audio
        try Data("RIFF not really".utf8).write(to: URL(fileURLWithPath: audio + "/blues/zz-corrupt.wav"))
        return audio
    }

    func testTwoRanksGiveTheDataSetOfOnePrepare() throws {
        let dir = try CLIRunner.temporaryDirectory(self)
        let audio = try makeAudio(dir)
        let one = dir.appendingPathComponent("one.h5").path, two = dir.appendingPathComponent("two.h5").path
        let single = try CLIRunner.run(["prepare", audio, "--out", one, "--split", "0.34,0.33,0.33", "--jobs", "1"])
        XCTAssertEqual(single.status, 0, single.stderr)
        let r = try mpirun(2, ["prepare", audio, "--out", two, "--split", "0.34,0.33,0.33", "--jobs", "1"])
        XCTAssertEqual(r.status, 0, r.stderr)
        XCTAssertEqual(r.stdout.split(separator: "\n").last?.split(separator: " in ").first,
                       single.stdout.split(separator: "\n").last?.split(separator: " in ").first)
        XCTAssertTrue(r.stdout.hasPrefix("prepared 6 tracks (train 2, validation 2, test 2), 264 frames, 2 classes, 1 skipped"), r.stdout)
        XCTAssertTrue(r.stderr.contains("MPI rank 0 of 2: prepared part 0/2") && r.stderr.contains("MPI rank 1 of 2: prepared part 1/2"), r.stderr)
        // The temporary parts are gone; only the two data sets are left.
        let left = try FileManager.default.contentsOfDirectory(atPath: dir.path).filter { $0.hasSuffix(".h5") }.sorted()
        XCTAssertEqual(left, ["one.h5", "two.h5"])

        let a = try H5File.open(one), b = try H5File.open(two)
        XCTAssertEqual(try a.openDataset("mels").read(as: Float.self).map(\.bitPattern),
                       try b.openDataset("mels").read(as: Float.self).map(\.bitPattern))
        XCTAssertEqual(try a.openDataset("mels").shape, [264, 128])
        for name in ["tracks/offset"] { XCTAssertEqual(try a.openDataset(name).read(as: Int64.self), try b.openDataset(name).read(as: Int64.self), name) }
        for name in ["tracks/frames", "tracks/label"] { XCTAssertEqual(try a.openDataset(name).read(as: Int32.self), try b.openDataset(name).read(as: Int32.self), name) }
        XCTAssertEqual(try a.openDataset("tracks/split").read(as: UInt8.self), try b.openDataset("tracks/split").read(as: UInt8.self))
        for name in ["classes", "tracks/path", "skipped/path"] {
            XCTAssertEqual(try a.openDataset(name).readStrings(), try b.openDataset(name).readStrings(), name)
        }
        XCTAssertEqual(try a.openDataset("skipped/path").readStrings(), ["blues/zz-corrupt.wav"])
        for name in ["stats/mean", "stats/std"] {
            let x = try a.openDataset(name).read(as: Float.self), y = try b.openDataset(name).read(as: Float.self)
            XCTAssertEqual(x.count, 128)
            for (u, v) in zip(x, y) { XCTAssertEqual(u, v, accuracy: 1e-6 * max(1, abs(u)), name) }
        }
    }

    func testAFailingRankEndsAllWithOneErrorLine() throws {
        let dir = try CLIRunner.temporaryDirectory(self)
        let audio = try makeAudio(dir)
        let out = dir.appendingPathComponent("x.h5").path
        for (args, needle) in [(["prepare", audio, "--out", out, "--shard", "0/2"], "--shard"),
                               (["prepare", dir.appendingPathComponent("missing").path, "--out", out], "missing"),
                               (["prepare", audio, "--out", out, "--mpi-timeout", "-1"], "--mpi-timeout")] {
            let r = try mpirun(2, args)
            XCTAssertNotEqual(r.status, 0, r.stderr)
            let errors = r.stderr.split(separator: "\n").filter { $0.lowercased().hasPrefix("error:") }
            XCTAssertEqual(errors.count, 1, r.stderr)
            XCTAssertTrue(errors.first?.contains(needle) ?? false, r.stderr)
            XCTAssertFalse(r.stderr.contains("Fatal error"), r.stderr)
            XCTAssertEqual(try FileManager.default.contentsOfDirectory(atPath: dir.path).filter { $0.hasSuffix(".h5") }, [], r.stderr)
        }
    }
}
