import Foundation
import PodmanAPI
import PodstackCore
import PodstackTestSupport
import Testing

/// Faults injected for real (issue 6): the Podman service killed mid-run, dependencies that crash-loop or
/// turn unhealthy, and sockets that are missing, refusing, forbidden or rootful.
///
/// The kills happen on a private second test bed (`scripts/testbed-faults.sh`), never on the shared one
/// that other suites use at the same time; hence `.serialized`.
@Suite("Faults injected and survived", .enabled(if: TestBed.enabled), .serialized)
struct FaultTests {
    @Test(
        "fault: the Podman service killed in the middle of up: exit 69 within the request timeout saying it went away, and after a restart the next up converges with one pod and one container per service"
    )
    func serviceKilledDuringUp() async throws {
        let url = try await FaultBed.up()
        let stack = try ScratchStack("killup")
        try stack.write(
            ScratchStack.service("slow", delay: 8, retries: 20)
                + ScratchStack.service("after", dependsOn: [("slow", "service_healthy")]))
        let podstack = try PodstackProcess(extra: ["CONTAINER_HOST": url])
        let client = try FaultBed.client(url)
        try await withCleanup({ try? await FaultBed.cleanUp(stack, podstack) }) {

            // `slow` started and waited on: up is in its health wait, its dependent made but not yet started
            // (it is made once `slow` has started; killing Podman in the middle of a create is another case,
            // which leaves a name in Podman's storage and, at times, a lock held). The kill happens in the
            // scenario's shell, on time whatever this test process is doing.
            let result = try await podstack.scenario(
                ["up", "--compose-dir", stack.directory, "--request-timeout", "10"],
                waitForPattern: "/after +waiting-for-dependencies",
                action: "bash '\(FaultBed.script)' kill")
            #expect(result.secondsAfterAction < 12, "within the 10 s request timeout")
            #expect(result.status == 69, "\(result.stderr)")
            #expect(
                result.stderr.contains("went away"), "the message says the service went away mid-run: \(result.stderr)")

            _ = try await FaultBed.up()
            let rerun = try await podstack.run(["up", "--compose-dir", stack.directory], limit: .seconds(60))
            #expect(rerun.status == 0, "\(rerun.output)")
            #expect(try await client.listPods(labels: ["io.podstack.stack=\(stack.pod)"]).count == 1)
            let containers = try await client.listContainers(labels: ["io.podstack.stack=\(stack.pod)"])
            #expect(containers.map(\.name).sorted() == ["\(stack.pod)-after", "\(stack.pod)-slow"])
            try await FaultBed.cleanUp(stack, podstack)
        }
    }

    @Test(
        "fault: the Podman service killed in the middle of down: exit 69 saying it went away, and after a restart the next down removes every pod and container"
    )
    func serviceKilledDuringDown() async throws {
        let url = try await FaultBed.up()
        let stack = try ScratchStack("killdown")
        // PID 1 ignores a signal it has no handler for: SIGUSR1 makes the stop wait its whole grace period.
        let stubborn = ScratchStack.service("stubborn", mode: "sleep", health: false)
            .replacingOccurrences(of: "stop_grace_period: 2s", with: "stop_grace_period: 6s\n    stop_signal: SIGUSR1")
        try stack.write(ScratchStack.service("quick", health: false) + stubborn)
        let podstack = try PodstackProcess(extra: ["CONTAINER_HOST": url])
        let client = try FaultBed.client(url)
        try await withCleanup({ try? await FaultBed.cleanUp(stack, podstack) }) {
            let up = try await podstack.run(["up", "--compose-dir", stack.directory], limit: .seconds(60))
            try #require(up.status == 0, "\(up.output)")

            // Once `quick` is stopped, down waits on `stubborn`'s grace period; the service dies then.
            let result = try await podstack.scenario(
                ["down", "--compose-dir", stack.directory, "--request-timeout", "10"],
                waitForPattern: "/quick +stopped",
                action: "sleep 0.5; kill -0 $PODSTACK_PID && bash '\(FaultBed.script)' kill")
            #expect(result.secondsAfterAction < 12)
            #expect(result.status == 69, "\(result.stderr)")
            #expect(result.stderr.contains("went away"), "\(result.stderr)")

            _ = try await FaultBed.up()
            let rerun = try await podstack.run(["down", "--compose-dir", stack.directory], limit: .seconds(60))
            #expect(rerun.status == 0, "\(rerun.output)")
            #expect(try await client.podExists(stack.pod) == false)
            #expect(
                try await client.listContainers(labels: ["io.podstack.stack=\(stack.pod)"], includeInfra: true).isEmpty)
        }
    }

    @Test(
        "fault: everything of the user killed at once (service, conmon, containers, pause process), as at a session's end: once the service is back, up makes the stuck pod and containers anew and converges"
    )
    func everythingKilled() async throws {
        let url = try await FaultBed.up()
        let stack = try ScratchStack("killall")
        try stack.write(
            ScratchStack.service("db", mode: "sleep", health: false)
                + ScratchStack.service("app", mode: "sleep", dependsOn: [("db", "service_started")], health: false))
        let podstack = try PodstackProcess(extra: ["CONTAINER_HOST": url])
        let client = try FaultBed.client(url)
        try await withCleanup({ try? await FaultBed.cleanUp(stack, podstack) }) {
            let up = try await podstack.run(["up", "--compose-dir", stack.directory], limit: .seconds(60))
            try #require(up.status == 0, "\(up.output)")

            let killed = await (try ChildProcess("/bin/bash", [FaultBed.script, "kill-all"])).finish(
                within: .seconds(60))
            try #require(killed.status == 0, "scripts/testbed-faults.sh kill-all failed")
            // The bed's `up` repairs Podman (`podman system migrate`); what it leaves is Podman 4.3's record of
            // containers whose processes are gone, some of them stuck in "stopping".
            _ = try await FaultBed.up()
            let rerun = try await podstack.run(["up", "--compose-dir", stack.directory], limit: .seconds(90))
            if TestBed.podmanMajor == "5", rerun.status != 0, rerun.output.contains("stat /catatonit") {
                // Podman 5.4.2's `system migrate`, which the bed's repair reruns until it stops panicking in
                // UnmountContainerImage (podman#27520, fixed in 5.7), leaves in about a third of tries an
                // infra container whose root filesystem is not mounted: its start fails with this message,
                // and removing the pod then fails on the mount point runc wrote into. Seen 2026-12-04 (3 of 9
                // tries). The API has no way to remount or force it (the CLI's `podman unmount` is not remote),
                // so podstack cannot converge from Podman's own damage here; it is Podman's bug, fixed in 5.7.
                // Any other failure fails.
                withKnownIssue("Podman 5.4.2 after its migrate panic: the infra container's root is not mounted") {
                    Issue.record("first rerun after kill-all: \(rerun.output.suffix(600))")
                }
                return
            }
            #expect(rerun.status == 0, "\(rerun.output)")
            #expect(try await client.listPods(labels: ["io.podstack.stack=\(stack.pod)"]).count == 1)
            let containers = try await client.listContainers(labels: ["io.podstack.stack=\(stack.pod)"])
            #expect(containers.map(\.name).sorted() == ["\(stack.pod)-app", "\(stack.pod)-db"])
            #expect(
                containers.allSatisfy { $0.state == .running },
                "\(containers.map { "\($0.name): \($0.state?.text ?? "?")" })")
            try await FaultBed.cleanUp(stack, podstack)
        }
    }

    @Test(
        "fault: a dependency that crash-loops under its restart policy keeps its dependent from starting; the report names it and shows its log tail"
    )
    func crashLoopingDependency() async throws {
        let stack = try ScratchStack("loop")
        try stack.write(
            ScratchStack.service(
                "loop", mode: "crash", delay: 1, retries: 10,
                environment: ["STANDIN_MESSAGE": "loop cannot reach its disk"],
                extra: "    restart: always\n")
                + ScratchStack.service("app", dependsOn: [("loop", "service_healthy")]))
        let podstack = try PodstackProcess()
        try await withCleanup({ await podstack.down(stack.directory) }) {
            let up = try await podstack.run(["up", "--compose-dir", stack.directory], limit: .seconds(60))
            #expect(up.status == 4, "\(up.output)")
            #expect(up.stderr.contains("\(stack.pod)/loop:"), "the report names the cause")
            #expect(up.stderr.contains("crash-looping") || up.stderr.contains("exited with code 3"), "\(up.stderr)")
            #expect(
                up.stderr.contains("log lines of \(stack.pod)-loop") && up.stderr.contains("loop cannot reach its disk")
            )
            #expect(up.stderr.contains("not started: loop"))
            // Containers are made up front; the dependent's was never started.
            #expect(try await TestBed.client().inspectContainer("\(stack.pod)-app").state.neverStarted)
            _ = try await podstack.run(["down", "--compose-dir", stack.directory])
        }
    }

    @Test(
        "fault: a dependency that turns unhealthy after being healthy keeps its dependent from starting; the report names it and shows its log tail"
    )
    func turnsUnhealthyDependency() async throws {
        let stack = try ScratchStack("flap")
        // `flaky` is healthy at once and unhealthy after 2 s; `app` also waits for `slow` (6 s), so by the
        // time it could start, `flaky` is no longer healthy.
        try stack.write(
            ScratchStack.service("flaky", mode: "flap", environment: ["STANDIN_HEALTHY_FOR": "2"])
                + ScratchStack.service("slow", delay: 6, retries: 20)
                + ScratchStack.service("app", dependsOn: [("flaky", "service_healthy"), ("slow", "service_healthy")]))
        let podstack = try PodstackProcess()
        try await withCleanup({ await podstack.down(stack.directory) }) {
            let up = try await podstack.run(["up", "--compose-dir", stack.directory], limit: .seconds(60))
            #expect(up.status == 4, "\(up.output)")
            #expect(up.stderr.contains("flaky turned unhealthy after being healthy"), "\(up.stderr)")
            // The cause's own log tail, where it says why: the stand-in logs the moment /health went away.
            #expect(
                up.stderr.contains("log lines of \(stack.pod)-flaky") && up.stderr.contains("unhealthy now"),
                "\(up.stderr)"
            )
            let app = try? await TestBed.client().inspectContainer("\(stack.pod)-app")
            #expect(
                app == nil || app?.state.neverStarted == true,
                "the dependent never ran: \(app?.state.status.text ?? "absent")")
            _ = try await podstack.run(["down", "--compose-dir", stack.directory])
        }
    }

    @Test("fault: a socket that does not exist gives exit 69, names the path and says how to start the service")
    func missingSocket() async throws {
        let path = NSTemporaryDirectory() + "pstest-nosock-\(UUID().uuidString.prefix(8)).sock"
        let info = try await PodstackProcess().run(["info", "--url", "unix://\(path)"], limit: .seconds(30))
        #expect(info.status == 69, "\(info.output)")
        #expect(info.stderr.contains("no Podman socket at \(path)"), "\(info.stderr)")
        #expect(info.stderr.contains("podman system service"))
    }

    @Test("fault: a socket that refuses connections gives exit 69 and says it refused")
    func refusingSocket() async throws {
        let directory = try PodstackProcess.temporaryDirectory("refuse")
        defer { try? FileManager.default.removeItem(atPath: directory) }
        // Bound but never listening: connect(2) is refused, as with a socket file a dead service left behind.
        let socket = try UnixSocketFile(path: directory + "/p.sock", listening: false)
        defer { socket.close() }
        let info = try await PodstackProcess().run(["info", "--url", "unix://\(socket.path)"], limit: .seconds(30))
        #expect(info.status == 69, "\(info.output)")
        #expect(info.stderr.contains("refused the connection"), "\(info.stderr)")
    }

    @Test("fault: a socket the user may not open gives exit 69 and says permission denied")
    func forbiddenSocket() async throws {
        guard geteuid() == 0, let user = TestBed.environment["PODSTACK_TESTBED_USER"] else {
            try #require(!TestBed.inCI, "needs root and the test bed's unprivileged user")
            return
        }
        let directory = try PodstackProcess.temporaryDirectory("forbid")
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let socket = try UnixSocketFile(path: directory + "/p.sock", listening: true)
        defer { socket.close() }
        chmod(socket.path, 0o600)
        let binary = PodstackProcess.binaryForOtherUsers
        let result = try await FaultBed.command(
            "/usr/sbin/runuser",
            [
                "-u", user, "--", "/usr/bin/env", "-i", "PATH=/usr/bin:/bin", binary, "info", "--url",
                "unix://\(socket.path)",
            ])
        #expect(result.status == 69, "\(result.output)")
        #expect(result.stderr.contains("permission denied"), "\(result.stderr)")
        #expect(result.stderr.contains("You may not open \(socket.path)"), "\(result.stderr)")
    }

    @Test(
        "fault: a rootful Podman service is refused with exit 77 and a clear message, and accepted with --allow-rootful"
    )
    func rootfulRefused() async throws {
        guard geteuid() == 0 else {
            try #require(!TestBed.inCI, "needs root to start a rootful service")
            return
        }
        let directory = NSTemporaryDirectory() + "pstest-rootful-\(UUID().uuidString.prefix(8))"
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let socketPath = directory + "/p.sock"
        var environment = ProcessInfo.processInfo.environment
        let testbed = TestBed.environment["PODSTACK_TESTBED_DIR"] ?? "/var/tmp/podstack-testbed"
        environment["CONTAINERS_CONF"] = testbed + "/conf/containers.conf"  // runc on hybrid cgroups
        // With CONTAINER_HOST set (scripts/test.sh exports the test bed's), podman acts as a remote client
        // and `system service` never listens.
        environment["CONTAINER_HOST"] = nil
        environment["CONTAINER_CONNECTION"] = nil
        let service = try ChildProcess(
            "/usr/bin/podman",
            [
                "--root", directory + "/root", "--runroot", directory + "/runroot", "--storage-driver", "vfs",
                "system", "service", "--time=0", "unix://\(socketPath)",
            ], environment: environment)
        defer {
            kill(service.pid, SIGTERM)
            _ = service.finishNow(within: .seconds(20))
        }
        let url = "unix://\(socketPath)"
        try await FaultBed.waitUntil("the rootful service answers") { FaultBed.answersPing(socketPath) }

        let podstack = try PodstackProcess()
        let refused = try await podstack.run(["info", "--url", url], limit: .seconds(30))
        #expect(refused.status == 77, "\(refused.output)")
        #expect(
            refused.stderr.contains("runs as root") && refused.stderr.contains("--allow-rootful"), "\(refused.stderr)")
        let allowed = try await podstack.run(["info", "--url", url, "--allow-rootful"], limit: .seconds(30))
        #expect(allowed.status == 0, "\(allowed.output)")
        #expect(allowed.stdout.contains("rootless:    no"))
    }
}

