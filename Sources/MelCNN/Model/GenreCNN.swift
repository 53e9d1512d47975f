import NN
import Tensor

/// The genre network built from a `ModelSpec`. Kind `cnn1d`, the Spotify-style CNN
/// (Dieleman 2014): 1-D convolutions over time with the mel bins as input channels, global
/// temporal pooling, dense layers and an output layer with one unit per class. Kinds `cnn2d`
/// and `resnet2d` (Won et al. 2020) replace the 1-D stack by 2-D blocks over the patch seen
/// as a one-channel image `[N, 1, n_mels, T]` and pool globally over (mel, time); the dense
/// head is the same.
///
/// Layer names follow PyTorch's `state_dict` so a checkpoint loads into the same
/// architecture written with `torch.nn` (see `Benchmarks/train/torch_model.py`):
/// `conv1 … convN` (`Conv1d`), `bn1 … bnN` (`BatchNorm1d`, when `batch_norm`),
/// `fc1 … fcM` (hidden `Linear`), `out` (`Linear` to the classes). `cnn2d`: `conv1 … convN`
/// (`Conv2d` 3x3, no bias), `bn1 … bnN` (`BatchNorm2d`); `resnet2d`: `block1 … blockN`
/// (`ResidualBlock2d`: `blockI.conv1`, `.bn1`, `.conv2`, `.bn2`, `.downsample.0`, `.downsample.1`).
///
/// Forward, for input `[N, n_mels, T]`:
/// `conv_i -> [bn_i] -> ReLU -> [pool_i]` for each block, `GlobalTemporalPool` (the `pool`
/// embedding, `[N, C * kinds]`), then `fc_j -> ReLU -> Dropout` (the `fc_j` embeddings),
/// then `out` (logits `[N, classes]`).
public final class GenreCNN: Module {
    public let spec: ModelSpec
    public let inputChannels: Int
    public let classCount: Int
    /// Training mode of this module; `train(_:)` (NN) sets it on the whole tree.
    public var isTraining = true

    public let convs: [Conv1d]
    public let norms: [BatchNorm1d]
    let pools: [(any Layer)?]
    /// `cnn2d` blocks (empty for other kinds).
    public let convs2d: [Conv2d]
    public let norms2d: [BatchNorm2d]
    let pool2d = MaxPool2d(kernelSize: (2, 2))
    /// `resnet2d` blocks (empty for other kinds).
    public let blocks: [ResidualBlock2d]
    /// The recurrent layer of `crnn` over the time steps left by the conv blocks.
    public let gru: GRU?
    let globalPool: GlobalTemporalPool
    public let dense: [Linear]
    public let dropouts: [Dropout]
    public let output: Linear

    /// Builds the network with PyTorch's default initialisation drawn from `generator`;
    /// dropout masks come from generators seeded with `dropoutSeed + j`.
    public init(spec: ModelSpec, inputChannels: Int, classCount: Int, using generator: inout SeededGenerator,
                dropoutSeed: UInt64 = 0) {
        self.spec = spec
        self.inputChannels = inputChannels
        self.classCount = classCount
        var convs: [Conv1d] = [], norms: [BatchNorm1d] = [], pools: [(any Layer)?] = []
        var channels = inputChannels
        var convs2d: [Conv2d] = [], norms2d: [BatchNorm2d] = [], blocks: [ResidualBlock2d] = []
        var planeChannels = 1, planeHeight = inputChannels
        for width in spec.channels where spec.is2d {
            planeHeight = spec.kind == .resnet2d ? (planeHeight + 1) / 2 : planeHeight / 2
            if spec.kind == .resnet2d {
                blocks.append(ResidualBlock2d(planeChannels, width, stride: 2, using: &generator))
            } else {
                convs2d.append(Conv2d(planeChannels, width, kernelSize: 3, padding: 1, bias: false, using: &generator))
                norms2d.append(BatchNorm2d(width))
            }
            planeChannels = width
        }
        self.convs2d = convs2d
        self.norms2d = norms2d
        self.blocks = blocks
        // crnn: each time step's features are the channels x remaining mel bins.
        gru = spec.kind == .crnn ? GRU(inputSize: planeChannels * max(planeHeight, 1), hiddenSize: spec.rnnHidden, using: &generator) : nil
        for block in spec.conv where !spec.is2d {
            convs.append(Conv1d(channels, block.channels, kernelSize: block.kernel, stride: block.stride,
                                padding: block.padding, bias: !spec.batchNorm, using: &generator))
            if spec.batchNorm { norms.append(BatchNorm1d(block.channels)) }
            switch (block.pool > 1, block.poolKind) {
            case (false, _): pools.append(nil)
            case (true, .max): pools.append(MaxPool1d(kernelSize: block.pool))
            case (true, .avg): pools.append(AvgPool1d(kernelSize: block.pool))
            }
            channels = block.channels
        }
        self.convs = convs
        self.norms = norms
        self.pools = pools
        globalPool = GlobalTemporalPool(spec.globalPool.map(Self.poolKind))
        var width = spec.pooledWidth
        var dense: [Linear] = [], dropouts: [Dropout] = []
        for (j, units) in spec.dense.enumerated() {
            dense.append(Linear(width, units, using: &generator))
            dropouts.append(Dropout(p: Float(spec.dropout), seed: dropoutSeed &+ UInt64(j)))
            width = units
        }
        self.dense = dense
        self.dropouts = dropouts
        output = Linear(width, classCount, using: &generator)
    }

