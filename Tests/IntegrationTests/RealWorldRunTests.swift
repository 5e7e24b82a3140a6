import Foundation
import PodmanAPI
import PodstackCompose
import PodstackCore
import Synchronization
import Testing

@testable import PodstackCLI

/// Issue 16 asks that real-world compose files load and RUN. For a selection of the corpus's projects
/// that load (Tests/Fixtures/real-world), each is copied to a scratch directory, loaded as `up` loads it,
/// rewritten onto the stand-in image (StandInRewrite: only what the author cannot control here), brought up
/// through StackRunner as the CLI does, checked, and taken down with its volumes. What happens is pinned
/// per bed in run-outcomes.tsv; `PODSTACK_WRITE_RUN_OUTCOMES=1` rewrites the column of the bed in use.
@Suite("Real-world compose files come up on the stand-ins", .enabled(if: TestBed.enabled))
struct RealWorldRunTests {
    static let corpus = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("Fixtures/real-world")
    static let outcomesFile = corpus.appendingPathComponent("run-outcomes.tsv")
    static let writing = ProcessInfo.processInfo.environment["PODSTACK_WRITE_RUN_OUTCOMES"] == "1"

    /// The projects the mission names and local-AI stacks first; one after another, to stay within
    /// about two minutes a bed.
    static let selection = [
        "open-webui__open-webui/docker-compose.yaml",
        "ollama__ollama/docker-compose.yml",
        "mudler__LocalAI/docker-compose.yaml",
        "n8n-io__self-hosted-ai-starter-kit/docker-compose.yml",
        "danny-avila__LibreChat/deploy-compose.yml",
        "searxng__searxng-docker/docker-compose.yaml",
        "zylon-ai__private-gpt/docker-compose.yaml",
        "langfuse__langfuse/docker-compose.yml",
        "langgenius__dify/docker/docker-compose.middleware.yaml",
        "BerriAI__litellm/docker-compose.yml",
        "FlowiseAI__Flowise/docker/docker-compose.yml",
        "Mintplex-Labs__anything-llm/docker/docker-compose.yml",
        "docker__awesome-compose/fastapi-ollama/compose.yaml",
        "docker__awesome-compose/nextcloud-redis-mariadb/docker-compose.yaml",
        "containers__podman-compose/tests/integration/nets_test3/docker-compose.yml",
        // Files of several parts, GPUs, and the settings rootless Podman may refuse at create or start:
        // sysctls, ulimits and privileged, shm_size, tmpfs, secrets, replicas, own networks.
        "open-webui__open-webui/docker-compose.gpu.yaml + open-webui__open-webui/docker-compose.api.yaml"
            + " + open-webui__open-webui/docker-compose.data.yaml",
        "docker__awesome-compose/bunkerweb-mariadb/compose.yaml",
        "infiniflow__ragflow/docker/docker-compose-base.yml",
        "goauthentik__authentik/lifecycle/container/compose.yml",
        "mattermost__docker/docker-compose.yml",
        "compose-spec__conformance-tests/tests/simple_secretfile/compose.yaml",
        "docker__awesome-compose/nginx-golang-postgres/compose.yaml",
        "containers__podman-compose/tests/integration/service_scale/scaleup_deploy_replicas_parameter/docker-compose.yml",
        "milvus-io__milvus/deployments/docker/standalone/docker-compose.yml",
    ]

    @Test("each selected real-world project comes up on the stand-ins (or fails) as run-outcomes.tsv pins")
    func selectedProjectsRun() async throws {
        let started = ContinuousClock.now
        let connection = try await PodmanConnection.open(
            explicitURL: TestBed.url, host: HostContext(environment: TestBed.environment, effectiveUID: geteuid()),
            requestTimeout: .seconds(120), allowRootful: false)
        let column = TestBed.podmanMajor == "5" ? 1 : 0
        let pinned = RunOutcomes(file: Self.outcomesFile)
        var actual: [String: String] = [:]
        var dropped: [String] = []
        var moved = 0
        for project in Self.selection {
            let trial = await RealWorldTrial(project: project, corpus: Self.corpus).run(on: connection)
            actual[project] = trial.outcome
            dropped += trial.dropped.map { "\(project): \($0)" }
            moved += trial.moved.count
        }
        if Self.writing { try pinned.replacing(column: column, with: actual).write(to: Self.outcomesFile) }
        let runs = actual.values.filter { $0 == "runs" }.count
        let seconds = started.duration(to: .now).components.seconds
        print(
            "issue 16 (runs): of \(actual.count) loaded projects tried, \(runs) come up on the stand-ins on Podman "
                + "\(connection.apiVersion) (settings dropped by name: \(dropped.count)"
                + (dropped.isEmpty ? "" : ", " + dropped.joined(separator: "; "))
                + "; host paths moved into the copy: \(moved); \(seconds) s)")
        for (project, outcome) in actual.sorted(by: { $0.key < $1.key }) {
            let pin = pinned.outcome(of: project, column: column)
            #expect(
                pin == outcome,
                "\(project) on Podman \(connection.apiVersion): pinned '\(pin ?? "nothing")', now '\(outcome)'")
        }
    }
}

/// One project: copied, loaded, rewritten, brought up, checked, taken down.
struct RealWorldTrial {
    let project: String
    let corpus: URL

    struct Result {
        var outcome: String
        var dropped: [String]
        var moved: [String] = []
    }

