import MelCNN

/// The progress bar of a prediction over patches (`eval`, `embed`): created on the first
/// report, when the number of patches is known.
final class PatchProgress {
    private let title: String
    private var bar: ProgressReporter?

    init(title: String) { self.title = title }

    /// The `progress` callback of `TrainedModel.predict` / `embed`: `(done, total)` patches.
    func update(_ done: Int, _ total: Int) {
        if bar == nil { bar = ProgressReporter(title: title, total: total, unit: "patches") }
        bar?.update(done)
    }

    /// Ends the bar (if one was shown) with `line`.
    func finish(_ line: String) { (bar ?? ProgressReporter(title: "", total: 0)).finish(line) }
}