/// The private test bed of the fault tests: started on first use, killed and restarted by them.
enum FaultBed {
    static let repository = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().path
    static let script = repository + "/scripts/testbed-faults.sh"
    /// testbed-faults.sh's default for the Podman the shared bed runs (it follows PODSTACK_TESTBED_PODMAN too).
    static let directory =
        ProcessInfo.processInfo.environment["PODSTACK_FAULTS_DIR"]
        ?? (TestBed.podmanMajor == "5" ? "/var/tmp/podstack-testbed5-faults" : "/var/tmp/podstack-testbed-faults")
    static var socketPath: String { directory + "/podman.sock" }

    /// Starts (or restarts) the private service; its URL. Idempotent and quick once the images are built.
    static func up() async throws -> String {
        if answersPing(socketPath) { return "unix://\(socketPath)" }
        let result = try await command("/bin/bash", [script, "up"], limit: .seconds(300))
        guard result.status == 0, let url = result.stdout.split(separator: "\n").last.map(String.init),
            url.hasPrefix("unix://")
        else {
            throw FaultBedFailed(detail: "scripts/testbed-faults.sh up failed: \(result.stderr.suffix(2000))")
        }
        return url
    }

    static func killService() async throws {
        let status = await (try ChildProcess("/bin/bash", [script, "kill"])).finish(within: .seconds(60)).status
        guard status == 0 else { throw FaultBedFailed(detail: "scripts/testbed-faults.sh kill failed") }
    }

