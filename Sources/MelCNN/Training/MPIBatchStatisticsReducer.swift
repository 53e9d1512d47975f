import NN
import Tensor

/// Synchronised batch norm over MPI (PyTorch's `SyncBatchNorm`): every batch-norm layer of the
/// model sums its per-channel statistics over the ranks with MPI_Allreduce (float64), in the
/// forward pass (count, Σx, Σ(x-μ)²) and the backward pass (Σdy, Σdy·x̂), so that every rank
/// normalises with the statistics of the whole global batch. The layers call it in the same
/// order on every rank (same model and graph). A failed allreduce is kept and thrown by
/// `check()` at the next step boundary (the layers cannot throw); the collective watchdog ends
/// a rank that waits too long.
final class MPIBatchStatisticsReducer: BatchStatisticsReducer {
    private let world: MPIWorld
    private var failure: Error?
    private var installed: ObjectIdentifier?

    init(world: MPIWorld) {
        self.world = world
    }

    func sum(_ values: inout [Double]) {
        guard failure == nil else { return }
        do { try world.allreduceSum(&values, what: "MPI_Allreduce of the batch-norm statistics") } catch { failure = error }
    }

    /// Throws the first MPI error since the last call.
    func check() throws {
        if let failure {
            self.failure = nil
            throw failure
        }
    }

    /// Sets this reducer on every batch-norm layer of `model` (once per model).
    func install(in model: GenreCNN) {
        guard installed != ObjectIdentifier(model) else { return }
        installed = ObjectIdentifier(model)
        var pending: [any Module] = [model]
        while let module = pending.popLast() {
            if let norm = module as? BatchNorm { norm.statisticsReducer = self }
            pending += module.children.map(\.module)
        }
    }
}
