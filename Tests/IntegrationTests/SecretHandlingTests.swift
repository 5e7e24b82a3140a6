import Foundation
import PodmanAPI
import PodstackCore
import Testing

/// Security (issue 6): the postgres password travels only as a Podman secret; ports stay on loopback
/// unless a file says otherwise; data directories are private.
@Suite("Secrets, ports and data directories are kept private", .enabled(if: TestBed.enabled))
struct SecretHandlingTests {
    static let postgresImage = "localhost/podstack-standin-aidb-postgres:latest"

    /// A postgres stand-in that reads its password from the secret, and an API beside it using the same secret.
    static func write(_ stack: ScratchStack, secretSource: String, port: Int) throws {
        let postgres = """
              postgres:
                image: \(postgresImage)
                ports:
                  - "\(port):5432"
                environment:
                  POSTGRES_USER: postgres
                  POSTGRES_PASSWORD_FILE: /run/secrets/pgpass
                  STANDIN_READY_DELAY: "1"
                secrets:
                  - pgpass
                volumes:
                  - ${PODSTACK_DATA_DIR}/\(stack.pod)/postgres:/var/lib/postgresql/data
                healthcheck:
                  test: ["CMD-SHELL", "pg_isready -h 127.0.0.1 -p 5432 -U postgres"]
                  interval: 1s
                  timeout: \(ScratchStack.probeTimeout)
                  retries: 10
                stop_grace_period: 2s

            """
        let api = ScratchStack.service(
            "api", dependsOn: [("postgres", "service_healthy")],
            environment: ["POSTGRES_PASSWORD_FILE": "/run/secrets/pgpass"], extra: "    secrets:\n      - pgpass\n")
        try stack.write(postgres + api, extra: "secrets:\n  pgpass:\n    name: \(stack.pod)_pgpass\n" + secretSource)
    }

