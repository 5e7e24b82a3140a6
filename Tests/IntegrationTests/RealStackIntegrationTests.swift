import Foundation
import PodmanAPI
import PodstackCore
import Testing

/// The repository's own compose files, with only the image variables pointed at the stand-ins (and the
/// host ports moved to free ones, so that nothing else on the machine is in the way).
@Suite("The repository's stack on the stand-in images", .enabled(if: TestBed.enabled), .serialized)
struct RealStackIntegrationTests {
    static let repository = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent()
    static let composeDirectory = repository.appendingPathComponent("compose").path
    static let standins = repository.appendingPathComponent("compose/standins.env").path

    static let portVariables = [
        "OLLAMA_PORT", "OPEN_WEBUI_PORT", "QDRANT_HTTP_PORT", "QDRANT_GRPC_PORT", "MINDSDB_API_PORT",
        "MINDSDB_GUI_PORT",
        "AIDB_POSTGRES_PORT", "AIDB_API_PORT",
    ]

    static func freePorts() -> [String: String] {
        var used = Set<Int>()
        var ports: [String: String] = [:]
        for variable in portVariables {
            var port = HostNet.freePort()
            while used.contains(port) { port = HostNet.freePort() }
            used.insert(port)
            ports[variable] = String(port)
        }
        return ports
    }

