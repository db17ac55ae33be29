// swift-tools-version: 6.1
import PackageDescription

// libFuzzer targets, in their own package: they link only with -sanitize=fuzzer.
// See docs/artifact-format.md ("Fuzzing the decoder") for the command line.
let package = Package(
    name: "forex-gateway-fuzz",
    dependencies: [.package(name: "forex-gateway", path: "..")],
    targets: [
        .executableTarget(
            name: "ArtifactFuzz",
            dependencies: [.product(name: "Artifact", package: "forex-gateway")]
        ),
        .executableTarget(
            name: "RequestHeadFuzz",
            dependencies: [.product(name: "Runtime", package: "forex-gateway")]
        ),
        .executableTarget(
            name: "ResponseHeadFuzz",
            dependencies: [.product(name: "Runtime", package: "forex-gateway")]
        ),
    ],
    swiftLanguageModes: [.v6]
)