    @Test(
        "secret: the postgres password travels as a Podman secret and never appears in labels, command lines, podman inspect, podstack's output or logs"
    )
    func passwordNeverLeaks() async throws {
        let stack = try ScratchStack("secret")
        let password = "pstest-pw-\(UUID().uuidString)"
        let passwordFile = stack.directory + "/pgpass"
        try password.write(toFile: passwordFile, atomically: true, encoding: .utf8)
        chmod(passwordFile, 0o600)
        try Self.write(stack, secretSource: "    file: \(passwordFile)\n", port: HostNet.freePort())
        let podstack = try PodstackProcess()
        try await withCleanup({ await podstack.down(stack.directory, volumes: true) }) {
            let args = ["--compose-dir", stack.directory]

            var said: [String: String] = [:]
            let up = try await podstack.run(["up"] + args, limit: .seconds(60))
            try #require(up.status == 0, "\(up.output)")
            said["up"] = up.output
            said["up --json"] = try await podstack.run(["up", "--json"] + args).output
            for command in [
                ["ps"], ["ps", "--json"], ["config"], ["config", "--json"], ["logs", "postgres"], ["logs", "api"],
                ["kube"],
            ] {
                let result = try await podstack.run(command + args, limit: .seconds(60))
                #expect(result.status == 0, "\(command): \(result.output)")
                said[command.joined(separator: " ")] = result.output
            }
            let units = try PodstackProcess.temporaryDirectory("units")
            defer { try? FileManager.default.removeItem(atPath: units) }
            said["systemd"] = try await podstack.run(["systemd", "--output-dir", units] + args).output
            for file in (try? FileManager.default.contentsOfDirectory(atPath: units)) ?? [] {
                said["unit \(file)"] = try String(contentsOfFile: units + "/\(file)", encoding: .utf8)
            }

            // Podman's own view: inspect of pod, containers and secret, and the host's process table.
            let client = try TestBed.client()
            for container in ["\(stack.pod)-postgres", "\(stack.pod)-api"] {
                let inspect = try await client.inspectContainer(container)
                let config = inspect.config
                let visible =
                    (config?.env ?? []) + (config?.command ?? []) + Array((config?.labels ?? [:]).values)
                    + Array((config?.labels ?? [:]).keys)
                #expect(!visible.contains { $0.contains(password) }, "\(container): env, command and labels")
                said["podman inspect \(container)"] = try await Self.podman(["inspect", container])
            }
            said["podman pod inspect"] = try await Self.podman(["pod", "inspect", stack.pod])
            said["podman secret inspect"] = try await Self.podman(["secret", "inspect", "\(stack.pod)_pgpass"])
            said["host processes"] = try await FaultBed.command("/bin/ps", ["-e", "-ww", "-o", "args="]).stdout
            let down = try await podstack.run(["down", "--volumes"] + args)
            said["down --volumes"] = down.output
            let testbed = TestBed.environment["PODSTACK_TESTBED_DIR"] ?? "/var/tmp/podstack-testbed"
            said["podman service log"] = (try? String(contentsOfFile: testbed + "/service.log", encoding: .utf8)) ?? ""

            for (place, text) in said.sorted(by: { $0.key < $1.key }) {
                #expect(!text.contains(password), "the password appears in \(place)")
            }
            #expect(
                said["podman secret inspect"]?.contains("\(stack.pod)_pgpass") == true, "the secret is a Podman secret")
            #expect(
                said["podman inspect \(stack.pod)-postgres"]?.contains("\(stack.pod)_pgpass") == true,
                "postgres uses the secret")
            #expect(down.status == 0 && down.stdout.contains("removed secrets \(stack.pod)_pgpass"), "\(down.output)")
            #expect(try await client.listSecrets().contains { $0.name == "\(stack.pod)_pgpass" } == false)
        }
    }

    @Test("secret: the container reads the password from the Podman secret file, byte for byte")
    func passwordDelivered() async throws {
        let stack = try ScratchStack("secretin")
        let password = "pstest-pw-\(UUID().uuidString)"
        let passwordFile = stack.directory + "/pgpass"
        try password.write(toFile: passwordFile, atomically: true, encoding: .utf8)
        try Self.write(stack, secretSource: "    file: \(passwordFile)\n", port: HostNet.freePort())
        let podstack = try PodstackProcess()
        try await withCleanup({ await podstack.down(stack.directory, volumes: true) }) {
            let up = try await podstack.run(["up", "--compose-dir", stack.directory], limit: .seconds(60))
            try #require(up.status == 0, "\(up.output)")
            #expect(try await Self.podman(["exec", "\(stack.pod)-postgres", "cat", "/run/secrets/pgpass"]) == password)
            #expect(try await podstack.run(["down", "--volumes", "--compose-dir", stack.directory]).status == 0)
        }
    }

    @Test("secret: a generated postgres password is written 0600 in a 0700 directory and never printed")
    func generatedPassword() async throws {
        let stack = try ScratchStack("secretgen")
        let podstack = try PodstackProcess()
        let secretFile = try #require(podstack.environment["PODSTACK_DATA_DIR"]) + "/\(stack.pod)/secrets/pgpass"
        try Self.write(
            stack, secretSource: "    file: \(secretFile)\n    x-podstack-generate: true\n", port: HostNet.freePort())
        try await withCleanup({ await podstack.down(stack.directory, volumes: true) }) {
            let up = try await podstack.run(["up", "--compose-dir", stack.directory], limit: .seconds(60))
            try #require(up.status == 0, "\(up.output)")
            let password = try String(contentsOfFile: secretFile, encoding: .utf8)
            #expect(password.count >= 32)
            #expect(!up.output.contains(password), "up does not print the generated password")
            #expect(up.stderr.contains("generated a random secret in \(secretFile)"))
            var info = stat()
            #expect(stat(secretFile, &info) == 0 && info.st_mode & 0o777 == 0o600, "secret file 0600")
            #expect(
                stat((secretFile as NSString).deletingLastPathComponent, &info) == 0 && info.st_mode & 0o777 == 0o700,
                "its directory 0700")
            #expect(try await Self.podman(["exec", "\(stack.pod)-postgres", "cat", "/run/secrets/pgpass"]) == password)
            let down = try await podstack.run(["down", "--volumes", "--compose-dir", stack.directory])
            #expect(down.status == 0 && !down.output.contains(password))
        }
    }

    @Test("host ports bind 127.0.0.1 unless the compose file names another address")
    func portsOnLoopback() async throws {
        let stack = try ScratchStack("ports")
        let (local, open) = (HostNet.freePort(), HostNet.freePort())
        try stack.write(
            ScratchStack.service("local", port: local)
                + ScratchStack.service("open", port: open, health: false).replacingOccurrences(
                    of: "- \"\(open):", with: "- \"0.0.0.0:\(open):"))
        let podstack = try PodstackProcess()
        try await withCleanup({ await podstack.down(stack.directory) }) {
            let up = try await podstack.run(["up", "--compose-dir", stack.directory], limit: .seconds(60))
            try #require(up.status == 0, "\(up.output)")

            let bindings = try await TestBed.client().inspectPod(stack.pod).infraConfig?.portBindings ?? [:]
            let hostIPs = Dictionary(
                bindings.compactMap { key, value in value.first.map { ($0.hostPort ?? "", $0.hostIP ?? "") } }
            ) { a, _ in a }
            #expect(hostIPs["\(local)"] == "127.0.0.1", "\(bindings)")
            #expect(hostIPs["\(open)"] == "0.0.0.0" || hostIPs["\(open)"] == "", "\(bindings)")
            #expect(
                await HostNet.waitForHTTP(port: local, path: "/health", within: .seconds(10)) != nil, "loopback answers"
            )
            if let external = Self.externalIPv4() {
                #expect(Self.connects(external, local) == false, "\(external):\(local) is not reachable")
                #expect(Self.connects(external, open), "\(external):\(open) is reachable, as the file asked")
            }
            #expect(try await podstack.run(["down", "--compose-dir", stack.directory]).status == 0)
        }
    }

    @Test("data directories podstack creates are 0700 at every level; an existing directory keeps its mode")
    func dataDirectoriesPrivate() async throws {
        let stack = try ScratchStack("dirs")
        let podstack = try PodstackProcess()
        let data = try #require(podstack.environment["PODSTACK_DATA_DIR"]) + "/\(stack.pod)"
        try FileManager.default.createDirectory(atPath: data + "/existing", withIntermediateDirectories: true)
        chmod(data, 0o755)
        chmod(data + "/existing", 0o755)
        try stack.write(
            ScratchStack.service(
                "app", health: false,
                extra:
                    "    volumes:\n      - ${PODSTACK_DATA_DIR}/\(stack.pod)/a/b/c:/data\n      - ${PODSTACK_DATA_DIR}/\(stack.pod)/existing:/old:ro\n"
            ))
        try await withCleanup({ await podstack.down(stack.directory) }) {
            let up = try await podstack.run(["up", "--compose-dir", stack.directory], limit: .seconds(60))
            try #require(up.status == 0, "\(up.output)")
            for directory in ["/a", "/a/b", "/a/b/c"] {
                var info = stat()
                #expect(stat(data + directory, &info) == 0 && info.st_mode & 0o777 == 0o700, "\(directory) is 0700")
            }
            var info = stat()
            #expect(
                stat(data + "/existing", &info) == 0 && info.st_mode & 0o777 == 0o755,
                "an existing directory is left as it was")
            #expect(try await podstack.run(["down", "--compose-dir", stack.directory]).status == 0)
        }
    }

    /// The podman CLI on the shared test bed's store (scripts/testbed.sh podman); its stdout.
    static func podman(_ arguments: [String]) async throws -> String {
        let result = try await FaultBed.command(
            "/bin/bash", [FaultBed.repository + "/scripts/testbed.sh", "podman"] + arguments)
        return result.stdout
    }

    /// The first IPv4 address of this host that is not loopback.
    static func externalIPv4() -> String? {
        var list: UnsafeMutablePointer<ifaddrs>?
        guard getifaddrs(&list) == 0 else { return nil }
        defer { freeifaddrs(list) }
        var entry = list
        while let current = entry {
            defer { entry = current.pointee.ifa_next }
            guard let address = current.pointee.ifa_addr, address.pointee.sa_family == sa_family_t(AF_INET) else {
                continue
            }
            let ipv4 = address.withMemoryRebound(to: sockaddr_in.self, capacity: 1) { $0.pointee.sin_addr }
            guard let text = String(validatingCString: inet_ntoa(ipv4)), !text.hasPrefix("127.") else { continue }
            return text
        }
        return nil
    }

    static func connects(_ host: String, _ port: Int) -> Bool {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        defer { close(fd) }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_addr.s_addr = inet_addr(host)
        address.sin_port = UInt16(port).bigEndian
        return withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                connect(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size))
            }
        } == 0
    }
}
