import Foundation
import PodstackTestSupport
import Testing

/// Addressing and namespaces inside one pod, on the real rootless beds (Podman 4.3.1 and 5.4.2): what the
/// containers see of the host, of each other's hostnames, and of the namespaces a file asks for.
@Suite("namespaces and addressing inside one pod", .enabled(if: TestBed.enabled))
struct PodNamespacesIntegrationTests {
    static func podman(_ arguments: [String]) async throws -> String {
        try await ComposeKeysIntegrationTests.podman(arguments)
    }

    /// A file's `host.docker.internal:host-gateway` reaches a listener on the host, as compose means it on
    /// Linux: one that listens on all addresses. Podman 4.3 does not know the word; podstack writes the
    /// address Podman gives host.containers.internal (the host's own), 5.x resolves it itself.
    @Test("a service reaches a listener on the host through host.docker.internal:host-gateway")
    func hostGateway() async throws {
        let port = HostNet.freePort()
        let token = "host-answer-\(UUID().uuidString.prefix(8))"
        let site = try PodstackProcess.temporaryDirectory("host-site")
        try token.write(toFile: site + "/token.txt", atomically: true, encoding: .utf8)
        let listener = try ChildProcess(
            "/usr/bin/env", ["python3", "-m", "http.server", "\(port)", "--bind", "0.0.0.0", "--directory", site])
        defer { listener.killAndReap() }
        #expect(await HostNet.waitForHTTP(port: port, path: "/token.txt", within: .seconds(20)) != nil)

        let stack = try ScratchStack("hgw")
        try stack.write(
            ScratchStack.service(
                "client", mode: "sleep", health: false,
                extra: "    extra_hosts: [\"host.docker.internal:host-gateway\"]\n"))
        let podstack = try PodstackProcess()
        try await withCleanup({ await podstack.down(stack.directory) }) {
            let up = try await podstack.run(["up", "--compose-dir", stack.directory], limit: .seconds(90))
            try #require(up.status == 0, "\(up.output)")
            let container = "\(stack.pod)-client"
            let hosts = try await Self.podman(["exec", container, "cat", "/etc/hosts"])
            #expect(hosts.contains("host.docker.internal"), "\(hosts)")
            let answer = try await Self.podman(
                ["exec", container, "wget", "-q", "-O-", "http://host.docker.internal:\(port)/token.txt"])
            #expect(answer == token, "\(hosts)")
        }
    }

    /// StackPlanner once said "published ports changed" for any pod made anew.
    @Test("a pod made anew for a new hosts entry says its shared settings changed, not its ports")
    func remadeForSharedSettings() async throws {
        let stack = try ScratchStack("why")
        try stack.write(ScratchStack.service("one", mode: "sleep", health: false))
        let podstack = try PodstackProcess()
        try await withCleanup({ await podstack.down(stack.directory) }) {
            let first = try await podstack.run(["up", "--compose-dir", stack.directory], limit: .seconds(90))
            try #require(first.status == 0, "\(first.output)")
            try stack.write(
                ScratchStack.service(
                    "one", mode: "sleep", health: false, extra: "    extra_hosts: [\"db.example:10.0.0.5\"]\n"))
            let second = try await podstack.run(["up", "--compose-dir", stack.directory], limit: .seconds(90))
            #expect(second.status == 0, "\(second.output)")
            #expect(second.output.contains("pod \(stack.pod): its shared settings changed"), "\(second.output)")
            #expect(!second.output.contains("published ports changed"), "\(second.output)")
        }
    }

    /// The podman-compose fixtures nets_test1 and up_down give web1 and web2 hostnames of their own.
    @Test("services with different hostnames each see their own inside the container, in one pod")
    func hostnamesPerService() async throws {
        let stack = try ScratchStack("uts")
        try stack.write(
            ["web1", "web2"].map {
                ScratchStack.service($0, mode: "sleep", health: false, extra: "    hostname: \($0)\n")
            }.joined() + ScratchStack.service("plain", mode: "sleep", health: false))
        let podstack = try PodstackProcess()
        try await withCleanup({ await podstack.down(stack.directory) }) {
            let up = try await podstack.run(["up", "--compose-dir", stack.directory], limit: .seconds(90))
            try #require(up.status == 0, "\(up.output)")
            for name in ["web1", "web2"] {
                #expect(try await Self.podman(["exec", "\(stack.pod)-\(name)", "hostname"]) == name)
            }
            let plain = try await Self.podman(["exec", "\(stack.pod)-plain", "hostname"])
            #expect(!["web1", "web2", stack.pod].contains(plain), "\(plain)")
            let shared = try await Self.podman(["pod", "inspect", stack.pod, "--format", "{{.SharedNamespaces}}"])
            #expect(shared.contains("net") && !shared.contains("uts"), "\(shared)")
        }
    }

