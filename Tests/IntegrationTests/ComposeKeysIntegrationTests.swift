import Foundation
import PodstackTestSupport
import Testing

/// The compose keys real files use, brought up on the real rootless bed and checked from inside the
/// containers or with `podman inspect`.
@Suite("compose keys honoured on the real rootless service", .enabled(if: TestBed.enabled))
struct ComposeKeysIntegrationTests {
    static func podman(_ arguments: [String]) async throws -> String {
        let result = try await ExportTool.podman(arguments)
        return result.output.trimmingCharacters(in: .whitespacesAndNewlines)
    }

    @Test("a container_name that is its pod's name: refused before anything is made on Podman 4 (which refuses it), run on 5")
    func containerNamedAsPod() async throws {
        let stack = try ScratchStack("aspod")
        try stack.write(ScratchStack.service("web", extra: "    container_name: \(stack.pod)\n"))
        let podstack = try PodstackProcess()
        try await withCleanup({ await podstack.down(stack.directory) }) {
            let up = try await podstack.run(["up", "--compose-dir", stack.directory], limit: .seconds(120))
            let podExists = try await ExportTool.podman(["pod", "exists", stack.pod]).status == 0
            if TestBed.podmanMajor == "4" {
                #expect(up.status == 1, "\(up.output)")
                #expect(up.output.contains("is its pod's name, and Podman 4."), "\(up.output)")
                #expect(up.output.contains("\(stack.pod).yml:"), "\(up.output)")
                #expect(!podExists)
            } else {
                #expect(up.status == 0, "\(up.output)")
                #expect(try await Self.podman(["inspect", stack.pod, "--format", "{{.State.Status}}"]) == "running")
            }
        }
    }

    @Test("a service reaches another as http://<service>:<port> and by its aliases; container_name, hostname, hosts and DNS are set")
    func namesAndAddressing() async throws {
        let stack = try ScratchStack("addr")
        let port = 18_431
        let clientName = "\(stack.pod)-front-door"
        let server =
            ScratchStack.service("server", internalPort: port)
            + "    networks:\n      shared:\n        aliases: [backend]\n"
        let client = ScratchStack.service(
            "client", mode: "sleep", dependsOn: [("server", "service_healthy")], health: false,
            extra: """
                    container_name: \(clientName)
                    hostname: box
                    networks: [shared]
                    links: ["server:api-server"]
                    extra_hosts: ["db.example:10.0.0.5"]
                    dns: [10.0.0.53]
                    dns_search: [example.org]
                    dns_opt: ["ndots:2"]

                """)
        try stack.write(server + client, extra: "networks:\n  shared: {}\n")
        let podstack = try PodstackProcess()
        try await withCleanup({ await podstack.down(stack.directory) }) {
            let up = try await podstack.run(["up", "--compose-dir", stack.directory], limit: .seconds(90))
            try #require(up.status == 0, "\(up.output)")

            for name in ["server", "backend", "api-server"] {
                let answer = try await Self.podman(["exec", clientName, "wget", "-q", "-O-", "http://\(name):\(port)/health"])
                #expect(answer.contains("\"status\":\"ok\""), "http://\(name):\(port)/health gave: \(answer)")
            }
            #expect(try await Self.podman(["inspect", "--format", "{{.Name}}", clientName]) == clientName)
            #expect(try await Self.podman(["exec", clientName, "hostname"]) == "box")
            let hosts = try await Self.podman(["exec", clientName, "cat", "/etc/hosts"])
            #expect(hosts.contains("10.0.0.5") && hosts.contains("db.example"), "\(hosts)")
            let resolv = try await Self.podman(["exec", clientName, "cat", "/etc/resolv.conf"])
            #expect(resolv.contains("nameserver 10.0.0.53"), "\(resolv)")
            #expect(resolv.contains("example.org"), "\(resolv)")
            #expect(resolv.contains("ndots:2"), "\(resolv)")
            #expect(try await podstack.run(["down", "--compose-dir", stack.directory]).status == 0)
        }
    }

    /// `podman inspect` of one container, as JSON objects.
    static func inspect(_ container: String) async throws -> [String: Any] {
        let text = try await podman(["inspect", "--type", "container", container])
        let list = try JSONSerialization.jsonObject(with: Data(text.utf8)) as? [[String: Any]]
        return try #require(list?.first, "\(text)")
    }

