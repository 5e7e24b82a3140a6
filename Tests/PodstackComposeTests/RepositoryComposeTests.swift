import Foundation
import Testing

@testable import PodstackCompose

@Suite("The repository's compose files")
struct RepositoryComposeTests {
    let environment = testEnvironment(["XDG_DATA_HOME": "/data"])

    func loadRepository(_ extra: [String: String] = [:], envFiles: [URL] = []) throws -> Stack {
        let files = try ComposeDirectory.resolve(
            explicitDirectory: repositoryRoot().appendingPathComponent("compose").path, files: [],
            environment: environment, currentDirectory: "/")
        return try StackLoader(environment: environment.merging(extra) { _, new in new }, envFiles: envFiles)
            .load(files: files)
    }

    @Test("the compose directory holds exactly the two pod files, sorted, and not the env file")
    func directoryListing() throws {
        let files = try ComposeDirectory.resolve(
            explicitDirectory: repositoryRoot().appendingPathComponent("compose").path, files: [],
            environment: environment, currentDirectory: "/")
        #expect(files.map(\.lastPathComponent) == ["aidb.yml", "local-ai.yml"])
    }

    @Test("both pods load with their seven services in file order")
    func podsAndServices() throws {
        let stack = try loadRepository()
        #expect(stack.pods.map(\.name) == ["aidb", "local-ai"])
        #expect(stack.pod(named: "local-ai")?.services.map(\.name) == ["ollama", "qdrant", "open-webui", "mindsdb"])
        #expect(stack.pod(named: "aidb")?.services.map(\.name) == ["postgres", "api", "guardian"])
        #expect(stack.services.count == 7)
        #expect(stack.warnings.isEmpty)
    }

    @Test(
        "each service publishes its default host ports on loopback, named by their variables",
        arguments: [
            ("ollama", [11434: 11434], ["OLLAMA_PORT"]),
            ("qdrant", [6333: 6333, 6334: 6334], ["QDRANT_HTTP_PORT", "QDRANT_GRPC_PORT"]),
            ("open-webui", [8081: 8080], ["OPEN_WEBUI_PORT"]),
            ("mindsdb", [47334: 47334, 7735: 7735], ["MINDSDB_API_PORT", "MINDSDB_GUI_PORT"]),
            ("postgres", [5432: 5432], ["AIDB_POSTGRES_PORT"]),
            ("api", [8000: 8000], ["AIDB_API_PORT"]),
            ("guardian", [:], []),
        ])
    func defaultPorts(service name: String, ports: [Int: Int], variables: [String]) throws {
        let service = try #require(try loadRepository().services.first { $0.name == name })
        #expect(Dictionary(uniqueKeysWithValues: service.ports.map { ($0.hostPort, $0.containerPort) }) == ports)
        #expect(service.ports.compactMap(\.hostPortVariable) == variables)
        #expect(service.ports.allSatisfy { $0.hostIP == "127.0.0.1" && $0.protocol == .tcp })
    }

    @Test("OLLAMA_PORT in the environment moves ollama's host port and is named as its variable")
    func movedOllamaPort() throws {
        let stack = try loadRepository(["OLLAMA_PORT": "11435"])
        let port = try #require(stack.pod(named: "local-ai")?.service(named: "ollama")?.ports.first)
        #expect(port.hostPort == 11435)
        #expect(port.containerPort == 11434)
        #expect(port.hostPortVariable == "OLLAMA_PORT")
        #expect(stack.pod(named: "local-ai")?.hostPorts == [6333, 6334, 7735, 8081, 11435, 47334])
    }

    @Test("images default to the real ones and standins.env points every one at its stand-in")
    func images() throws {
        let real = try loadRepository()
        #expect(real.pod(named: "local-ai")?.service(named: "ollama")?.image == "docker.io/ollama/ollama:latest")
        #expect(real.pod(named: "aidb")?.service(named: "api")?.image == "localhost/aidb-api:latest")
        let standins = repositoryRoot().appendingPathComponent("compose/standins.env")
        let stack = try loadRepository(envFiles: [standins])
        for service in stack.services {
            // Stand-ins are named like the containers of the aidb pod (aidb-postgres) and like the services
            // of local-ai (ollama); the variables follow the same names.
            let standin = service.podName == "aidb" ? service.containerName : service.name
            #expect(service.image == "localhost/podstack-standin-\(standin):latest")
            #expect(service.imageVariable == standin.uppercased().replacingOccurrences(of: "-", with: "_") + "_IMAGE")
        }
    }

