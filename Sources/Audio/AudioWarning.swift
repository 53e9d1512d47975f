/// Warnings about audio that is loaded anyway (a stream ending before its header says):
/// one line on stderr, `warning: <path>: <text>`, the path shown with `PathBytes.display`.
public enum AudioWarning {
    /// Writes the one-line warning for `path`.
    static func emit(path: String, _ text: String) {
        DecoderChatter.write(toStandardError: AudioError.oneLine("warning: \(PathBytes.display(path)): \(text)") + "\n")
    }
}