    /// podman-compose's ports fixture publishes `"8001"`: compose puts it on a host port of the engine's choosing.
    @Test("a port without a host port is published where Podman picks, and up and ps show that port")
    func pickedHostPort() async throws {
        let stack = try ScratchStack("pick")
        let inner = 18_611
        try stack.write(
            ScratchStack.service("web", internalPort: inner, extra: "    ports: [\"\(inner)\"]\n"))
        let podstack = try PodstackProcess()
        try await withCleanup({ await podstack.down(stack.directory) }) {
            let up = try await podstack.run(["up", "--compose-dir", stack.directory], limit: .seconds(90))
            try #require(up.status == 0, "\(up.output)")
            let ps = try await podstack.run(["ps", "--compose-dir", stack.directory, "--json"])
            let rows = try JSONSerialization.jsonObject(with: Data(ps.stdout.utf8)) as? [[String: Any]]
            let shown = try #require(rows?.first?["ports"] as? [String]).first ?? ""
            let picked = try #require(
                shown.split(separator: ":").dropFirst().first.flatMap { Int($0.prefix { $0.isNumber }) },
                "\(ps.stdout)")
            #expect(shown == "127.0.0.1:\(picked)->\(inner)/tcp")
            #expect(picked != 0 && picked != inner)
            #expect(up.output.contains("127.0.0.1:\(picked)->\(inner)/tcp"), "\(up.output)")
            let answer = await HostNet.waitForHTTP(port: picked, path: "/health", within: .seconds(20))
            #expect(answer?.contains("\"status\":\"ok\"") == true, "\(answer ?? "nothing")")
            // A second up keeps the pod, and with it the port Podman picked.
            #expect(try await podstack.run(["up", "--compose-dir", stack.directory], limit: .seconds(90)).status == 0)
            let again = try await podstack.run(["ps", "--compose-dir", stack.directory, "--json"])
            #expect(again.stdout.contains("127.0.0.1:\(picked)->\(inner)/tcp"), "\(again.stdout)")
        }
    }

    /// The namespace link of a process on this host (`pid:[4026531836]`).
    static func hostNamespace(_ kind: String) throws -> String {
        try FileManager.default.destinationOfSymbolicLink(atPath: "/proc/self/ns/\(kind)")
    }

    /// podman-compose's pid, ipc and uts fixtures ask for the host's namespaces. `ipc: host` is left to a
    /// unit test: neither bed has /dev/mqueue, and Podman refuses it there ("statfs /dev/mqueue").
    @Test("pid host and service:NAME, ipc shareable, private and service:NAME, uts host: in inspect and inside")
    func namespaces() async throws {
        let stack = try ScratchStack("ns")
        try stack.write(
            ScratchStack.service("a", mode: "sleep", health: false, extra: "    ipc: shareable\n")
                + ScratchStack.service(
                    "b", mode: "sleep", health: false, extra: "    pid: \"service:a\"\n    ipc: \"service:a\"\n")
                + ScratchStack.service(
                    "c", mode: "sleep", health: false, extra: "    pid: host\n    uts: host\n    ipc: private\n"))
        let podstack = try PodstackProcess()
        try await withCleanup({ await podstack.down(stack.directory) }) {
            let up = try await podstack.run(["up", "--compose-dir", stack.directory], limit: .seconds(90))
            try #require(up.status == 0, "\(up.output)")
            let (a, b, c) = ("\(stack.pod)-a", "\(stack.pod)-b", "\(stack.pod)-c")
            let format = "{{.HostConfig.PidMode}} {{.HostConfig.IpcMode}} {{.HostConfig.UTSMode}}"
            let aID = try await Self.podman(["inspect", "--format", "{{.Id}}", a])
            let modes = try await Self.podman(["inspect", "--format", format, a, b, c]).split(separator: "\n")
            #expect(modes.count == 3 && modes[0].hasPrefix("private shareable"), "\(modes)")
            #expect(modes.count == 3 && modes[1].hasPrefix("container:\(aID) container:\(aID)"), "\(modes)")
            // Podman 4.3.1 reports a private IPC namespace as "shareable", 5.4.2 as "private"; the
            // namespace links below tell them apart.
            #expect(modes.count == 3 && modes[2].hasPrefix("host ") && modes[2].hasSuffix(" host"), "\(modes)")
            func inside(_ container: String, _ kind: String) async throws -> String {
                try await Self.podman(["exec", container, "readlink", "/proc/self/ns/\(kind)"])
            }
            #expect(try await inside(c, "pid") == Self.hostNamespace("pid"))
            #expect(try await inside(b, "pid") == inside(a, "pid"))
            #expect(try await inside(a, "pid") != Self.hostNamespace("pid"))
            #expect(try await inside(b, "ipc") == inside(a, "ipc"))
            #expect(try await inside(c, "ipc") != inside(a, "ipc"))
            #expect(try await inside(c, "uts") == Self.hostNamespace("uts"))
            #expect(try await inside(a, "uts") != Self.hostNamespace("uts"))
        }
    }
}
