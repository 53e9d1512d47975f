import ArgumentParser

/// `melcnn bench <area>`: the Swift side of `make bench`. Each area prints one JSON
/// object per line (`{"name": ..., "ms": ..., ...}`) that `Benchmarks/report.py`
/// joins with the Python peer's lines of the same names.
struct BenchCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "bench",
        abstract: "Run melcnn's side of a benchmark area (used by `make bench`).",
        subcommands: [
            BenchAudio.self,
            BenchDSP.self,
            BenchNN.self,
            BenchPrepare.self,
            BenchFeatures.self,
            BenchTrain.self,
        ]
    )
}