    func run(on connection: PodmanConnection) async -> Result {
        let prefix = TestBed.uniqueName("rw")
        let scratch: String
        do {
            scratch = try PodstackProcess.temporaryDirectory("rw")
        } catch {
            return Result(outcome: "fails: no scratch directory: \(error)", dropped: [])
        }
        var rewrite = StandInRewrite(prefix: prefix, copy: scratch)
        let stack: Stack
        let variables: [String: String]
        do {
            let files = try copy(into: scratch)
            let loader = StackLoader(environment: ["HOME": scratch, "PODSTACK_DATA_DIR": scratch + "/.data"])
            variables = try loader.variables(
                composeDirectory: (files.first ?? URL(fileURLWithPath: scratch)).deletingLastPathComponent().path)
            stack = rewrite.apply(to: try loader.load(projectFiles: files))
        } catch {
            try? FileManager.default.removeItem(atPath: scratch)
            return Result(outcome: "fails: does not load: \(error)", dropped: [])
        }
        // What `up` warns of (a limit rootless Podman ignores, say) is printed, not pinned: it does not stop a run.
        let warnings = Mutex<[String]>([])
        let runner = StackRunner(connection: connection, stack: stack, environment: variables) { event in
            if case .warning(let text) = event { warnings.withLock { $0.append(text) } }
        }
        var outcome = "runs"
        do {
            let report = try await connection.onClientExecutor {
                try await runner.up(stack.pods, options: UpOptions(waitTimeout: .seconds(90)))
            }
            if let notUp = try await firstNotUp(report, of: stack, client: connection.client) {
                outcome = "fails: \(notUp)"
            }
        } catch let error as PodstackError {
            outcome = "fails: " + reason(error)
        } catch {
            outcome = "fails: \(error)"
        }
        do {
            _ = try await connection.onClientExecutor { try await runner.down(stack.pods, removeVolumes: true) }
        } catch {
            Issue.record("\(project): down failed: \(error)")
        }
        for warning in warnings.withLock({ $0 }) { print("\(project): up warned: \(warning)") }
        // The copy and the bind directories podstack made in it are this run's scratch.
        try? FileManager.default.removeItem(atPath: scratch)
        let cleaned = outcome.replacingOccurrences(of: prefix, with: "pstest").replacingOccurrences(
            of: scratch, with: "<copy>")
        let firstLine = cleaned.split(separator: "\n").first.map(String.init) ?? ""
        return Result(outcome: String(firstLine.prefix(240)), dropped: rewrite.dropped, moved: rewrite.moved)
    }

    /// The project's files (`a + b` for several), each directory copied whole beside the others, so that
    /// podstack makes its bind directories in the copy and never in the repository.
    private func copy(into scratch: String) throws -> [URL] {
        let files = project.components(separatedBy: " + ")
        var copied: Set<String> = []
        return try files.map { file in
            let source = corpus.appendingPathComponent(file).deletingLastPathComponent()
            let destination = URL(fileURLWithPath: scratch).appendingPathComponent(source.lastPathComponent)
            if copied.insert(source.path).inserted {
                try FileManager.default.copyItem(at: source, to: destination)
            }
            return destination.appendingPathComponent(URL(fileURLWithPath: file).lastPathComponent)
        }
    }

    /// The first service that is neither running nor exited 0, with what Podman says of it.
    private func firstNotUp(_ report: StackRunReport, of stack: Stack, client: PodmanClient) async throws -> String? {
        if report.services.count != stack.services.count {
            return "up reported \(report.services.count) of \(stack.services.count) services"
        }
        for service in report.services {
            let state = try await client.inspectContainer(service.container).state
            if state.status == .running || (state.status == .exited && state.exitCode == 0) { continue }
            return "\(service.service) is \(state.status) (exit code \(state.exitCode ?? -1)) after up"
        }
        return nil
    }

    /// The sentence the CLI prints, or for failed services the first one's failure.
    private func reason(_ error: PodstackError) -> String {
        if case .servicesFailed(let report) = error,
            let failed = report.services.first(where: { $0.phase != .ready && $0.phase != .completed })
        {
            return "\(failed.service): \(failed.failure ?? "\(failed.phase)")"
        }
        let message = CommandErrors.message(for: error)
        return message.hasPrefix("Error: ") ? String(message.dropFirst("Error: ".count)) : message
    }
}

/// run-outcomes.tsv: `project<TAB>Podman 4.x<TAB>Podman 5.x`, `#` lines its header.
struct RunOutcomes {
    var rows: [String: [String]]

    init(file: URL) {
        rows = [:]
        let text = (try? String(contentsOf: file, encoding: .utf8)) ?? ""
        for line in text.split(separator: "\n") where !line.hasPrefix("#") {
            let fields = line.split(separator: "\t", omittingEmptySubsequences: false).map(String.init)
            if fields.count == 3 { rows[fields[0]] = Array(fields[1...]) }
        }
    }

    func outcome(of project: String, column: Int) -> String? { rows[project]?[column] }

    func replacing(column: Int, with outcomes: [String: String]) -> RunOutcomes {
        var copy = self
        for (project, outcome) in outcomes {
            var row = rows[project] ?? ["not run", "not run"]
            row[column] = outcome
            copy.rows[project] = row
        }
        return copy
    }

    func write(to file: URL) throws {
        let header =
            "# project\tPodman 4.x\tPodman 5.x (pinned by RealWorldRunTests; PODSTACK_WRITE_RUN_OUTCOMES=1 rewrites the bed's column)\n"
        let lines = rows.sorted { $0.key < $1.key }.map { "\($0.key)\t\($0.value.joined(separator: "\t"))\n" }
        try (header + lines.joined()).write(to: file, atomically: true, encoding: .utf8)
    }
}
