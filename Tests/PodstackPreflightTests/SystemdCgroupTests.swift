import Glibc
import PodstackTestSupport
import Testing

@testable import PodstackPreflight

/// The user's situation for real: a listener owned by root, placed in `system.slice/ollama.service`
/// as systemd would place it. Serialized because both tests use that one cgroup.
@Suite("A listener in a systemd unit's cgroup", .serialized)
struct SystemdCgroupTests {
    static let claimAddress = HostAddress.v4(0x7F00_0001)

    /// Starts the listener in the unit's cgroup, runs `body`, and cleans up whatever happens.
    func withOllamaUnitListener(_ body: (ChildListener) throws -> Void) async throws {
        let placement: SystemdCgroupPlacement
        do {
            placement = try SystemdCgroupPlacement(unit: "ollama.service")
        } catch let unavailable as SystemdCgroupPlacement.Unavailable {
            try Test.cancel("cannot place a process in a systemd cgroup here: \(unavailable)")
        }
        defer { placement.remove() }
        let child = try ChildListener(port: try Listener.freePort())
        defer { child.stop() }
        try placement.add(pid: child.pid)
        try await child.waitUntilListening(address: Self.claimAddress)
        try body(child)
    }

    func claim(_ port: Int) -> PortClaim {
        PortClaim(pod: "local-ai", service: "ollama", hostIP: "127.0.0.1", port: port, variable: "OLLAMA_PORT")
    }

    @Test("Root sees the holder as ollama.service, certainly, with the child's pid")
    func namesUnitCertainly() async throws {
        try await withOllamaUnitListener { child in
            let report = PreflightChecker().check(claims: [claim(child.port)], published: [], stackName: "local-ai")
            let holder = try #require(report.rows.first?.holder)
            #expect(holder.kind == .systemUnit("ollama.service"))
            #expect(holder.certainty == .certain)
            #expect(holder.pid == child.pid)
            #expect(holder.uid == 0)
            #expect(report.rows.first?.waysOut.first?.command == "sudo systemctl disable --now ollama.service")
            #expect(report.renderWaysOut().contains("is held by the system service ollama.service (pid \(child.pid)"))
        }
    }

    @Test("Without readable fds the holder is still a conflict, uid 0 is named, and ollama.service is the likely unit")
    func guessesUnitWithoutFds() async throws {
        try await withOllamaUnitListener { child in
            let checker = PreflightChecker(options: .init(assumeUnreadableFds: true))
            let report = checker.check(claims: [claim(child.port)], published: [], stackName: "local-ai")
            let holder = try #require(report.rows.first?.holder)
            #expect(report.refuses)
            #expect(holder.certainty == .likely)
            #expect(holder.uid == 0)
            #expect(holder.userName == "root")
            #expect(holder.candidates.contains("ollama.service"))
            #expect(holder.kind == .systemUnit("ollama.service"))
        }
    }
}
