// swift-tools-version:6.0
// The programs of walkthroughs 5 (FewLabels: the few-labels story through Pretext's
// library API) and 4 (Forecast: next-step pretraining and forecasting from Swift).
import PackageDescription

let package = Package(
    name: "FewLabels",
    dependencies: [.package(name: "Pretext", path: "../..")],
    targets: [
        .executableTarget(name: "FewLabels", dependencies: [.product(name: "Pretext", package: "Pretext")]),
        .executableTarget(name: "Forecast", dependencies: [.product(name: "Pretext", package: "Pretext")]),
    ],
    swiftLanguageModes: [.v6]
)
