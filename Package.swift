// swift-tools-version: 6.0
// podstack: a rootless Podman stack runner. Layers (arrows = may import):
//   podstack -> PodstackCLI -> PodstackCore -> {PodmanAPI -> CCurl, PodstackCompose, PodstackPreflight}
//                          -> PodstackExport -> PodstackCompose
//                          -> PodstackMigrate -> {PodstackCompose, PodstackHost}
//   PodstackPreflight -> PodstackHost (the readers of /proc, cgroups, unit directories and passwd under a root)
// Only PodstackCore reaches Podman: Compose, Host, Preflight, Export and Migrate build and test on their
// own, with no Podman and no libcurl.
import PackageDescription

let package = Package(
    name: "podstack",
    // Linux only: PodmanAPI calls Glibc (pthread, stat) and libcurl directly; no Apple platform is claimed.
    products: [
        .executable(name: "podstack", targets: ["podstack"]),
        .library(name: "PodmanAPI", targets: ["PodmanAPI"]),
        .library(name: "PodstackCore", targets: ["PodstackCore"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.5.0"),
        .package(url: "https://github.com/jpsim/Yams", from: "6.0.0"),
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
        .systemLibrary(name: "CXattr", path: "Sources/CXattr"),  // getxattr(2), which Glibc does not export
        .target(name: "PodstackHost", dependencies: ["Yams", "CXattr"]),
        .target(name: "PodstackPreflight", dependencies: ["PodstackHost"]),
        .target(name: "PodstackBuild", exclude: ["README.md"]),
        .target(name: "PodstackExport", dependencies: ["PodstackCompose"]),
        .target(name: "PodstackMigrate", dependencies: ["PodstackCompose", "PodstackHost"]),
        .target(name: "PodstackBuildInfo"),  // the commit of a build, stamped in by scripts/build-release.sh
        .target(
            name: "PodstackCore",
            dependencies: [
                "PodmanAPI", "PodstackCompose", "PodstackPreflight", "PodstackHost", "PodstackBuild",
            ]),
        .target(
            name: "PodstackCLI",
            dependencies: [
                "PodstackCore", "PodstackCompose", "PodstackPreflight", "PodstackHost", "PodstackExport",
                "PodstackMigrate", "PodstackBuildInfo",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ]),
        .executableTarget(name: "podstack", dependencies: ["PodstackCLI"]),
        // Drives PodmanAPI's client for scripts/bench-client.sh; not part of the product.
        .executableTarget(name: "podstack-bench", dependencies: ["PodmanAPI"]),
        // Streams one build context for scripts/bench-build.sh; not part of the product.
        .executableTarget(name: "podstack-build-bench", dependencies: ["PodmanAPI", "PodstackBuild"]),
        // Helpers more than one test target uses (child processes, fixtures, corpora); a library, not tests.
        .target(
            name: "PodstackTestSupport", dependencies: ["PodstackCompose", "PodstackMigrate"],
            path: "Tests/PodstackTestSupport"),
        .testTarget(name: "PodmanAPITests", dependencies: ["PodmanAPI"]),
        .testTarget(name: "PodstackComposeTests", dependencies: ["PodstackCompose", "PodstackTestSupport"]),
        .testTarget(name: "PodstackHostTests", dependencies: ["PodstackHost", "PodstackTestSupport"]),
        .testTarget(
            name: "PodstackPreflightTests", dependencies: ["PodstackPreflight", "PodstackHost", "PodstackTestSupport"]),
        .testTarget(name: "PodstackExportTests", dependencies: ["PodstackExport", "PodstackCompose", "Yams"]),
        .testTarget(
            name: "PodstackMigrateTests",
            dependencies: ["PodstackMigrate", "PodstackHost", "PodstackCompose", "PodstackTestSupport"]),
        .testTarget(name: "PodstackBuildTests", dependencies: ["PodstackBuild", "PodstackTestSupport"]),
        .testTarget(name: "PodstackCoreTests", dependencies: ["PodstackCore", "PodstackCompose"]),
        .testTarget(
            name: "IntegrationTests",
            dependencies: [
                "PodstackCore", "PodstackCLI", "PodmanAPI", "PodstackHost", "PodstackBuild", "PodstackTestSupport",
            ]),
    ],
    swiftLanguageModes: [.v6]
)