    @Test(
        "both pods come up in order, every service answers on its host port, ps shows them, data survives down and up")
    func wholeStack() async throws {
        let ports = Self.freePorts()
        let podstack = try PodstackProcess(extra: ports)
        let args = ["--compose-dir", Self.composeDirectory, "--env-file", Self.standins]
        try await withCleanup({ _ = try? await podstack.run(["down"] + args) }) {

            let up = try await podstack.run(["up"] + args + ["--json"])
            #expect(up.status == 0, "\(up.output)")
            let report = try UpDownIntegrationTests.decodeReport(up.stdout)
            #expect(report.services.count == 7)
            #expect(report.ok)

            // The aidb-api stand-in exits when postgres is not ready; it being healthy proves the order, and so
            // does the report: no dependent was started before each dependency was ready.
            let byName = Dictionary(uniqueKeysWithValues: report.services.map { ($0.service, $0) })
            for (dependent, dependencies) in [
                ("open-webui", ["ollama"]), ("mindsdb", ["ollama", "qdrant"]), ("api", ["postgres"]),
                ("guardian", ["api"]),
            ] {
                let start = try #require(byName[dependent]?.startRequestedAt)
                for dependency in dependencies {
                    #expect(
                        start >= (try #require(byName[dependency]?.readyAt)),
                        "\(dependent) started after \(dependency) was ready")
                }
            }

            let probes: [(String, String, String)] = [
                ("OLLAMA_PORT", "/api/tags", "models"), ("QDRANT_HTTP_PORT", "/collections", "collections"),
                ("OPEN_WEBUI_PORT", "/health", "status"), ("MINDSDB_API_PORT", "/api/status", "{"),
                ("AIDB_API_PORT", "/health", "ok"),
            ]
            for (variable, path, fragment) in probes {
                let port = try #require(Int(ports[variable] ?? ""))
                let answer = await HostNet.waitForHTTP(port: port, path: path, within: .seconds(10))
                #expect(
                    answer?.contains(" 200 ") == true && answer?.contains(fragment) == true,
                    "\(variable) \(path): \(answer ?? "no answer")")
            }

            let ps = try await podstack.run(["ps"] + args + ["--json"])
            #expect(ps.status == 0)
            let rows = try JSONDecoder().decode([ServiceStatus].self, from: Data(ps.stdout.utf8))
            #expect(rows.count == 7)
            #expect(rows.allSatisfy { $0.state == "running" && $0.health == "healthy" }, "\(ps.stdout)")

            let logs = try await podstack.run(["logs", "ollama", "--tail", "5"] + args)
            #expect(logs.status == 0 && logs.output.contains("11434"), "\(logs.output)")

            // Data written into a service's data directory survives down and the next up.
            let dataDirectory = try #require(podstack.environment["PODSTACK_DATA_DIR"])
            let marker = dataDirectory + "/ollama/podstack-marker"
            try "keep me".write(toFile: marker, atomically: true, encoding: .utf8)
            var info = stat()
            #expect(
                stat(dataDirectory + "/ollama", &info) == 0 && info.st_mode & 0o777 == 0o700,
                "data directories are created 0700")
            let down = try await podstack.run(["down"] + args)
            #expect(down.status == 0, "\(down.output)")
            #expect(try String(contentsOfFile: marker, encoding: .utf8) == "keep me")
            let client = try TestBed.client()
            #expect(try await client.podExists("local-ai") == false)
            #expect(try await client.podExists("aidb") == false)
            let again = try await podstack.run(["up"] + args)
            #expect(again.status == 0, "\(again.output)")
            #expect(try String(contentsOfFile: marker, encoding: .utf8) == "keep me")
            #expect(try await podstack.run(["down"] + args).status == 0)
        }
    }

    @Test("up refused by preflight changes nothing, names the holder and the variable to move the port")
    func preflightRefusal() async throws {
        // The listener takes a port of the kernel's choosing first: binding one picked free a moment
        // earlier lost a race with a parallel test once ("Address already in use").
        let listener = try TCPListener(port: 0)
        defer { listener.close() }
        var ports = Self.freePorts()
        ports["OLLAMA_PORT"] = String(listener.port)
        let podstack = try PodstackProcess(extra: ports)
        let args = ["--compose-dir", Self.composeDirectory, "--env-file", Self.standins]
        let client = try TestBed.client()
        let before = try await Self.counts(client)
        let up = try await podstack.run(["up"] + args)
        #expect(up.status == 3, "\(up.output)")
        #expect(up.stderr.contains("OLLAMA_PORT="), "the way out names the variable")
        #expect(up.stderr.contains("pid \(getpid())") || up.stderr.contains("\(getpid())"), "the holder is named")
        #expect(try await Self.counts(client) == before, "no pod, container, volume or secret was made")
        let dataDirectory = try #require(podstack.environment["PODSTACK_DATA_DIR"])
        #expect(
            try FileManager.default.contentsOfDirectory(atPath: dataDirectory).isEmpty,
            "no data directory or secret file was made")
        let preflight = try await podstack.run(["preflight"] + args)
        #expect(preflight.status == 3)
    }

    /// What this stack could have made. Other suites run in parallel, so global counts would not do; no
    /// other test uses these pod names (this suite is serialized).
    static func counts(_ client: PodmanClient) async throws -> [Int] {
        var counts: [Int] = []
        for pod in ["local-ai", "aidb"] {
            counts.append(try await client.podExists(pod) ? 1 : 0)
            counts.append(
                try await client.listContainers(labels: ["io.podstack.stack=\(pod)"], includeInfra: true).count)
            counts.append(try await client.listVolumes(labels: ["io.podstack.stack=\(pod)"]).count)
        }
        counts.append(try await client.listSecrets().filter { $0.name == "aidb_postgres_password" }.count)
        return counts
    }
}

/// A TCP listener held by the test process itself.
final class TCPListener {
    let fd: Int32
    let port: Int

    init(port requested: Int, address: String = "127.0.0.1") throws {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        self.fd = fd
        var one: Int32 = 1
        setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, socklen_t(MemoryLayout<Int32>.size))
        var sockaddress = sockaddr_in()
        sockaddress.sin_family = sa_family_t(AF_INET)
        sockaddress.sin_addr.s_addr = inet_addr(address)
        sockaddress.sin_port = UInt16(requested).bigEndian
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        let ok = withUnsafeMutablePointer(to: &sockaddress) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { pointer in
                bind(fd, pointer, length) == 0 && listen(fd, 8) == 0 && getsockname(fd, pointer, &length) == 0
            }
        }
        guard ok else {
            Glibc.close(fd)
            throw POSIXError(.EADDRINUSE)
        }
        port = Int(UInt16(bigEndian: sockaddress.sin_port))
    }

    func close() { Glibc.close(fd) }
}
