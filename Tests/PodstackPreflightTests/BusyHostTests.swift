import Foundation
import Glibc
import PodstackTestSupport
import Testing

@testable import PodstackPreflight

/// A busy host: 3,000 listeners in this process and 200 sleeping children, and a port held by one more
/// child (the worst case: every table parsed, /proc/*/fd walked). The check must still name the holder.
/// How fast it is against `ss -tlnp` is measured by scripts/bench.sh, not asserted here. Heavy, so not part
/// of the normal run: set PODSTACK_PREFLIGHT_BENCH=1.
@Suite("A busy host", .enabled(if: ProcessInfo.processInfo.environment["PODSTACK_PREFLIGHT_BENCH"] != nil))
struct BusyHostTests {
    @Test("among thousands of sockets and hundreds of processes, the holder of a taken port is named")
    func holderFoundOnBusyHost() async throws {
        var listeners: [Listener] = []
        for index in 0..<3000 { listeners.append(try Listener(index.isMultiple(of: 2) ? "127.0.0.1" : "::1")) }
        defer { listeners.forEach { $0.close() } }
        let sleepers = try (0..<200).map { _ in try ChildProcess("/bin/sleep", ["60"]) }
        defer { sleepers.forEach { $0.killAndReap() } }
        // A child is the holder, so the walk cannot stop at this process's own pid.
        let child = try ChildListener(port: try Listener.freePort())
        defer { child.stop() }
        // The child binds some time after its spawn; checked before that, the port is simply free.
        try await child.waitUntilListening(address: .v4(0x7F00_0001))
        let claim = PortClaim(pod: "p", service: "s", hostIP: "127.0.0.1", port: child.port, variable: "S_PORT")
        let row = PreflightChecker().check(claims: [claim], published: [], stackName: "t").rows.first
        #expect(row?.holder?.pid == child.pid, "\(String(describing: row?.verdict))")
    }
}
