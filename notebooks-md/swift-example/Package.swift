// swift-tools-version:6.0
// The program of walkthrough 5: the few-labels story through Pretext's library API.
import PackageDescription

let package = Package(
    name: "FewLabels",
    dependencies: [.package(name: "Pretext", path: "../..")],
    targets: [
        .executableTarget(name: "FewLabels", dependencies: [.product(name: "Pretext", package: "Pretext")]),
    ],
    swiftLanguageModes: [.v6]
)
