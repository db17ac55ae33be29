// swift-tools-version: 6.1
import PackageDescription

// Benchmarks live in their own package so they never slow the main build.
// Run from the repository root: swift run -c release --package-path Benchmarks validate-bench
/// The gateway's libraries every benchmark links.
let gateway: [Target.Dependency] = [
    .product(name: "GatewayDSL", package: "forex-gateway"),
    .product(name: "Compiler", package: "forex-gateway"),
    .product(name: "Artifact", package: "forex-gateway"),
    .product(name: "Runtime", package: "forex-gateway"),
]

let package = Package(
    name: "forex-gateway-benchmarks",
    platforms: [.macOS(.v14)],
    dependencies: [
        .package(name: "forex-gateway", path: ".."),
    ],
    targets: [
        .systemLibrary(name: "CLibYAMLBench", pkgConfig: "yaml-0.1", providers: [.apt(["libyaml-dev"])]),
        .target(name: "CAllocCounter"),
        .target(name: "BenchSupport", dependencies: ["CAllocCounter"]),
        .executableTarget(
            name: "route-bench",
            dependencies: ["CAllocCounter"] + gateway
        ),
        .executableTarget(
            name: "engine-bench",
            dependencies: ["CAllocCounter", "BenchSupport"] + gateway
        ),
        .executableTarget(
            name: "auth-bench",
            dependencies: ["CAllocCounter", "BenchSupport"] + gateway
        ),
        .executableTarget(
            name: "compile-bench",
            dependencies: ["SpecGenerator"] + gateway
        ),
        .executableTarget(
            name: "relay-bench",
            dependencies: gateway
        ),
        .target(name: "SpecGenerator"),
        .executableTarget(
            name: "validate-bench",
            dependencies: [
                "SpecGenerator", "CLibYAMLBench",
                .product(name: "GatewayDSL", package: "forex-gateway"),
            ]
        ),
    ],
    swiftLanguageModes: [.v6]
)
