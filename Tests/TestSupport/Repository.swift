import Foundation

/// Paths inside the melcnn checkout for tests: the committed fixtures (`Tests/Fixtures/`,
/// written by the generator scripts there) and the shipped configs (`Configs/`). Found from
/// this file's path, `Tests/TestSupport/Repository.swift`, so tests run from any folder.
public enum Repository {
    /// The checkout's root folder.
    public static let root = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

    /// `Tests/Fixtures/`.
    public static let fixtures = root.appendingPathComponent("Tests/Fixtures")

    /// `Configs/`.
    public static let configs = root.appendingPathComponent("Configs")

    /// The path of `Tests/Fixtures/<relative>` (e.g. `"dsp/signals.h5"`).
    public static func fixture(_ relative: String) -> String {
        fixtures.appendingPathComponent(relative).path
    }

    /// The path of `Configs/<name>` (e.g. `"demo.yaml"`).
    public static func config(_ name: String) -> String {
        configs.appendingPathComponent(name).path
    }
}