    static func client(_ url: String) throws -> PodmanClient {
        PodmanClient(socketPath: try PodmanSocket.path(fromURL: url), requestTimeout: .seconds(30))
    }

    /// Takes the stack down (with its volumes), restarting the service first if a test left it dead.
    static func cleanUp(_ stack: ScratchStack, _ podstack: PodstackProcess) async throws {
        _ = try await up()
        _ = try await podstack.run(["down", "--volumes", "--compose-dir", stack.directory], limit: .seconds(60))
    }

    static func answersPing(_ path: String) -> Bool {
        let fd = socket(AF_UNIX, Int32(SOCK_STREAM.rawValue), 0)
        defer { close(fd) }
        var timeout = timeval(tv_sec: 2, tv_usec: 0)
        setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &timeout, socklen_t(MemoryLayout<timeval>.size))
        guard UnixSocketFile.connect(fd, path) == 0 else { return false }
        let request = Array("GET /_ping HTTP/1.0\r\nHost: d\r\n\r\n".utf8)
        _ = request.withUnsafeBytes { write(fd, $0.baseAddress, $0.count) }
        var buffer = [UInt8](repeating: 0, count: 256)
        let count = read(fd, &buffer, buffer.count)
        return count > 0 && String(decoding: buffer[0..<count], as: UTF8.self).contains(" 200 ")
    }

    static func waitUntil(
        _ what: String, within limit: Duration = .seconds(30), _ condition: () async -> Bool
    ) async throws {
        let deadline = ContinuousClock.now + limit
        while ContinuousClock.now < deadline {
            if await condition() { return }
            try await Task.sleep(for: .milliseconds(100))
        }
        throw FaultBedFailed(detail: "waited \(limit) for: \(what)")
    }

    /// Runs a command to its end; stdout and stderr read on threads of their own.
    static func command(
        _ executable: String, _ arguments: [String], limit: Duration = .seconds(60)
    ) async throws -> PodstackProcess.Result {
        let result = await (try ChildProcess(executable, arguments)).finish(within: limit)
        return .init(status: result.status, stdout: result.stdout, stderr: result.stderr)
    }
}

