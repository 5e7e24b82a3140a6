// swift-tools-version: 6.0
// podstack: a rootless Podman stack runner. Layers (arrows = may import):
//   podstack -> PodstackCLI -> PodstackCore -> {PodmanAPI -> CCurl, PodstackCompose, PodstackPreflight}
// PodstackCompose and PodstackPreflight are separate targets (DESIGN.md folds them into PodstackCore) so
// that the stack model and the host readers build and test on their own, with no Podman and no libcurl.
import PackageDescription

let package = Package(
    name: "podstack",
    platforms: [.macOS(.v13)],
    products: [
        .executable(name: "podstack", targets: ["podstack"]),
        .library(name: "PodmanAPI", targets: ["PodmanAPI"]),
        .library(name: "PodstackCore", targets: ["PodstackCore"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.5.0"),
        .package(url: "https://github.com/jpsim/Yams", from: "6.0.0"),
        .package(url: "https://github.com/apple/swift-log", from: "1.6.0"),
    ],
    targets: [
        .systemLibrary(name: "CCurl", pkgConfig: "libcurl", providers: [.apt(["libcurl4-openssl-dev"])]),
        .target(
            name: "PodmanAPI", dependencies: ["CCurl"], exclude: ["README.md"],
            // Its async functions run on their caller's executor instead of hopping to the generic one at
            // every call (SE-0461): on the client's own executor a request then runs in place with no task
            // switch at all. Four switches a ping cost about 1,000 instructions (callgrind).
            swiftSettings: [.enableUpcomingFeature("NonisolatedNonsendingByDefault")]),
        .target(name: "PodstackCompose", dependencies: ["Yams"]),
        .target(name: "PodstackPreflight"),
        .target(name: "PodstackBuildInfo"),  // the commit of a build, stamped in by scripts/build-release.sh
        .target(
            name: "PodstackCore",
            dependencies: [
                "PodmanAPI", "PodstackCompose", "PodstackPreflight",
                .product(name: "Logging", package: "swift-log"),
            ]),
        .target(
            name: "PodstackCLI",
            dependencies: [
                "PodstackCore", "PodstackCompose", "PodstackPreflight", "PodmanAPI",
                "PodstackBuildInfo",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "Logging", package: "swift-log"),
            ]),
        .executableTarget(name: "podstack", dependencies: ["PodstackCLI"]),
        // Drives PodmanAPI's client for scripts/bench-client.sh; not part of the product.
        .executableTarget(name: "podstack-bench", dependencies: ["PodmanAPI"]),
        .testTarget(name: "PodmanAPITests", dependencies: ["PodmanAPI"]),
        .testTarget(name: "PodstackComposeTests", dependencies: ["PodstackCompose"]),
        .testTarget(name: "PodstackPreflightTests", dependencies: ["PodstackPreflight"]),
        .testTarget(name: "PodstackCoreTests", dependencies: ["PodstackCore", "PodstackCompose", "Yams"]),
        .testTarget(name: "IntegrationTests", dependencies: ["PodstackCore", "PodstackCLI", "PodmanAPI"]),
    ],
    swiftLanguageModes: [.v6]
)
