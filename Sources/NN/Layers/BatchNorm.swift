import Tensor

/// Batch normalisation (Ioffe and Szegedy 2015), PyTorch's `nn.BatchNorm1d` / `nn.BatchNorm2d`.
///
/// Training: normalises with the batch statistics over every axis but the channel axis 1
/// and updates `running_mean` / `running_var` (unbiased variance) with `momentum`
/// (new = (1 - momentum) old + momentum batch); evaluation: uses the running statistics.
/// Parameters `weight [C]` (gamma, init 1), `bias [C]` (beta, init 0); buffers
/// `running_mean [C]` (0), `running_var [C]` (1) and `num_batches_tracked` (0-d, counts
/// training forwards; kept so that state dicts have PyTorch's keys — it is stored as a
/// float32 scalar and loads into PyTorch's int64 buffer by value). The cumulative
/// average of PyTorch's `momentum=None` is not offered.
public class BatchNorm: Layer {
    public let weight: Tensor, bias: Tensor
    public let runningMean: Tensor, runningVar: Tensor, numBatchesTracked: Tensor
    public let eps: Float, momentum: Float
    /// Input ranks accepted (BatchNorm1d: 2 or 3, BatchNorm2d: 4).
    let ranks: Set<Int>
    public var isTraining = true
    /// Synchronised batch norm: in training, the batch statistics are those of the whole batch
    /// spread over the replicas this reducer sums over (nil: this process's batch only).
    public var statisticsReducer: BatchStatisticsReducer?

    init(_ numFeatures: Int, eps: Float, momentum: Float, ranks: Set<Int>) {
        precondition(numFeatures > 0, "BatchNorm: numFeatures must be positive")
        weight = Tensor.ones([numFeatures], requiresGrad: true)
        bias = Tensor.zeros([numFeatures], requiresGrad: true)
        runningMean = Tensor.zeros([numFeatures])
        runningVar = Tensor.ones([numFeatures])
        numBatchesTracked = Tensor(scalar: 0)
        self.eps = eps
        self.momentum = momentum
        self.ranks = ranks
    }

    public var ownParameters: [(name: String, tensor: Tensor)] { [("weight", weight), ("bias", bias)] }
    public var ownBuffers: [(name: String, tensor: Tensor)] {
        [("running_mean", runningMean), ("running_var", runningVar), ("num_batches_tracked", numBatchesTracked)]
    }

    public func callAsFunction(_ input: Tensor) -> Tensor {
        precondition(ranks.contains(input.rank), "BatchNorm: input of shape \(input.shape) has the wrong rank")
        if isTraining { numBatchesTracked.data[0] += 1 }
        return batchNorm(input, weight: weight, bias: bias, runningMean: runningMean, runningVar: runningVar,
                         training: isTraining, momentum: momentum, eps: eps, reducer: statisticsReducer)
    }
}

/// Batch norm over `[N, C]` or `[N, C, L]` (channel axis 1).
public final class BatchNorm1d: BatchNorm {
    public init(_ numFeatures: Int, eps: Float = 1e-5, momentum: Float = 0.1) {
        super.init(numFeatures, eps: eps, momentum: momentum, ranks: [2, 3])
    }
}

/// Batch norm over `[N, C, H, W]` (channel axis 1).
public final class BatchNorm2d: BatchNorm {
    public init(_ numFeatures: Int, eps: Float = 1e-5, momentum: Float = 0.1) {
        super.init(numFeatures, eps: eps, momentum: momentum, ranks: [4])
    }
}
