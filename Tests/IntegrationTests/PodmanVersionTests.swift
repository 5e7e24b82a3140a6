import Foundation
import PodmanAPI
import PodstackPreflight
import Testing

/// What differs between the Podman versions the suite runs on (scripts/test.sh: 4.3.1, then 5.4.2), checked on
/// whichever the test bed is. Wire shapes, health logs, restart policies, kube play and error statuses are
/// guarded by the other suites, which run unchanged on both.
@Suite("The test bed's Podman version and what differs with it", .enabled(if: TestBed.enabled))
struct PodmanVersionTests {
    @Test("the service is the Podman the run names (PODSTACK_TESTBED_PODMAN), so each result's version is true")
    func serviceIsTheNamedVersion() async throws {
        let client = try TestBed.client()
        let ping = try await client.pingSupported()
        let version = try #require(Podman.LibpodVersion(ping.libpodAPIVersion))
        #expect("\(version.major)" == TestBed.podmanMajor, "libpod API \(ping.libpodAPIVersion)")
        let info = try await client.info()
        #expect(info.version.version.hasPrefix("\(version.major)."), "\(info.version.version)")
    }

    /// Rootless Podman 4 forwards a pod's published ports with rootlessport; Podman 5 with pasta, whose binary
    /// is pasta.avx2 on x86-64 CPUs that have AVX2. Preflight, looking at /proc alone (Podman's list left out),
    /// must still call either one a rootless container's port forwarder, not an unknown process.
    @Test("a pod's published port is held by Podman's forwarder: rootlessport on 4.x, pasta on 5.x; preflight names it")
    func portForwarderIsNamed() async throws {
        let client = try TestBed.client()
        let pod = TestBed.uniqueName("fwd")
        let port = HostNet.freePort()
        _ = try await client.createPod(
            Podman.PodCreateSpec(
                name: pod, labels: ["io.podstack.test": pod],
                portMappings: [Podman.PortMapping(hostIP: "127.0.0.1", hostPort: port, containerPort: 8080)]))
        try await withCleanup({ _ = try? await client.removePod(pod, timeoutSeconds: 0) }) {
            try await client.startPod(pod)

            let claim = PortClaim(pod: "other", service: "web", hostIP: "127.0.0.1", port: port, variable: "WEB_PORT")
            let row = try #require(PreflightChecker().check(claims: [claim], published: [], stackName: "other").rows.first)
            let holder = try #require(row.holder, "\(row)")
            #expect(row.verdict.name == "conflict")
            #expect(holder.isRootlessPodmanForwarder, "\(holder)")
            let expected: Set<String> = TestBed.podmanMajor == "5" ? ["pasta", "pasta.avx2"] : ["rootlessport"]
            #expect(expected.contains(holder.processName ?? ""), "holder \(holder)")
            #expect(holder.description.hasPrefix("a rootless Podman container's port forwarder"), "\(holder)")
            #expect(holder.uid == Int(TestBed.environment["PODSTACK_TESTBED_UID"] ?? ""), "the service's user")
        }
    }

    /// The one status seen to change between the two: podstack checks images before it creates anything, so
    /// it relies on neither, and reports either as Podman's refusal with its message.
    @Test("a container create from an image the store lacks is refused with 500 on 4.x and 404 on 5.x, both 'image not known'")
    func missingImageStatus() async throws {
        let client = try TestBed.client()
        let spec = Podman.ContainerCreateSpec(name: TestBed.uniqueName("noimage"), image: "localhost/pstest-no-such-image:1")
        let refusal = await #expect(throws: PodmanError.self) { _ = try await client.createContainer(spec) }
        #expect(refusal?.httpStatus == (TestBed.podmanMajor == "5" ? 404 : 500), "\(String(describing: refusal))")
        #expect(refusal?.serverMessage?.contains("image not known") == true, "\(String(describing: refusal))")
    }
}