    @Test("health checks are the agreed ones with explicit timings")
    func healthChecks() throws {
        let services = Dictionary(uniqueKeysWithValues: try loadRepository().services.map { ($0.name, $0) })
        #expect(services["ollama"]?.healthcheck?.test == ["CMD", "ollama", "list"])
        #expect(
            services["qdrant"]?.healthcheck?.test == ["CMD-SHELL", "bash -c ':> /dev/tcp/127.0.0.1/6333' || exit 1"])
        #expect(
            services["open-webui"]?.healthcheck?.test == [
                "CMD-SHELL", "curl --silent --fail http://127.0.0.1:8080/health || exit 1",
            ])
        #expect(
            services["mindsdb"]?.healthcheck?.test == [
                "CMD", "python3", "-c",
                "import urllib.request; urllib.request.urlopen('http://127.0.0.1:47334/api/status', timeout=3)",
            ])
        #expect(
            services["postgres"]?.healthcheck?.test == ["CMD-SHELL", "pg_isready -h 127.0.0.1 -p 5432 -U postgres"])
        #expect(
            services["api"]?.healthcheck?.test == [
                "CMD", "wget", "-q", "-O", "/dev/null", "http://127.0.0.1:8000/health",
            ])
        #expect(services["guardian"]?.healthcheck?.test == ["CMD-SHELL", "test -f /tmp/guardian-ready"])
        for service in services.values {
            let check = try #require(service.healthcheck)
            #expect(check.intervalSeconds == 10 && check.timeoutSeconds == 5 && check.retries == 5)
        }
        #expect(services["mindsdb"]?.healthcheck?.startPeriodSeconds ?? 0 >= 60)
        #expect(services["open-webui"]?.healthcheck?.startPeriodSeconds ?? 0 >= 60)
        #expect(services["postgres"]?.stopGracePeriodSeconds == 30)
    }

    @Test("data is bind-mounted under PODSTACK_DATA_DIR, which defaults under XDG_DATA_HOME")
    func dataMounts() throws {
        let services = Dictionary(uniqueKeysWithValues: try loadRepository().services.map { ($0.name, $0) })
        #expect(
            services["ollama"]?.mounts == [
                .bind(
                    source: "/data/podman-ai-stack/ollama", target: "/root/.ollama", readOnly: false, selinux: .private)
            ])
        #expect(services["qdrant"]?.mounts.first?.target == "/qdrant/storage")
        #expect(services["open-webui"]?.mounts.first?.target == "/app/backend/data")
        #expect(services["mindsdb"]?.mounts.first?.target == "/root/mdb_storage")
        #expect(services["postgres"]?.mounts.first?.target == "/var/lib/postgresql/data")
        let moved = try loadRepository(["PODSTACK_DATA_DIR": "/srv/ai"])
        #expect(
            moved.pod(named: "local-ai")?.service(named: "ollama")?.mounts.first
                == .bind(source: "/srv/ai/ollama", target: "/root/.ollama", readOnly: false, selinux: .private))
    }

    @Test("dependencies give the start levels the design asks for")
    func levels() throws {
        let stack = try loadRepository()
        let localAI = try DependencyGraph(pod: try #require(stack.pod(named: "local-ai")))
        #expect(localAI.levels == [["ollama", "qdrant"], ["open-webui", "mindsdb"]])
        let aidb = try DependencyGraph(pod: try #require(stack.pod(named: "aidb")))
        #expect(aidb.levels == [["postgres"], ["api"], ["guardian"]])
        #expect(
            stack.pod(named: "local-ai")?.service(named: "mindsdb")?.dependsOn.map(\.condition) == [.healthy, .healthy])
    }

    @Test("the postgres password is a generated secret file under the data directory, not plain text")
    func postgresSecret() throws {
        let pod = try #require(try loadRepository().pod(named: "aidb"))
        let secret = try #require(pod.secret(key: "aidb_postgres_password"))
        #expect(secret.source == .file(path: "/data/podman-ai-stack/secrets/aidb-postgres-password"))
        #expect(secret.generateIfMissing)
        let postgres = try #require(pod.service(named: "postgres"))
        #expect(postgres.secrets.map(\.target) == ["/run/secrets/aidb_postgres_password"])
        #expect(postgres.environment["POSTGRES_PASSWORD_FILE"] == "/run/secrets/aidb_postgres_password")
        #expect(postgres.environment["POSTGRES_PASSWORD"] == nil)
    }
}
