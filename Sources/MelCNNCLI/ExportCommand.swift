import ArgumentParser
import MelCNN

extension ExportFormat: ExpressibleByArgument {}

struct ExportCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "export",
        abstract: "Export a trained model to safetensors or ONNX.",
        discussion: """
        safetensors: the state dict with PyTorch names (load with safetensors.torch.load_file \
        and model.load_state_dict(..., strict=True)). onnx: the inference graph (opset 17) from \
        a normalised log-mel patch [batch, n_mels, frames] to class probabilities and the \
        pooled embedding. Both carry the classes, normaliser and log-mel parameters as \
        metadata; docs/formats.md describes them.
          melcnn export --checkpoint Checkpoints/gtzan-1/best.h5 --format onnx --out gtzan.onnx
        """
    )

    @OptionGroup var checkpointOption: CheckpointOption
    var checkpoint: String { checkpointOption.checkpoint }
    @Option(name: .long, help: "safetensors or onnx.")
    var format: ExportFormat
    @Option(name: .long, help: "Output file.")
    var out: String

    func run() throws {
        try ModelExporter.export(checkpointPath: checkpoint, format: format, to: out)
        print("wrote \(out) (\(format.rawValue))")
    }
}
