// swift-tools-version:6.0
// Pretext — self-supervised learning for tabular data and time series.
//
// Targets depend one way: PretextData → PretextNN → PretextSSL / PretextTransfer →
// PretextBaselines → PretextAuto → PretextReport → the `pretext` CLI; PretextBenchmarks (what
// `pretext bench` times: the library's own code paths) sits beside the umbrella. C libraries sit behind thin
// underscore-free shim targets (`CCSV`, `CZlib`) that promise no Swift API; only the
// wrapper file of each library touches its pointers.
//
// Supported platform: Linux (x86-64 and arm64) with Debian's C libraries. The code
// imports Glibc and loads OpenBLAS/oneDNN with dlopen by their Linux names; it is not
// built or tested on macOS, so no Apple platform is declared.
import PackageDescription

let package = Package(
    name: "Pretext",
    products: [
        .library(name: "Pretext", targets: ["Pretext"]),
        .executable(name: "pretext", targets: ["PretextCLI"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.5.0"),
    ],
    targets: [
        // MARK: - C shims
        .systemLibrary(
            name: "CCSV",
            path: "Sources/CCSV",
            providers: [.apt(["libcsv-dev"])]
        ),
        .systemLibrary(
            name: "CZlib",
            path: "Sources/CZlib",
            pkgConfig: "zlib",
            providers: [.apt(["zlib1g-dev"])]
        ),

        .systemLibrary(
            name: "CXGBoost",
            path: "Sources/CXGBoost",
            providers: [.apt(["libxgboost-dev"])]
        ),
        // OpenBLAS is loaded at run time by this C shim (not linked), so that its kernel
        // family can be chosen from the CPU before it initialises; oneDNN (libdnnl-dev)
        // likewise, used for the products when the CPU suits it; see its header.
        .target(
            name: "CPretextBLAS",
            dependencies: ["CPretextParallel"],
            path: "Sources/CPretextBLAS",
            linkerSettings: [.linkedLibrary("dl"), .linkedLibrary("pthread")]
        ),
        // Compute lanes: persistent threads that split products and element-wise passes.
        .target(
            name: "CPretextParallel",
            path: "Sources/CPretextParallel",
            linkerSettings: [.linkedLibrary("pthread")]
        ),
        // Open MPI, loaded at run time (not linked) only when `mpirun` started the process:
        // Pretext builds and runs single-process without MPI; see its header.
        .target(
            name: "CPretextMPI",
            path: "Sources/CPretextMPI",
            linkerSettings: [.linkedLibrary("dl")]
        ),
        // Element-wise kernels with a run-time AVX choice (the optimizer's update), and the
        // vectorised column statistics of `pretext inspect`.
        .target(
            name: "CPretextKernels",
            dependencies: ["CPretextParallel"],
            path: "Sources/CPretextKernels",
            linkerSettings: [.linkedLibrary("m"), .linkedLibrary("mvec", .when(platforms: [.linux]))]
        ),

        // MARK: - Library
        .target(
            name: "PretextData",
            dependencies: ["CCSV", "CZlib", "CPretextKernels"]
        ),
        .target(
            name: "PretextNN",
            dependencies: ["PretextData", "CPretextBLAS", "CPretextKernels", "CPretextParallel", "CPretextMPI", "CZlib"]
        ),
        .target(
            name: "PretextSSL",
            dependencies: ["PretextData", "PretextNN"]
        ),
        .target(
            name: "PretextTransfer",
            dependencies: ["PretextData", "PretextNN", "PretextSSL"]
        ),
        .target(
            name: "PretextBaselines",
            dependencies: ["PretextData", "PretextNN", "PretextSSL", "CXGBoost"]
        ),
        // Chooses among pretrained, from-scratch and tree models by validation on the labels,
        // and opens any model file (ModelLoader: it knows every kind, so it sits above them).
        .target(
            name: "PretextAuto",
            dependencies: ["PretextData", "PretextNN", "PretextSSL", "PretextTransfer", "PretextBaselines"]
        ),
        .target(
            name: "PretextReport",
            dependencies: ["PretextData", "PretextNN", "PretextSSL", "PretextTransfer", "PretextBaselines", "PretextAuto"]
        ),
        .target(
            name: "PretextBenchmarks",
            dependencies: ["PretextData", "PretextNN", "PretextSSL", "PretextTransfer"]
        ),
        .target(
            name: "Pretext",
            dependencies: ["PretextData", "PretextNN", "PretextSSL", "PretextTransfer", "PretextBaselines", "PretextAuto", "PretextReport"]
        ),

        // MARK: - Command-line tool
        .executableTarget(
            name: "PretextCLI",
            dependencies: [
                "Pretext",
                "PretextBenchmarks",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ]
        ),

        // MARK: - Tests
        .testTarget(
            name: "PretextDataTests",
            dependencies: ["PretextData"],
            resources: [.copy("Fixtures")]
        ),
        // Shared test helpers (finite-difference gradient checks).
        .target(
            name: "PretextTestSupport",
            dependencies: ["PretextData", "PretextNN"],
            path: "Tests/PretextTestSupport"
        ),
        .testTarget(
            name: "PretextNNTests",
            dependencies: ["PretextNN", "PretextTestSupport"],
            resources: [.copy("Fixtures")]
        ),
        .testTarget(
            name: "PretextSSLTests",
            dependencies: ["PretextSSL", "PretextTransfer", "PretextBaselines", "PretextAuto", "PretextReport", "PretextBenchmarks",
                           "PretextTestSupport"],
            exclude: ["Golden", "Fixtures"]
        ),
        .testTarget(
            name: "PretextCLITests",
            dependencies: ["PretextCLI", "PretextData"],
            exclude: ["Golden", "Fixtures"]
        ),
    ],
    swiftLanguageModes: [.v6]
)