    public var children: [(name: String, module: any Module)] {
        var out: [(name: String, module: any Module)] = []
        for i in convs.indices {
            out.append(("conv\(i + 1)", convs[i]))
            if spec.batchNorm { out.append(("bn\(i + 1)", norms[i])) }
            if let pool = pools[i] { out.append(("pool\(i + 1)", pool)) }
        }
        for i in convs2d.indices {
            out.append(("conv\(i + 1)", convs2d[i]))
            out.append(("bn\(i + 1)", norms2d[i]))
        }
        for i in blocks.indices { out.append(("block\(i + 1)", blocks[i])) }
        if let gru { out.append(("gru", gru)) }
        out.append(("global_pool", globalPool))
        for j in dense.indices {
            out.append(("fc\(j + 1)", dense[j]))
            out.append(("drop\(j + 1)", dropouts[j]))
        }
        out.append(("out", output))
        return out
    }

    /// Activations worth keeping: the pooled features, each hidden dense output (after
    /// ReLU and before dropout) and the logits.
    public struct Outputs {
        public var pooled: Tensor
        public var hidden: [Tensor]
        public var logits: Tensor
    }

    /// The forward pass keeping the intermediate embeddings; input `[N, n_mels, T]`.
    public func forwardAll(_ x: Tensor) -> Outputs {
        var h = x
        var fusedPooled: Tensor?
        if spec.is2d {
            h = x.reshaped([x.shape[0], 1, x.shape[1], x.shape[2]])
            for i in convs2d.indices { h = pool2d(relu(norms2d[i](convs2d[i](h)))) }
            for block in blocks { h = block(h) }
            if let gru {   // [N, C, H, W] -> [N, W, C·H]: a sequence over time, the GRU's last state
                let steps = h.permuted([0, 3, 1, 2])
                fusedPooled = gru.forward(steps.reshaped([h.shape[0], h.shape[3], h.shape[1] * h.shape[2]])).last
            } else {   // global pooling over (mel, time): [N, C, H, W] seen as [N, C, H·W]
                fusedPooled = globalPool(h.reshaped([h.shape[0], h.shape[1], h.shape[2] * h.shape[3]]))
            }
        }
        for i in convs.indices where !spec.is2d {
            if !spec.batchNorm, pools[i] == nil, i == convs.count - 1 {
                fusedPooled = convs[i].thenReLUGlobalPool(h, globalPool)   // conv, relu, global pooling fused
                break
            }
            if !spec.batchNorm, let pool = pools[i] as? MaxPool1d {
                h = convs[i].thenReLUMaxPool(h, pool)   // conv, relu, max-pool fused per sample
                continue
            }
            h = convs[i](h)
            if spec.batchNorm { h = norms[i](h) }
            if let pool = pools[i] as? MaxPool1d {
                h = pool.afterReLU(h)   // relu then max-pool, fused
            } else {
                h = relu(h)
                if let pool = pools[i] { h = pool(h) }
            }
        }
        let pooled = fusedPooled ?? globalPool(h)
        var hidden: [Tensor] = []
        h = pooled
        for j in dense.indices {
            let a = relu(dense[j](h))
            hidden.append(a)
            h = dropouts[j](a)
        }
        return Outputs(pooled: pooled, hidden: hidden, logits: output(h))
    }

    /// Logits `[N, classes]` for input `[N, n_mels, T]`.
    public func callAsFunction(_ x: Tensor) -> Tensor { forwardAll(x).logits }

    /// The dropout generators' states (saved in checkpoints so a resumed run draws the same masks).
    public var dropoutStates: [[UInt64]] {
        get { dropouts.map(\.generator.state) }
        set {
            for (d, s) in zip(dropouts, newValue) { if let g = SeededGenerator(state: s) { d.generator = g } }
        }
    }

    static func poolKind(_ kind: ModelSpec.GlobalPoolKind) -> GlobalPoolKind {
        switch kind {
        case .mean: return .mean
        case .max: return .max
        case .l2: return .l2
        }
    }
}
