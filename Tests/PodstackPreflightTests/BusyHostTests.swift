import Foundation
import Glibc
import Testing

@testable import PodstackPreflight

/// The speed bar: on a host with thousands of sockets and hundreds of processes, preflight must
/// be as fast as `ss -tlnp`. A benchmark, not part of the normal run: set PODSTACK_PREFLIGHT_BENCH=1.
/// It opens 3,000 listeners in this process and starts 200 sleeping children, then times a check of
/// one held port (the worst case: every table parsed, /proc/*/fd walked) against `ss -tlnp`.
@Suite("Speed against ss", .enabled(if: ProcessInfo.processInfo.environment["PODSTACK_PREFLIGHT_BENCH"] != nil))
struct SpeedBenchmark {
    @Test("A check of a held port on a busy host takes no longer than ss -tlnp")
    func asFastAsSs() throws {
        let ssPath = try #require(SsComparisonTests.ssPath, "ss is needed for the comparison")
        var listeners: [Listener] = []
        for index in 0..<3000 { listeners.append(try Listener(index.isMultiple(of: 2) ? "127.0.0.1" : "::1")) }
        defer { listeners.forEach { $0.close() } }
        let sleepers = try (0..<200).map { _ in try ChildProcess("/bin/sleep", ["60"]) }
        defer { sleepers.forEach { $0.killAndReap() } }
        // A child is the holder, so the walk cannot stop at this process's own pid.
        let child = try ChildListener(port: try Listener.freePort())
        defer { child.stop() }
        let claim = PortClaim(pod: "p", service: "s", hostIP: "127.0.0.1", port: child.port, variable: "S_PORT")
        let clock = ContinuousClock()
        let rounds = 10
        var holderPID: Int?
        let preflight = clock.measure {
            for _ in 0..<rounds {
                holderPID =
                    PreflightChecker().check(claims: [claim], published: [], stackName: "t").rows.first?.holder?.pid
            }
        }
        let ss = try clock.measure {
            for _ in 0..<rounds { _ = try ChildProcess(ssPath, ["-tlnp"]).finishNow() }
        }
        print("preflight: \(preflight / rounds) per check; ss -tlnp: \(ss / rounds) per run")
        #expect(holderPID == child.pid)
        #expect(preflight <= ss)
    }
}
