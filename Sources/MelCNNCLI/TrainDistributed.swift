import Foundation
import MelCNN
import ToolSupport

extension TrainCommand {
    /// Under Open MPI's mpirun or srun (or with --distributed): loads Open MPI, joins the job and
    /// reports the ranks; nil when this is a single-process run.
    func startDistributed() throws -> DistributedTraining? {
        guard distributed || MPIWorld.isLaunchedByMPI else { return nil }
        guard mpiTimeout >= 0, mpiTimeout.isFinite else {
            throw CLIError("--mpi-timeout must be a number of seconds >= 0, got \(mpiTimeout)")
        }
        let world = try MPIWorld(timeout: mpiTimeout)
        // mpirun turns Ctrl-C into SIGTERM for every rank, and forwards SIGUSR1: both stop the
        // run as Ctrl-C does (all ranks after the same step; rank 0 saves last.h5).
        InterruptFlag.install(mpiSignals: true)
        if world.rank == 0 {
            Console.error("train: MPI rank 0 of \(world.size) (\(world.localSize) on this machine), collective timeout "
                + (world.timeout > 0 ? String(format: "%.0f s", world.timeout) : "off"))
        }
        return DistributedTraining(world: world, overlapsBackward: mpiOverlap)
    }

    /// Reports the allreduce time (rank 0) and leaves MPI.
    func finishDistributed(_ mpi: DistributedTraining) throws {
        if mpi.isWriter, mpi.reducedSteps > 0 {
            let steps = Double(mpi.reducedSteps)
            let sums = String(format: "%.1f MB in %d messages, %d ranks", Double(mpi.gradientValues * 4) / 1e6, mpi.bucketsPerStep, mpi.world.size)
            // With overlap the waiting for the slowest rank is part of the time after the pass.
            Console.error(mpi.overlapsBackward
                ? String(format: "train: MPI allreduce of the gradients: %.1f ms per step after the backward pass (started during it; ",
                         1000 * mpi.gradientReduceSeconds / steps) + sums + ")"
                : String(format: "train: MPI allreduce of the gradients: %.1f ms per step (", 1000 * mpi.gradientReduceSeconds / steps)
                    + sums + String(format: "), %.1f ms per step waiting for the slowest rank", 1000 * mpi.waitSeconds / steps))
        }
        try mpi.world.finish()
    }
}
