// swift-tools-version:6.0
// An example of using melcnn's libraries from another package (built by `make test`).
import PackageDescription

let package = Package(
    name: "melcnn-examples",
    platforms: [.macOS(.v13)],
    dependencies: [
        // From a clone: .package(path: "path/to/melcnn"); from git:
        // .package(url: "https://github.com/OWNER/melcnn", branch: "main")
        .package(name: "melcnn", path: ".."),
    ],
    targets: [
        .executableTarget(name: "LogMelAndTinyNet", dependencies: [
            .product(name: "DSP", package: "melcnn"),
            .product(name: "NN", package: "melcnn"),
            .product(name: "Tensor", package: "melcnn"),
        ]),
    ]
)
