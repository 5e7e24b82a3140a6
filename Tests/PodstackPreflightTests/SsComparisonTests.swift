import Foundation
import Glibc
import PodstackTestSupport
import Testing

@testable import PodstackPreflight

/// `ss -p` walks /proc/*/fd too; preflight must name the same processes for the same ports.
@Suite("Holders agree with ss")
struct SsComparisonTests {
    static let ssPath = ["/usr/bin/ss", "/bin/ss", "/usr/sbin/ss", "/sbin/ss"].first {
        FileManager.default.isExecutableFile(atPath: $0)
    }

    /// The (process name, pid) pairs of `users:(("busybox",pid=4944,fd=3),("x",pid=5,fd=4))`.
    static func users(inSsLine line: Substring) -> [(name: String, pid: Int)] {
        guard let start = line.range(of: "users:(") else { return [] }
        var found: [(String, Int)] = []
        var rest = line[start.upperBound...]
        while let open = rest.range(of: "(\""), let close = rest[open.upperBound...].firstIndex(of: "\"") {
            let name = String(rest[open.upperBound..<close])
            let afterName = rest[close...]
            guard let pidRange = afterName.range(of: "pid=") else { break }
            let digits = afterName[pidRange.upperBound...].prefix(while: \.isNumber)
            if let pid = Int(digits) { found.append((name, pid)) }
            rest = afterName[pidRange.upperBound...]
        }
        return found
    }

    static func ssUsers(port: Int, transport: TransportProtocol) throws -> [(name: String, pid: Int)] {
        guard let ssPath else { return [] }
        let output = try ChildProcess(ssPath, [transport == .tcp ? "-Htlnp" : "-Hulnp", "sport = :\(port)"])
            .finishNow().stdout
        return output.split(separator: "\n").flatMap { users(inSsLine: $0) }
    }

    @Test("The users field of ss output is parsed into names and pids")
    func parsesUsers() {
        let line: Substring =
            #"LISTEN 0 9 127.0.0.1:18777 0.0.0.0:* users:(("busybox",pid=4944,fd=3),("sh",pid=12,fd=7))"#
        let users = Self.users(inSsLine: line)
        #expect(users.map(\.name) == ["busybox", "sh"])
        #expect(users.map(\.pid) == [4944, 12])
    }

    @Test(
        "For listeners of this process, preflight and ss name the same pid and process",
        .enabled(if: ssPath != nil, "ss (iproute2) is not installed"),
        arguments: [
            ("127.0.0.1", TransportProtocol.tcp), ("::", .tcp), ("0.0.0.0", .udp), ("::1", .udp),
        ])
    func agreesForOwnListeners(listenOn: String, transport: TransportProtocol) throws {
        let listener = try Listener(listenOn, transport: transport)
        defer { listener.close() }
        let claim = PortClaim(pod: "p", service: "s", hostIP: listenOn, port: listener.port, transport: transport)
        let holder = try #require(
            PreflightChecker().check(claims: [claim], published: [], stackName: "t").rows.first?.holder)
        let fromSs = try Self.ssUsers(port: listener.port, transport: transport)
        #expect(!fromSs.isEmpty, "ss shows the listener")
        #expect(fromSs.map(\.pid).contains(try #require(holder.pid)))
        #expect(fromSs.first { $0.pid == holder.pid }?.name == holder.processName)
    }

    @Test(
        "For a listener in a child process, preflight and ss name the same pid and process",
        .enabled(if: ssPath != nil, "ss (iproute2) is not installed"))
    func agreesForChild() async throws {
        let child = try ChildListener(port: try Listener.freePort())
        defer { child.stop() }
        try await child.waitUntilListening(address: .v4(0x7F00_0001))
        let claim = PortClaim(pod: "p", service: "s", hostIP: "0.0.0.0", port: child.port)
        let holder = try #require(
            PreflightChecker().check(claims: [claim], published: [], stackName: "t").rows.first?.holder)
        let fromSs = try Self.ssUsers(port: child.port, transport: .tcp)
        #expect(fromSs.map(\.pid) == [child.pid])
        #expect(holder.pid == child.pid)
        #expect(fromSs.first?.name == holder.processName)
    }
}
