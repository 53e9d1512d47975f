import ArgumentParser
import Foundation
import MelCNN
import ToolSupport

extension PrepareCommand {
    /// The temporary part of `rank` of `size` next to the output (`data.h5.part-1-of-4.h5`).
    static func mpiPartPath(output: String, rank: Int, size: Int) -> String {
        "\(output).part-\(rank)-of-\(size).h5"
    }

    /// `mpirun -np N melcnn prepare ...`: rank r writes part r/N next to --out (as
    /// `prepare --shard r/N`), the ranks tell each other whether their part succeeded, rank 0
    /// merges the N parts into --out (as `melcnn merge`) and every part is removed.
    /// A failure on any rank ends every rank with status 1; only the lowest failing rank
    /// prints its error line. A dead rank makes mpirun end the job; a hung one is ended by
    /// `--mpi-timeout` (the wait for the slowest part runs under MPIWorld's watchdog).
    func runUnderMPI() throws {
        let timeoutValid = mpiTimeout >= 0 && mpiTimeout.isFinite
        let world = try MPIWorld(timeout: timeoutValid ? mpiTimeout : 0)
        if world.size == 1 {   // mpirun -np 1: a plain prepare
            guard timeoutValid else {
                throw CLIError.flag("--mpi-timeout", "expected seconds >= 0, got \(mpiTimeout)")
            }
            let (options, folder) = try resolvedOptions()
            print(try prepare(folder: folder, options: options, output: out, progressShown: true).line)
            try world.finish()
            return
        }
        let part = Self.mpiPartPath(output: out, rank: world.rank, size: world.size)
        var failure: Error?
        do {
            guard timeoutValid else {
                throw CLIError.flag("--mpi-timeout", "expected seconds >= 0, got \(mpiTimeout)")
            }
            guard shard == nil else {
                throw CLIError.flag("--shard", "cannot be combined with mpirun: rank r of N prepares part r/N itself")
            }
            var (options, folder) = try resolvedOptions()
            options.shard = try PrepareShard(index: world.rank, count: world.size)
            let summary = try prepare(folder: folder, options: options, output: part, progressShown: world.rank == 0)
            Console.error("prepare: MPI rank \(world.rank) of \(world.size): " + summary.line)
        } catch {
            failure = error
        }
        // Every rank learns which ranks failed (the slowest part bounds this wait).
        var failed = [Double](repeating: 0, count: world.size)
        if failure != nil { failed[world.rank] = 1 }
        try world.allreduceSum(&failed, what: "waiting for the other ranks' parts")
        if let first = failed.firstIndex(where: { $0 > 0 }) {
            try? FileManager.default.removeItem(atPath: part)
            try world.finish()
            if first == world.rank, let failure { throw failure }
            throw ExitCode.failure   // the failing rank has said why
        }
        guard world.rank == 0 else {
            try world.finish()   // Open MPI's finalize waits for rank 0's merge
            return
        }
        let parts = (0 ..< world.size).map { Self.mpiPartPath(output: out, rank: $0, size: world.size) }
        defer { for path in parts { try? FileManager.default.removeItem(atPath: path) } }
        let summary: PrepareSummary
        do {
            summary = try MergeCommand.merge(parts: parts, output: out)
        } catch {
            try? world.finish()   // lets the other ranks leave; the error is the run's one line
            throw error
        }
        try world.finish()
        print(summary.line)
    }
}
