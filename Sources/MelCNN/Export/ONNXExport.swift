import Foundation
import NN

/// The inference graph of a `GenreCNN` as an ONNX model (opset 17, IR version 8), written in
/// the protobuf wire format of `onnx.proto` (https://github.com/onnx/onnx/blob/main/onnx/onnx.proto).
///
/// Input `logmel`: float32 `[batch, n_mels, frames]`, a log-mel patch already standardised
/// per mel bin with the checkpoint's `/normalizer/mean` and `/normalizer/std`
/// (`(x - mean[bin]) / std[bin]`; the values are also in the model's metadata). Outputs:
/// `probabilities` `[batch, classes]` (softmax of the logits; with `head: .sigmoid`, a tag model,
/// one sigmoid per tag; with `head: .factors`, a factor model, the output is `factors`
/// `[batch, factors]`, the output layer itself) and `embedding`
/// `[batch, channels * kinds]`, the global temporal pooling (mean, max, L2 kind-major, as
/// `melcnn embed --layer pool`). Dropout is the identity at inference and is left out;
/// batch norm uses the running statistics.
public enum ONNXExport {
    /// What follows the output layer `out`.
    public enum Head: Sendable {
        /// Softmax over the classes (genre model): output `probabilities`.
        case softmax
        /// One sigmoid per tag (tag model): output `probabilities`.
        case sigmoid
        /// Nothing (factor model): output `factors`, the predicted latent factors.
        case factors
    }

    /// The model file's bytes. `stateDict` holds the model's parameters and buffers under
    /// their PyTorch names; `metadata` goes to the model's `metadata_props`.
    public static func encode(spec: ModelSpec, inputChannels: Int, classCount: Int, stateDict: StateDict,
                              metadata: [String: String] = [:], head: Head = .softmax) throws -> Data {
        var graph = GraphBuilder(stateDict: stateDict)
        var x = "logmel"
        var channels = inputChannels
        for (i, block) in spec.conv.enumerated() {
            let name = "conv\(i + 1)"
            var inputs = [x, try graph.initializer("\(name).weight", shape: [block.channels, channels, block.kernel])]
            if !spec.batchNorm { inputs.append(try graph.initializer("\(name).bias", shape: [block.channels])) }
            x = graph.node("Conv", inputs, name: name, attributes: [
                .ints("kernel_shape", [block.kernel]), .ints("strides", [block.stride]),
                .ints("pads", [block.padding, block.padding]), .ints("dilations", [1]), .int("group", 1)])
            if spec.batchNorm {
                let bn = "bn\(i + 1)"
                let stats = try ["weight", "bias", "running_mean", "running_var"].map {
                    try graph.initializer("\(bn).\($0)", shape: [block.channels])
                }
                x = graph.node("BatchNormalization", [x] + stats, name: bn, attributes: [.float("epsilon", 1e-5)])
            }
            x = graph.node("Relu", [x], name: "relu\(i + 1)")
            if block.pool > 1 {
                x = graph.node(block.poolKind == .max ? "MaxPool" : "AveragePool", [x], name: "pool\(i + 1)",
                               attributes: [.ints("kernel_shape", [block.pool]), .ints("strides", [block.pool])])
            }
            channels = block.channels
        }
        // Global temporal pooling, kind-major (GlobalPool.swift): mean, max, sqrt(mean(x²)).
        var pooled: [String] = []
        for kind in spec.globalPool {
            let axes = ONNXAttribute.ints("axes", [2]), keep = ONNXAttribute.int("keepdims", 0)
            switch kind {
            case .mean: pooled.append(graph.node("ReduceMean", [x], name: "global_mean", attributes: [axes, keep]))
            case .max: pooled.append(graph.node("ReduceMax", [x], name: "global_max", attributes: [axes, keep]))
            case .l2:
                let square = graph.node("Mul", [x, x], name: "global_l2_square")
                let mean = graph.node("ReduceMean", [square], name: "global_l2_mean", attributes: [axes, keep])
                pooled.append(graph.node("Sqrt", [mean], name: "global_l2"))
            }
        }
        let embedding = graph.node("Concat", pooled, name: "global_pool", attributes: [.int("axis", 1)],
                                   output: "embedding")
        var h = embedding, width = spec.pooledWidth
        for (j, units) in spec.dense.enumerated() {
            let name = "fc\(j + 1)"
            h = graph.node("Gemm", [h, try graph.initializer("\(name).weight", shape: [units, width]),
                                    try graph.initializer("\(name).bias", shape: [units])],
                           name: name, attributes: [.int("transB", 1)])
            h = graph.node("Relu", [h], name: "\(name)_relu")
            width = units
        }
        let logits = graph.node("Gemm", [h, try graph.initializer("out.weight", shape: [classCount, width]),
                                         try graph.initializer("out.bias", shape: [classCount])],
                                name: "out", attributes: [.int("transB", 1)], output: head == .factors ? "factors" : "logits")
        switch head {
        case .sigmoid: _ = graph.node("Sigmoid", [logits], name: "sigmoid", output: "probabilities")
        case .softmax: _ = graph.node("Softmax", [logits], name: "softmax", attributes: [.int("axis", 1)], output: "probabilities")
        case .factors: break
        }

        var model = ProtobufWriter()
        model.int(1, 8)                       // ir_version
        model.string(2, "melcnn")             // producer_name
        model.message(8) { $0.string(1, ""); $0.int(2, 17) }   // opset_import: ai.onnx 17
        model.message(7) { g in               // graph
            for node in graph.nodes { g.message(1) { node.write(to: &$0) } }
            g.string(2, "melcnn")
            for tensor in graph.initializers { g.message(5) { tensor.write(to: &$0) } }
            g.message(11) { valueInfo(&$0, "logmel", ["batch", inputChannels, "frames"]) }
            g.message(12) { valueInfo(&$0, head == .factors ? "factors" : "probabilities", ["batch", classCount]) }
            g.message(12) { valueInfo(&$0, "embedding", ["batch", spec.pooledWidth]) }
        }
        for (key, value) in metadata.sorted(by: { $0.key < $1.key }) {
            model.message(14) { $0.string(1, key); $0.string(2, value) }   // metadata_props
        }
        return model.data
    }