    @Test("tmpfs, tty, stdin_open, init, capabilities, security_opt, ulimits, privileged, read_only, group_add, shm_size, sysctls and deploy.restart_policy show in podman inspect")
    func processKeys() async throws {
        let stack = try ScratchStack("proc")
        let settings = """
                tmpfs: ["/scratch:size=8m"]
                tty: true
                stdin_open: true
                init: true
                cap_add: [NET_ADMIN]
                cap_drop: [CHOWN]
                security_opt: ["label=disable", "no-new-privileges:true", "seccomp=unconfined"]
                ulimits:
                  nofile: {soft: 1024, hard: 2048}
                read_only: true
                group_add: ["1234"]
                shm_size: 32m
                sysctls: {net.ipv4.ip_unprivileged_port_start: "1000"}
                platform: \(Self.hostPlatform)

            """
        try stack.write(
            ScratchStack.service("worker", mode: "sleep", health: false, extra: settings)
                + ScratchStack.service("root", mode: "sleep", health: false, extra: "    privileged: true\n    deploy: {restart_policy: {condition: on-failure, max_attempts: 3}}\n"))
        let podstack = try PodstackProcess()
        try await withCleanup({ await podstack.down(stack.directory) }) {
            let up = try await podstack.run(["up", "--compose-dir", stack.directory], limit: .seconds(90))
            try #require(up.status == 0, "\(up.output)")

            let inspected = try await Self.inspect("\(stack.pod)-worker")
            let config = try #require(inspected["Config"] as? [String: Any])
            let host = try #require(inspected["HostConfig"] as? [String: Any])
            #expect(config["Tty"] as? Bool == true)
            #expect(config["OpenStdin"] as? Bool == true)
            #expect(host["Init"] as? Bool == true)
            #expect((host["CapAdd"] as? [String])?.contains("CAP_NET_ADMIN") == true, "\(host["CapAdd"] ?? "nil")")
            #expect((host["CapDrop"] as? [String])?.contains("CAP_CHOWN") == true, "\(host["CapDrop"] ?? "nil")")
            let security = host["SecurityOpt"] as? [String] ?? []
            #expect(security.contains("label=disable"), "\(security)")
            #expect(security.contains { $0.hasPrefix("no-new-privileges") }, "\(security)")
            #expect(security.contains("seccomp=unconfined"), "\(security)")
            let ulimits = host["Ulimits"] as? [[String: Any]] ?? []
            #expect(
                ulimits.contains { ($0["Name"] as? String) == "RLIMIT_NOFILE" && ($0["Soft"] as? Int) == 1024 && ($0["Hard"] as? Int) == 2048 },
                "\(ulimits)")
            #expect(host["ReadonlyRootfs"] as? Bool == true)
            #expect((host["GroupAdd"] as? [String])?.contains("1234") == true, "\(host["GroupAdd"] ?? "nil")")
            let worker = "\(stack.pod)-worker"
            // The pod's /dev/shm (shared through the IPC namespace), in 1K blocks.
            let shm = try await Self.podman(["exec", worker, "df", "-k", "/dev/shm"])
            #expect(shm.contains("32768"), "\(shm)")
            // Podman 4.3's inspect does not list sysctls; the process sees them, and no seccomp filter.
            #expect(try await Self.podman(["exec", worker, "cat", "/proc/sys/net/ipv4/ip_unprivileged_port_start"]) == "1000")
            let status = try await Self.podman(["exec", worker, "grep", "Seccomp:", "/proc/1/status"])
            #expect(status.hasSuffix("0"), "\(status)")
            #expect((host["Tmpfs"] as? [String: String])?["/scratch"]?.contains("size=8m") == true, "\(host["Tmpfs"] ?? "nil")")
            let root = try await Self.inspect("\(stack.pod)-root")
            let rootHost = try #require(root["HostConfig"] as? [String: Any])
            #expect(rootHost["Privileged"] as? Bool == true)
            let restart = rootHost["RestartPolicy"] as? [String: Any]
            #expect(restart?["Name"] as? String == "on-failure" && restart?["MaximumRetryCount"] as? Int == 3, "\(restart ?? [:])")
            #expect(try await podstack.run(["down", "--compose-dir", stack.directory]).status == 0)
        }
    }

    @Test("network_mode: host puts the pod on the host's network, and service:NAME shares it")
    func hostNetwork() async throws {
        let stack = try ScratchStack("hostnet")
        try stack.write(
            ScratchStack.service("first", mode: "sleep", health: false, extra: "    network_mode: host\n")
                + ScratchStack.service("second", mode: "sleep", health: false, extra: "    network_mode: \"service:first\"\n"))
        let podstack = try PodstackProcess()
        try await withCleanup({ await podstack.down(stack.directory) }) {
            let up = try await podstack.run(["up", "--compose-dir", stack.directory], limit: .seconds(90))
            try #require(up.status == 0, "\(up.output)")
            #expect(try await Self.podman(["pod", "inspect", "--format", "{{.InfraConfig.HostNetwork}}", stack.pod]) == "true")
            // Both see the host's network interfaces: the same list as the host's own.
            let hostLinks = try await Self.podman(["exec", "\(stack.pod)-first", "cat", "/proc/net/dev"])
            let sharedLinks = try await Self.podman(["exec", "\(stack.pod)-second", "cat", "/proc/net/dev"])
            #expect(Self.interfaces(hostLinks) == Self.interfaces(sharedLinks))
            #expect(Self.interfaces(hostLinks) == Self.interfaces((try? String(contentsOfFile: "/proc/net/dev", encoding: .utf8)) ?? ""))
            #expect(try await podstack.run(["down", "--compose-dir", stack.directory]).status == 0)
        }
    }

    /// The interface names of a /proc/net/dev listing.
    static func interfaces(_ listing: String) -> [String] {
        listing.split(separator: "\n").compactMap { line in
            line.contains(":") ? line.split(separator: ":")[0].trimmingCharacters(in: .whitespaces) : nil
        }.sorted()
    }

    #if arch(arm64)
        static let hostPlatform = "linux/arm64"
    #else
        static let hostPlatform = "linux/amd64"
    #endif
}
