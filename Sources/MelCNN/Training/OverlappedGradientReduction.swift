import CMPI
import Tensor

/// Sums the gradients over the ranks while the backward pass still runs (as PyTorch's
/// DistributedDataParallel does with its buckets): the parameters, in reverse registration
/// order (the order backward finishes them), are grouped into buckets of about `bucketBytes`;
/// a parameter of at least half a bucket gets a bucket of its own. When every parameter of the
/// next bucket in that order has its final gradient (`BackwardObserver.gradientReady`), its
/// gradients are scaled by `share / batch_size`, copied into the bucket's own buffer and
/// summed with a nonblocking MPI_Iallreduce; Open MPI moves the transfers on between backward
/// nodes (`nodeFinished` polls MPI_Testall). `finish()` starts the buckets that never became
/// ready (parameters the pass did not reach), waits for all and copies the sums back.
///
/// Buckets start in one fixed order on every rank (a bucket never starts before the ones ahead
/// of it), so every rank issues the same collectives in the same order and a run is
/// reproducible for a given number of ranks. A parameter without a gradient (the same on every
/// rank: same model and graph) is left without one. The buffers (one float per parameter
/// value, about 33 MB for the Spotify network) are kept for the whole run.
final class OverlappedGradientReduction: BackwardObserver {
    private let world: MPIWorld
    /// The parameters this reduction serves, in the order given (identity of the plan).
    let parameterIDs: [ObjectIdentifier]
    private let buckets: [[Tensor]]
    private let bucketOf: [ObjectIdentifier: Int]
    private let buffers: [UnsafeMutableBufferPointer<Float>]
    // State of the current step.
    private var remaining: [Int]
    private var sent: [[Tensor]]
    private var next = 0
    private var scale: Float = 1
    private var requests: [melcnn_mpi_request?] = []
    private var failure: Error?
    /// Messages and values summed in the last step.
    private(set) var messages = 0
    private(set) var values = 0

    init(world: MPIWorld, parameters: [Tensor], bucketBytes: Int) {
        self.world = world
        parameterIDs = parameters.map { ObjectIdentifier($0) }
        let capacity = max(1, bucketBytes / 4)
        var buckets: [[Tensor]] = [], open: [Tensor] = [], filled = 0
        for t in parameters.reversed() {
            if 2 * t.count >= capacity {
                if !open.isEmpty { buckets.append(open); open = []; filled = 0 }   // keep the order
                buckets.append([t])
                continue
            }
            if filled + t.count > capacity, !open.isEmpty { buckets.append(open); open = []; filled = 0 }
            open.append(t)
            filled += t.count
        }
        if !open.isEmpty { buckets.append(open) }
        self.buckets = buckets
        var bucketOf: [ObjectIdentifier: Int] = [:]
        for (k, members) in buckets.enumerated() { for t in members { bucketOf[ObjectIdentifier(t)] = k } }
        self.bucketOf = bucketOf
        buffers = buckets.map { members in
            let count = max(1, members.reduce(0) { $0 + $1.count })
            let buffer = UnsafeMutableBufferPointer<Float>.allocate(capacity: count)
            buffer.initialize(repeating: 0)
            return buffer
        }
        remaining = buckets.map(\.count)
        sent = Array(repeating: [], count: buckets.count)
    }

    deinit {
        for buffer in buffers { buffer.deallocate() }
    }

    /// Before a backward pass: every bucket waits for its parameters again.
    func begin(scale: Float) {
        precondition(requests.isEmpty, "OverlappedGradientReduction: a step's sums are still open")
        self.scale = scale
        remaining = buckets.map(\.count)
        sent = Array(repeating: [], count: buckets.count)
        next = 0
        failure = nil
        messages = 0
        values = 0
    }

    func gradientReady(_ leaf: Tensor) {
        guard let k = bucketOf[ObjectIdentifier(leaf)] else { return }   // e.g. a frozen parameter
        remaining[k] -= 1
        while next < buckets.count, remaining[next] == 0 {
            start(next)
            next += 1
        }
    }

    func nodeFinished() {
        guard failure == nil, !requests.isEmpty else { return }
        do { _ = try world.testAll(&requests, what: "MPI_Testall of the gradient sums") } catch { failure = error }
    }

    /// After the backward pass: starts what is left, waits for every sum and copies the
    /// gradients back. Throws the first MPI error of the step.
    func finish() throws {
        while next < buckets.count {
            start(next)
            next += 1
        }
        if let failure { throw failure }
        try world.waitAll(&requests, what: "MPI_Waitall of the gradient sums")
        for (k, members) in sent.enumerated() {
            var offset = 0
            let buffer = buffers[k]
            for t in members {
                t.grad!.withUnsafeMutableBufferPointer { g in
                    g.baseAddress!.update(from: buffer.baseAddress! + offset, count: g.count)
                }
                offset += t.count
            }
        }
    }

    /// Scales and packs bucket `k`'s gradients and starts their sum.
    private func start(_ k: Int) {
        guard failure == nil else { return }
        let members = buckets[k].filter { $0.grad != nil }
        sent[k] = members
        guard !members.isEmpty else { return }
        let buffer = buffers[k]
        var offset = 0
        for t in members {
            t.grad!.withUnsafeBufferPointer { g in
                let destination = buffer.baseAddress! + offset
                for i in 0 ..< g.count { destination[i] = g[i] * scale }
            }
            offset += t.count
        }
        do {
            try world.startAllreduceSum(UnsafeMutableBufferPointer(rebasing: buffer[0 ..< offset]), requests: &requests,
                                        what: "MPI_Iallreduce of the gradients")
            messages += 1
            values += offset
        } catch {
            failure = error
        }
    }
}
