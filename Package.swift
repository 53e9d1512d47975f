// swift-tools-version:6.0
import PackageDescription

let package = Package(
    name: "melcnn",
    platforms: [.macOS(.v13)],
    products: [
        .executable(name: "melcnn", targets: ["MelCNNCLI"]),
        .library(name: "MelCNN", targets: ["MelCNN"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.5.0"),
        .package(url: "https://github.com/jpsim/Yams", from: "5.0.1"),
    ],
    targets: [
        // System libraries (Debian -dev packages), each with a shim header.
        .systemLibrary(name: "CSndFile", pkgConfig: "sndfile", providers: [.apt(["libsndfile1-dev"])]),
        .systemLibrary(name: "CFFTW3", pkgConfig: "fftw3f", providers: [.apt(["libfftw3-dev"])]),
        .systemLibrary(name: "COpenBLAS", pkgConfig: "openblas", providers: [.apt(["libopenblas-dev"])]),
        .systemLibrary(name: "CHDF5", pkgConfig: "hdf5-serial", providers: [.apt(["libhdf5-dev"])]),
        .systemLibrary(name: "CSoxr", pkgConfig: "soxr", providers: [.apt(["libsoxr-dev"])]),

        // Libraries, layered as in DESIGN.md (dependencies point down only).
        .target(name: "Audio", dependencies: ["CSndFile", "CSoxr"]),
        .target(name: "HDF5", dependencies: ["CHDF5", "CPlaneDeflate"]),
        .target(name: "DSP", dependencies: ["Audio", "CFFTW3", "COpenBLAS", "CSoxr", "CSTFT"]),
        // C kernels with run-time CPU dispatch (CCPU: the shared level and MELCNN_CPU).
        .target(name: "CCPU"),
        .target(name: "CSGEMM", dependencies: ["CCPU"]),
        .target(name: "CSTFT", dependencies: ["CCPU"]),
        .target(name: "CPlaneDeflate", dependencies: ["CCPU"]),
        .target(name: "Tensor", dependencies: ["COpenBLAS", "CSGEMM"]),
        .target(name: "NN", dependencies: ["Tensor"]),
        .target(name: "MelCNN", dependencies: [
            "Audio", "DSP", "Tensor", "NN", "HDF5",
            .product(name: "Yams", package: "Yams"),
        ]),

        // Command-line tool.
        .executableTarget(name: "MelCNNCLI", dependencies: [
            "MelCNN", "Audio", "DSP", "HDF5", "Tensor", "NN",
            .product(name: "ArgumentParser", package: "swift-argument-parser"),
        ]),

        // Tests mirror the source tree.
        .testTarget(name: "AudioTests", dependencies: ["Audio"]),
        .testTarget(name: "HDF5Tests", dependencies: ["HDF5"]),
        .testTarget(name: "DSPTests", dependencies: ["DSP", "Audio", "HDF5"]),
        .testTarget(name: "TensorTests", dependencies: ["Tensor", "HDF5", "CCPU", "CSGEMM", "COpenBLAS"]),
        .testTarget(name: "NNTests", dependencies: ["NN", "Tensor", "HDF5"]),
        .testTarget(name: "MelCNNTests", dependencies: ["MelCNN", "Audio", "DSP", "HDF5", "NN", "Tensor"]),
        .testTarget(name: "CLITests", dependencies: ["MelCNNCLI", "Audio", "HDF5"]),
    ]
)
