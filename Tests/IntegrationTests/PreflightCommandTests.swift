import Foundation
import PodstackTestSupport
import Testing

/// `podstack preflight` and the user's original situation: a system unit holding the port.
@Suite("Preflight from the command line, as root and as an ordinary user", .enabled(if: TestBed.enabled), .serialized)
struct PreflightCommandTests {
    /// A root-owned listener in `system.slice/ollama.service`, as systemd would have placed ollama's server.
    @Test(
        "a system unit's listener: root is told the unit and pid; an ordinary user still gets a conflict, uid 0 and the likely unit"
    )
    func systemUnitHolder() async throws {
        let placement: SystemdCgroupPlacement
        do {
            placement = try SystemdCgroupPlacement(unit: "ollama.service")
        } catch let unavailable as SystemdCgroupPlacement.Unavailable {
            try Test.cancel("cannot place a process in a systemd cgroup here: \(unavailable)")
        }
        defer { placement.remove() }
        let port = HostNet.freePort()
        // python3 from PATH, as a user's server would be; output to files, reaped by pid (ChildProcess).
        let listener = try ChildProcess(
            "/usr/bin/env",
            [
                "python3", "-c",
                "import socket,time; s=socket.socket(); s.bind(('127.0.0.1',\(port))); s.listen(); time.sleep(120)",
            ])
        defer { listener.killAndReap() }
        try placement.add(pid: Int(listener.pid))
        let deadline = ContinuousClock.now + .seconds(10)
        while ContinuousClock.now < deadline, !Self.listening(port) {
            try await Task.sleep(for: .milliseconds(100))
        }

        let stack = try ScratchStack("pf")
        let file = try stack.write(
            "  ollama:\n    image: \(TestBed.genericImage)\n    ports:\n      - \"${OLLAMA_PORT:-\(port)}:11434\"\n")
        chmod(file, 0o644)

        let podstack = try PodstackProcess()
        let asRoot = try await podstack.run(["preflight", "-f", file])
        #expect(asRoot.status == 3, "\(asRoot.output)")
        #expect(asRoot.stdout.contains("ollama.service"))
        #expect(asRoot.stdout.contains("pid \(listener.pid)"))
        #expect(asRoot.stdout.contains("sudo systemctl disable --now ollama.service"))
        #expect(asRoot.stdout.contains("OLLAMA_PORT="))

        let user = try #require(TestBed.environment["PODSTACK_TESTBED_USER"])
        let binary = PodstackProcess.binaryForOtherUsers
        // The copy is written close-on-exec (see `binaryForOtherUsers`); a child forked in the instant
        // before its exec can still hold it busy for a moment (ETXTBSY, exit 126), so it tries again.
        var status: Int32 = 0
        var text = ""
        for attempt in 0..<5 {
            if attempt > 0 { try await Task.sleep(for: .milliseconds(300)) }
            let result = await
                (try ChildProcess(
                    "/usr/sbin/runuser",
                    [
                        "-u", user, "--", "/usr/bin/env", "HOME=/tmp", "CONTAINER_HOST=\(TestBed.url ?? "")", binary,
                        "preflight", "-f", file,
                    ])).finish(within: .seconds(60))
            (status, text) = (result.status, result.stdout + result.stderr)
            if !(status == 126 && text.contains("Text file busy")) { break }
        }
        #expect(status == 3, "\(text)")
        #expect(text.contains("root") || text.contains("uid 0"), "the owning uid is named: \(text)")
        #expect(text.contains("ollama.service"), "the likely unit is named: \(text)")
        #expect(text.contains("likely") || text.contains("probably"), "marked as likely, not certain: \(text)")
    }

    static func listening(_ port: Int) -> Bool {
        let table = (try? String(contentsOfFile: "/proc/net/tcp", encoding: .utf8)) ?? ""
        return table.contains(String(format: ":%04X 00000000:0000 0A", port))
    }
}
