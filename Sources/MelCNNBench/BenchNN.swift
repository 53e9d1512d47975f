import ArgumentParser
import MelCNN
import NN
import Tensor

/// `melcnn-bench nn`: the full-size Spotify-style network (Dieleman 2014) on random
/// input, the Swift side of `Benchmarks/nn/` (peer: `Benchmarks/nn/peer.py`, PyTorch).
struct BenchNN: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "nn",
        abstract: "Benchmark the Spotify-style CNN: training, inference, conv stack, SGEMM.",
        discussion: """
            Input [B, 128 mels, 599 frames]; conv1d 128->256 k4 ReLU max-pool 4; 256->256 k4 ReLU \
            max-pool 2; 256->512 k4 ReLU; global mean/max/L2 -> 1536; dense 2048 ReLU; dense 2048 \
            ReLU; dense 10. Prints one JSON line: the median of 10 steps after 2 warm-up steps. \
            Run one configuration per process so that rss_mb is that configuration's peak. \
            conv2d / res2d: the 2-D trunk of Configs/shortchunk.yaml / Configs/resnet.yaml (Won et \
            al. 2020 at half width: channels 64, 64, 128, 128, 128, 128, 256) on [32, 1, 128 mels, \
            160 frames], forward + backward of the sum of its output, batch norm in training mode. \
            train_cnn2d / train_res2d: a training step of the whole network (trunk, global max, \
            dense 256, dropout 0.5, 10 outputs) on [32, 128, 160].
            Example: melcnn-bench nn --config train --threads 2
            """
    )

    enum Config: String, ExpressibleByArgument, CaseIterable {
        case train, infer, conv, sgemm, conv2d, res2d
        case trainCNN2d = "train_cnn2d", trainRes2d = "train_res2d"
    }

    @Option(parsing: .unconditional, help: "What to time: train (SGD-Nesterov step, batch 32), infer (batch 64), conv (conv stack forward+backward, batch 32), sgemm (1024^3), conv2d / res2d (short-chunk CNN / residual trunk forward+backward, batch 32), train_cnn2d / train_res2d (SGD-Nesterov step of the whole Configs/shortchunk.yaml / resnet.yaml network, batch 32).")
    var config: Config

    @Option(parsing: .unconditional, help: "Threads for OpenBLAS and melcnn's loops.")
    var threads: Int = 1

    static let mels = 128, frames = 599, classes = 10
    /// FLOPs per sample of the conv stack forward, and of its backward input gradients (conv2, conv3).
    static let convForward = 2 * (256 * 596 * 128 * 4 + 256 * 146 * 256 * 4 + 512 * 70 * 256 * 4)
    static let convBackwardInput = 2 * (256 * 146 * 256 * 4 + 512 * 70 * 256 * 4)

    func run() throws {
        guard threads >= 1 else { throw BenchNNError("--threads must be at least 1, got \(threads)") }
        Threads.setCount(threads)
        var rng = SeededGenerator(seed: 0)
        let t = threads
        switch config {
        case .sgemm:
            let a = Tensor.normal([1024, 1024], mean: 0, std: 1, using: &rng)
            let b = Tensor.normal([1024, 1024], mean: 0, std: 1, using: &rng)
            let ms = BenchTiming.medianMs(runs: 10, warmup: 2) { _ = matmul(a, b) }
            BenchTiming.emit("nn_sgemm_1024_t\(t)", ms: ms, extra: [
                "gflops": 2 * 1024 * 1024 * 1024 / ms / 1e6,
            ], labels: ["backend": SGEMMBackend.kernel])
        case .train:
            let model = Self.network(using: &rng)
            try Self.timeTrainingStep(model, name: "nn_train_b32_t\(t)", input: [32, Self.mels, Self.frames], using: &rng) { model($0) }
        case .infer:
            let model = Self.network(using: &rng)
            model.eval()
            let batch = 64
            let x = Tensor.normal([batch, Self.mels, Self.frames], mean: 0, std: 1, using: &rng)
            let ms = BenchTiming.medianMs(runs: 10, warmup: 2) { _ = Autograd.noGrad { model(x) } }
            BenchTiming.emit("nn_infer_b64_t\(t)", ms: ms, extra: [
                "samples_per_s": Double(batch) / ms * 1000, "rss_mb": BenchTiming.peakResidentMB(),
            ])
        case .conv:
            let convs = Sequential(Array(Self.network(using: &rng).layers.prefix(8)))
            let batch = 32
            let x = Tensor.normal([batch, Self.mels, Self.frames], mean: 0, std: 1, using: &rng)
            let ms = BenchTiming.medianMs(runs: 10, warmup: 2) {
                convs.zeroGrad()
                convs(x).sum().backward()
            }
            let flops = Double((2 * Self.convForward + Self.convBackwardInput) * batch)
            BenchTiming.emit("nn_conv_fwd_bwd_b32_t\(t)", ms: ms, extra: ["gflops": flops / ms / 1e6])
        case .trainCNN2d, .trainRes2d:
            var spec = ModelSpec()
            spec.kind = config == .trainCNN2d ? .cnn2d : .resnet2d
            spec.channels = Self.widths
            spec.globalPool = [.max]
            spec.dense = [256]
            let model = GenreCNN(spec: spec, inputChannels: Self.mels, classCount: Self.classes, using: &rng)
            try Self.timeTrainingStep(model, name: "nn_\(config.rawValue)_b32_t\(t)", input: [32, Self.mels, Self.chunkFrames],
                                      using: &rng) { model($0) }
        case .conv2d, .res2d:
            let residual = config == .res2d
            let trunk = Self.trunk2d(residual: residual, using: &rng)
            let batch = 32
            let x = Tensor.normal([batch, 1, Self.mels, Self.chunkFrames], mean: 0, std: 1, using: &rng)
            let ms = BenchTiming.medianMs(runs: 10, warmup: 2) {
                trunk.zeroGrad()
                trunk(x).sum().backward()
            }
            let flops = Double(Self.trunk2dFlops(residual: residual) * batch)
            BenchTiming.emit("nn_\(config.rawValue)_fwd_bwd_b32_t\(t)", ms: ms, extra: [
                "gflops": flops / ms / 1e6, "rss_mb": BenchTiming.peakResidentMB(),
            ])
        }
    }

    /// Times SGD-Nesterov steps (lr 0.01, momentum 0.9, cross-entropy on random targets) of
    /// `forward` on a random batch of shape `input` and prints the JSON line `name`.
    static func timeTrainingStep(_ model: any Module, name: String, input: [Int], using rng: inout SeededGenerator,
                                 _ forward: @escaping (Tensor) -> Tensor) throws {
        let batch = input[0]
        let x = Tensor.normal(input, mean: 0, std: 1, using: &rng)
        let targets = (0 ..< batch).map { _ in Int(rng.next() % UInt64(classes)) }
        let optimizer = try SGD(model, learningRate: 0.01, momentum: 0.9, nesterov: true)
        let ms = BenchTiming.medianMs(runs: 10, warmup: 2) {
            model.zeroGrad()
            crossEntropy(forward(x), targets: targets).backward()
            optimizer.step()
        }
        BenchTiming.emit(name, ms: ms, extra: [
            "samples_per_s": Double(batch) / ms * 1000, "rss_mb": BenchTiming.peakResidentMB(),
        ])
    }

    /// Frames of a short chunk (~3.7 s at hop 512, Configs/shortchunk.yaml) and the 2-D trunk widths.
    static let chunkFrames = 160, widths = [64, 64, 128, 128, 128, 128, 256]

    /// The 2-D trunk: per width, `Conv2d 3x3 (no bias) -> BatchNorm2d -> ReLU -> MaxPool2d 2`
    /// (short-chunk CNN) or a `ResidualBlock2d` with stride 2.
    static func trunk2d(residual: Bool, using rng: inout SeededGenerator) -> Sequential {
        var layers: [any Layer] = [], cin = 1
        for c in widths {
            if residual {
                layers.append(ResidualBlock2d(cin, c, stride: 2, using: &rng))
            } else {
                layers += [Conv2d(cin, c, kernelSize: 3, padding: 1, bias: false, using: &rng), BatchNorm2d(c), ReLU(),
                           MaxPool2d(kernelSize: (2, 2))]
            }
            cin = c
        }
        return Sequential(layers)
    }

    /// Convolution FLOPs per sample of the 2-D trunk's forward + backward: forward, weight
    /// gradient and input gradient (none for the first conv) of every conv, multiply-add = 2.
    static func trunk2dFlops(residual: Bool) -> Int {
        var (h, w, cin, total) = (mels, chunkFrames, 1, 0)
        for c in widths {
            if residual {
                let (oh, ow) = ((h + 1) / 2, (w + 1) / 2)
                let conv1 = 2 * c * cin * 9 * oh * ow, conv2 = 2 * c * c * 9 * oh * ow, proj = 2 * c * cin * oh * ow
                total += (cin == 1 ? 2 : 3) * (conv1 + proj) + 3 * conv2
                (h, w) = (oh, ow)
            } else {
                total += (cin == 1 ? 2 : 3) * 2 * c * cin * 9 * h * w
                (h, w) = (h / 2, w / 2)
            }
            cin = c
        }
        return total
    }

    /// The full-size network as a `Sequential` (layers 0-7 are the conv stack).
    static func network(using rng: inout SeededGenerator) -> Sequential {
        Sequential([
            Conv1d(mels, 256, kernelSize: 4, using: &rng), ReLU(), MaxPool1d(kernelSize: 4),
            Conv1d(256, 256, kernelSize: 4, using: &rng), ReLU(), MaxPool1d(kernelSize: 2),
            Conv1d(256, 512, kernelSize: 4, using: &rng), ReLU(),
            GlobalTemporalPool([.mean, .max, .l2]),
            Linear(1536, 2048, using: &rng), ReLU(),
            Linear(2048, 2048, using: &rng), ReLU(),
            Linear(2048, classes, using: &rng),
        ])
    }
}

struct BenchNNError: Error, CustomStringConvertible {
    let description: String
    init(_ description: String) { self.description = description }
}
