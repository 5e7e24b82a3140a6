import Foundation
import PodstackCore
import Testing

/// A service whose image has a HEALTHCHECK and whose file gives none: compose waits for the image's check
/// before starting a dependent on `service_healthy`, and so does `up`.
@Suite("an image's own HEALTHCHECK", .enabled(if: TestBed.enabled))
struct ImageHealthcheckIntegrationTests {
    /// The stand-in with a HEALTHCHECK that passes once the service is ready.
    static let containerfile =
        "FROM \(TestBed.genericImage)\nHEALTHCHECK --interval=1s --timeout=5s --retries=10 CMD [\"standin-health\"]\n"

    /// Writes `db` (ready after 3 s, no healthcheck in the file; `dbImageLine` replaces its image line) and `api`,
    /// which waits for db with service_healthy.
    static func writeStack(_ stack: ScratchStack, dbImageLine: String) throws {
        let db = ScratchStack.service("db", delay: 3, health: false)
            .replacingOccurrences(of: "image: \(TestBed.genericImage)\n", with: dbImageLine)
        try stack.write(
            db + ScratchStack.service("api", mode: "sleep", dependsOn: [("db", "service_healthy")], health: false))
    }

    /// `up --json`; db was awaited healthy, and api started only after.
    static func expectDependentWaited(_ podstack: PodstackProcess, _ stack: ScratchStack) async throws {
        let up = try await podstack.run(["up", "--json", "--compose-dir", stack.directory], limit: .seconds(180))
        try #require(up.status == 0, "\(up.output)")
        let report = try UpDownIntegrationTests.decodeReport(up.stdout)
        let byName = Dictionary(uniqueKeysWithValues: report.services.map { ($0.service, $0) })
        #expect(byName["db"]?.health == "healthy", "\(up.stdout)")
        let dbReady = try #require(byName["db"]?.readyAt)
        let apiStart = try #require(byName["api"]?.startRequestedAt)
        #expect(apiStart >= dbReady, "api started before db's check passed")
    }

    @Test("a dependent on service_healthy starts once the image's HEALTHCHECK passes, when the file gives none")
    func dependentWaitsForImageCheck() async throws {
        let stack = try ScratchStack("imghealth")
        let image = "localhost/\(stack.pod)-checked:latest"
        let containerfile = stack.directory + "/Containerfile"
        // Docker's format: OCI images carry no HEALTHCHECK (podman build drops it with a warning).
        try Self.containerfile.write(toFile: containerfile, atomically: true, encoding: .utf8)
        let build = try await PodSplitIntegrationTests.podman(
            ["build", "--format", "docker", "-t", image, "-f", containerfile, stack.directory])
        try #require(build.status == 0, "\(build.output)")
        try Self.writeStack(stack, dbImageLine: "image: \(image)\n")
        let podstack = try PodstackProcess()
        try await withCleanup({
            await podstack.down(stack.directory)
            _ = try? await PodSplitIntegrationTests.podman(["rmi", "-f", image])
        }) {
            try await Self.expectDependentWaited(podstack, stack)
        }
    }

    @Test("a service built from a Dockerfile with a HEALTHCHECK keeps it: a dependent on service_healthy waits for it")
    func builtImageKeepsItsCheck() async throws {
        let stack = try ScratchStack("buildhealth")
        try Self.containerfile.write(toFile: stack.directory + "/Containerfile", atomically: true, encoding: .utf8)
        try Self.writeStack(stack, dbImageLine: "build: {context: ., dockerfile: Containerfile}\n")
        let podstack = try PodstackProcess()
        try await withCleanup({ await podstack.down(stack.directory) }) {
            try await Self.expectDependentWaited(podstack, stack)
        }
    }
}
