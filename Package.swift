// swift-tools-version: 6.1
import PackageDescription

let package = Package(
    name: "forex-gateway",
    platforms: [.macOS(.v14)],
    products: [
        .executable(name: "gateway", targets: ["gateway"]),
        .executable(name: "gatewayd", targets: ["gatewayd"]),
        .library(name: "GatewayDSL", targets: ["GatewayDSL"]),
        .library(name: "Artifact", targets: ["Artifact"]),
        .library(name: "Compiler", targets: ["Compiler"]),
        .library(name: "Runtime", targets: ["Runtime"]),
        .library(name: "Harness", targets: ["Harness"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.5.0"),
        .package(url: "https://github.com/apple/swift-nio", from: "2.101.0"),
        .package(url: "https://github.com/apple/swift-metrics", from: "2.13.0"),
        .package(url: "https://github.com/swift-server/swift-prometheus", from: "2.4.1"),
    ],
    targets: [
        .systemLibrary(
            name: "CLibYAML",
            pkgConfig: "yaml-0.1",
            providers: [.apt(["libyaml-dev"])]
        ),
        .systemLibrary(
            name: "COpenSSL",
            pkgConfig: "libcrypto",
            providers: [.apt(["libssl-dev"])]
        ),
        .target(
            name: "GatewayDSL",
            dependencies: ["CLibYAML"]
        ),
        .target(
            name: "Artifact",
            dependencies: ["COpenSSL"]
        ),
        .target(
            name: "Compiler",
            dependencies: ["GatewayDSL", "Artifact"]
        ),
        .target(
            name: "Runtime",
            dependencies: [
                "Artifact",
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "NIOHTTP1", package: "swift-nio"),
                .product(name: "Metrics", package: "swift-metrics"),
                .product(name: "Prometheus", package: "swift-prometheus"),
            ]
        ),
        .target(
            name: "Harness",
            dependencies: ["Runtime", "Compiler", "GatewayDSL", "Artifact"]
        ),
        .executableTarget(
            name: "gateway",
            dependencies: [
                "GatewayDSL", "Compiler", "Artifact", "Runtime", "Harness",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "NIOHTTP1", package: "swift-nio"),
            ]
        ),
        .executableTarget(
            name: "gatewayd",
            dependencies: [
                "Runtime", "Artifact",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ]
        ),
        .testTarget(
            name: "GatewayDSLTests",
            dependencies: ["GatewayDSL"],
            exclude: ["Fixtures"]
        ),
        .testTarget(
            name: "CompilerTests",
            dependencies: ["Compiler", "GatewayDSL", "Artifact", "Runtime"],
            exclude: ["Fixtures"]
        ),
        .testTarget(
            name: "ArtifactTests",
            dependencies: ["Artifact", "Compiler", "GatewayDSL"]
        ),
        .testTarget(
            name: "RuntimeTests",
            dependencies: [
                "Runtime", "Compiler", "GatewayDSL", "Artifact", "Harness",
                .product(name: "NIOCore", package: "swift-nio"), .product(name: "NIOPosix", package: "swift-nio"),
            ],
            exclude: ["Fixtures"]
        ),
        .testTarget(
            name: "EndToEndTests",
            dependencies: ["gateway", "gatewayd"]
        ),
        .testTarget(
            name: "GatewayCLITests",
            dependencies: ["gateway", "Runtime"]
        ),
        .testTarget(
            name: "DeploymentTests",
            dependencies: ["GatewayDSL", "Runtime"]
        ),
    ],
    swiftLanguageModes: [.v6]
)