    /// ValueInfoProto of a float tensor; a dimension is a size (Int) or a symbolic name (String).
    private static func valueInfo(_ w: inout ProtobufWriter, _ name: String, _ dims: [Any]) {
        w.string(1, name)
        w.message(2) { type in                      // TypeProto
            type.message(1) { tensor in             // TypeProto.Tensor
                tensor.int(1, 1)                    // elem_type FLOAT
                tensor.message(2) { shape in        // TensorShapeProto
                    for dim in dims {
                        shape.message(1) { d in
                            if let size = dim as? Int { d.int(1, size) } else { d.string(2, "\(dim)") }
                        }
                    }
                }
            }
        }
    }
}

/// An attribute of an ONNX node (AttributeProto).
enum ONNXAttribute {
    case int(String, Int), ints(String, [Int]), float(String, Float)

    func write(to w: inout ProtobufWriter) {
        switch self {
        case let .int(name, value): w.string(1, name); w.int(3, value); w.int(20, 2)       // INT
        case let .float(name, value): w.string(1, name); w.float(2, value); w.int(20, 1)   // FLOAT
        case let .ints(name, values): w.string(1, name); for v in values { w.int(8, v) }; w.int(20, 7)  // INTS
        }
    }
}

/// Nodes and initialisers of an ONNX graph in the order they are added.
private struct GraphBuilder {
    struct Node {
        var opType: String, name: String, inputs: [String], output: String, attributes: [ONNXAttribute]
        func write(to w: inout ProtobufWriter) {
            for input in inputs { w.string(1, input) }
            w.string(2, output)
            w.string(3, name)
            w.string(4, opType)
            for attribute in attributes { w.message(5) { attribute.write(to: &$0) } }
        }
    }

    struct Initializer {
        var name: String, shape: [Int], values: [Float]
        func write(to w: inout ProtobufWriter) {
            for d in shape { w.int(1, d) }
            w.int(2, 1)                                   // data_type FLOAT
            w.string(8, name)
            var raw = Data(capacity: values.count * 4)
            for v in values { withUnsafeBytes(of: v.bitPattern.littleEndian) { raw.append(contentsOf: $0) } }
            w.bytes(9, raw)                               // raw_data, little-endian
        }
    }

    let stateDict: StateDict
    var nodes: [Node] = []
    var initializers: [Initializer] = []

    init(stateDict: StateDict) { self.stateDict = stateDict }

    /// Adds the state-dict entry `name` as an initialiser after checking its shape.
    mutating func initializer(_ name: String, shape: [Int]) throws -> String {
        guard let array = stateDict[name] else { throw MelCNNError.invalidArgument("the model has no parameter \(name)") }
        guard array.shape == shape, array.values.count == shape.reduce(1, *) else {
            throw MelCNNError.invalidArgument("parameter \(name) has shape \(array.shape), the config needs \(shape)")
        }
        initializers.append(Initializer(name: name, shape: shape, values: array.values))
        return name
    }

    /// Adds a node and returns its output's name (`output`, or the node's name).
    mutating func node(_ opType: String, _ inputs: [String], name: String, attributes: [ONNXAttribute] = [],
                       output: String? = nil) -> String {
        let out = output ?? name
        nodes.append(Node(opType: opType, name: name, inputs: inputs, output: out, attributes: attributes))
        return out
    }
}
