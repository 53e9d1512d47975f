import FileOutput
import Foundation
import NN

/// File formats a trained model can be exported to.
public enum ExportFormat: String, CaseIterable, Sendable {
    /// The state dict as safetensors (`safetensors.torch.load_file`, PyTorch names).
    case safetensors
    /// The inference graph as ONNX (opset 17): normalised log-mel patch -> probabilities, embedding.
    case onnx
}

/// Writes a checkpoint's model in a format other tools load directly.
public enum ModelExporter {
    /// Exports the model of the checkpoint at `checkpointPath` to `outputPath` (written under a
    /// temporary name and renamed into place). Both formats carry the metadata a user needs to
    /// feed the model: `classes`, `normalizer_mean`, `normalizer_std` (JSON arrays), the log-mel
    /// parameters (`sample_rate`, `n_fft`, `hop_length`, `n_mels`, `fmin`, `fmax`, `power`,
    /// `top_db`), `patch_frames` and the config YAML; `task` = `tags` or `factors` for those models.
    /// A factor model's target statistics (`/targets`) are folded into `out.weight` and `out.bias`
    /// (as `TrainedModel` loads it), so both formats give factors in the scale of the factors file.
    public static func export(checkpointPath: String, format: ExportFormat, to outputPath: String) throws {
        let trained = try TrainedModel(checkpointPath: checkpointPath)
        let stateDict = trained.model.stateDict()
        let metadata = try metadata(trained)
        let bytes: Data
        switch format {
        case .safetensors:
            bytes = try Safetensors.encode(stateDict, metadata: metadata)
        case .onnx:
            guard !trained.config.model.is2d else {   // the ONNX graph is written for the 1-D network only
                throw ParameterError("format", " onnx supports model.kind cnn1d only, this model is \(trained.config.model.kind.rawValue) (export it as safetensors)", subject: checkpointPath)
            }
            bytes = try ONNXExport.encode(spec: trained.config.model, inputChannels: trained.model.inputChannels,
                                          classCount: trained.classes.count, stateDict: stateDict, metadata: metadata,
                                          head: trained.isRegressor ? .factors : trained.isTagger ? .sigmoid : .softmax)
        }
        try atomicWrite(to: outputPath, bytes: bytes)
    }

    private static func metadata(_ trained: TrainedModel) throws -> [String: String] {
        func json(_ value: Any) throws -> String {
            String(decoding: try JSONSerialization.data(withJSONObject: value, options: [.sortedKeys]), as: UTF8.self)
        }
        var out: [String: String] = [
            "format": "melcnn",
            "classes": try json(trained.classes),
            "normalizer_mean": try json(trained.checkpoint.normalizerMean.map(Double.init)),
            "normalizer_std": try json(trained.checkpoint.normalizerStd.map(Double.init)),
            "patch_frames": "\(trained.config.data.patchFrames)",
            "config": trained.checkpoint.configYAML,
        ]
        if trained.isTagger { out["task"] = "tags" }   // classes are tags, probabilities sigmoids
        if trained.isRegressor { out["task"] = "factors" }   // outputs are latent factors (target statistics folded in)
        for (name, value) in trained.checkpoint.logMel.attributes {
            switch value {
            case .double(let v) where v == v.rounded() && abs(v) < 1e15: out[name] = "\(Int(v))"
            case .string(let v): out[name] = v
            default: out[name] = "\(value)"
            }
        }
        return out
    }
}
