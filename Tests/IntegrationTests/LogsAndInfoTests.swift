import Foundation
import PodstackCore
import Testing

/// `logs` and `info`, which reach Podman through Core's operations.
@Suite("logs and info against the real rootless service", .enabled(if: TestBed.enabled))
struct LogsAndInfoTests {
    @Test("info --json names the bed's socket and says the service is rootless")
    func infoJSON() async throws {
        let result = try await PodstackProcess().run(["info", "--json"])
        #expect(result.status == 0, "\(result.output)")
        let summary = try JSONDecoder().decode(PodmanSummary.self, from: Data(result.stdout.utf8))
        #expect(summary.socketPath == TestBed.socketPath)
        #expect(summary.rootless)
        #expect(!summary.podmanVersion.isEmpty && !summary.apiVersion.isEmpty)
    }

    @Test("logs of a service whose stack is not up is a usage error (64) that says to run podstack up")
    func logsBeforeUp() async throws {
        let stack = try ScratchStack("nolog")
        try stack.write(ScratchStack.service("quiet", health: false))
        let result = try await PodstackProcess().run(["logs", "quiet", "--compose-dir", stack.directory])
        #expect(result.status == 64, "\(result.output)")
        #expect(result.stderr.contains("\(stack.pod)-quiet does not exist. Run `podstack up`"), "\(result.stderr)")
    }

    @Test("logs of an unknown service is a usage error (64) that lists the services there are")
    func logsUnknownService() async throws {
        let stack = try ScratchStack("nolog")
        try stack.write(ScratchStack.service("quiet", health: false))
        let result = try await PodstackProcess().run(["logs", "loud", "--compose-dir", stack.directory])
        #expect(result.status == 64, "\(result.output)")
        #expect(result.stderr.contains("has no service named 'loud'") && result.stderr.contains("\(stack.pod)/quiet"))
    }
}
