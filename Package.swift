// swift-tools-version:6.0
import PackageDescription

let package = Package(
    name: "melcnn",
    platforms: [.macOS(.v13)],
    products: [
        .executable(name: "melcnn", targets: ["MelCNNCLI"]),
        .executable(name: "melcnn-bench", targets: ["MelCNNBench"]),
        // The modules another package imports (see docs/library.md and Examples/).
        .library(name: "MelCNN", targets: ["MelCNN"]),
        .library(name: "Audio", targets: ["Audio"]),
        .library(name: "DSP", targets: ["DSP"]),
        .library(name: "Tensor", targets: ["Tensor"]),
        .library(name: "NN", targets: ["NN"]),
        .library(name: "HDF5", targets: ["HDF5"]),
        .library(name: "FileOutput", targets: ["FileOutput"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.5.0"),
        .package(url: "https://github.com/jpsim/Yams", from: "5.0.1"),
    ],
    targets: [
        // System libraries, each with a shim header: Debian's -dev packages (tested) and the
        // Homebrew formulas of the same libraries (declared, not tried: see docs/development.md).
        .systemLibrary(name: "CSndFile", pkgConfig: "sndfile",
                       providers: [.apt(["libsndfile1-dev"]), .brew(["libsndfile"])]),
        .systemLibrary(name: "CFFTW3", pkgConfig: "fftw3f", providers: [.apt(["libfftw3-dev"]), .brew(["fftw"])]),
        .systemLibrary(name: "COpenBLAS", pkgConfig: "openblas",
                       providers: [.apt(["libopenblas-dev"]), .brew(["openblas"])]),
        .systemLibrary(name: "CHDF5", pkgConfig: "hdf5", providers: [.apt(["libhdf5-dev"]), .brew(["hdf5"])]),
        .systemLibrary(name: "CSoxr", pkgConfig: "soxr", providers: [.apt(["libsoxr-dev"]), .brew(["libsoxr"])]),
        .systemLibrary(name: "CLibPNG", pkgConfig: "libpng", providers: [.apt(["libpng-dev"]), .brew(["libpng"])]),

        // Libraries, layered as in DESIGN.md (dependencies point down only).
        .target(name: "Audio", dependencies: ["CSndFile", "CSoxr"]),
        // Atomic file output (temporary file, fsync, rename; cleanup on signals) for every writer.
        .target(name: "FileOutput"),
        .target(name: "HDF5", dependencies: ["CHDF5", "CPlaneDeflate", "FileOutput"]),
        .target(name: "DSP", dependencies: ["Audio", "CCPU", "CFFTW3", "CMedian", "COpenBLAS", "CSoxr", "CSTFT"]),
        // C kernels with run-time CPU dispatch (CCPU: the shared level and MELCNN_CPU).
        .target(name: "CCPU"),
        .target(name: "CSGEMM", dependencies: ["CCPU"]),
        .target(name: "CSTFT", dependencies: ["CCPU"]),
        .target(name: "CPlaneDeflate", dependencies: ["CCPU"]),
        .target(name: "CWinograd", dependencies: ["CCPU"]),
        .target(name: "CMedian", dependencies: ["CCPU"]),
        // glibc's mallopt for the executables' allocator settings (ToolSupport's AllocatorTuning).
        .target(name: "CAllocator"),
        // PNG encoding in C, where libpng's setjmp error handling is legal.
        .target(name: "CPNG", dependencies: ["CLibPNG"]),
        // Open MPI loaded with dlopen at run time (optional engine of `mpirun melcnn train`).
        .target(name: "CMPI"),
        .target(name: "Tensor", dependencies: ["CCPU", "COpenBLAS", "CSGEMM", "CWinograd"]),
        .target(name: "NN", dependencies: ["Tensor"]),
        .target(name: "MelCNN", dependencies: [
            "Audio", "DSP", "Tensor", "NN", "HDF5", "FileOutput", "COpenBLAS", "CPNG", "CMPI",
            .product(name: "Yams", package: "Yams"),
        ]),

        // Command-line tool.
        // What both executables share: one-line errors, the MELCNN_CPU check, stderr output.
        .target(name: "ToolSupport", dependencies: [
            "Audio", "CAllocator", "Tensor", .product(name: "ArgumentParser", package: "swift-argument-parser"),
        ]),
        .executableTarget(name: "MelCNNCLI", dependencies: [
            "MelCNN", "Audio", "DSP", "HDF5", "FileOutput", "Tensor", "NN", "ToolSupport",
            .product(name: "ArgumentParser", package: "swift-argument-parser"),
        ]),

        // The Swift side of `make bench` (Benchmarks/*/run.sh): `melcnn-bench AREA ...`.
        .executableTarget(name: "MelCNNBench", dependencies: [
            "MelCNN", "Audio", "DSP", "Tensor", "NN", "ToolSupport",
            .product(name: "ArgumentParser", package: "swift-argument-parser"),
        ]),

        // Tests mirror the source tree. TestSupport: what several test targets share
        // (paths of the committed fixtures and configs, temporary folders, file-size limits).
        // It imports XCTest and is linked into test bundles only.
        .target(name: "TestSupport", path: "Tests/TestSupport"),
        .testTarget(name: "AudioTests", dependencies: ["Audio", "TestSupport"]),
        .testTarget(name: "FileOutputTests", dependencies: ["FileOutput", "TestSupport"]),
        .testTarget(name: "HDF5Tests", dependencies: ["HDF5", "FileOutput", "CCPU", "CPlaneDeflate", "TestSupport"]),
        .testTarget(name: "DSPTests", dependencies: ["DSP", "Audio", "HDF5", "CCPU", "CSTFT", "TestSupport"]),
        .testTarget(name: "TensorTests", dependencies: ["Tensor", "HDF5", "CCPU", "CSGEMM", "CWinograd", "COpenBLAS", "TestSupport"]),
        .testTarget(name: "NNTests", dependencies: ["NN", "Tensor", "HDF5", "TestSupport"]),
        .testTarget(name: "MelCNNTests", dependencies: ["MelCNN", "Audio", "DSP", "HDF5", "NN", "Tensor", "TestSupport"]),
        .testTarget(name: "CLITests", dependencies: ["MelCNNCLI", "MelCNNBench", "Audio", "HDF5", "TestSupport"]),
    ]
)