struct FaultBedFailed: Error, CustomStringConvertible {
    var detail: String
    var description: String { detail }
}

/// A Unix socket file held by the test: bound, and listening or not.
final class UnixSocketFile {
    let fd: Int32
    let path: String

    init(path: String, listening: Bool) throws {
        self.path = path
        fd = socket(AF_UNIX, Int32(SOCK_STREAM.rawValue), 0)
        var address = Self.address(path)
        let bound = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                bind(fd, $0, socklen_t(MemoryLayout<sockaddr_un>.size))
            }
        }
        guard bound == 0, !listening || listen(fd, 4) == 0 else { throw POSIXError(.EADDRINUSE) }
    }

    static func address(_ path: String) -> sockaddr_un {
        var address = sockaddr_un()
        address.sun_family = sa_family_t(AF_UNIX)
        withUnsafeMutableBytes(of: &address.sun_path) { raw in
            for (index, byte) in path.utf8.prefix(raw.count - 1).enumerated() { raw[index] = byte }
        }
        return address
    }

    static func connect(_ fd: Int32, _ path: String) -> Int32 {
        var address = address(path)
        return withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                Glibc.connect(fd, $0, socklen_t(MemoryLayout<sockaddr_un>.size))
            }
        }
    }

    func close() {
        Glibc.close(fd)
        unlink(path)
    }
}
