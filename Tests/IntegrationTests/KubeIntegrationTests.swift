import Foundation
import PodstackCompose
import PodstackExport
import PodstackTestSupport
import Testing

/// Programs the export tests hand their output to: the test bed's podman, kubernetes-validate, systemd-analyze.
enum ExportTool {
    static let repository = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().path

    /// `name` on PATH, or nil.
    static func find(_ name: String) -> String? {
        let path = ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin:/bin"
        return path.split(separator: ":").map { "\($0)/\(name)" }.first {
            FileManager.default.isExecutableFile(atPath: $0)
        }
    }

    /// Runs a program to the end, or kills it past `limit`; stdout and stderr together. (A `ChildProcess`:
    /// after `testbed.sh podman kube play`, Foundation's Process never noticed its bash exit, because the
    /// pod's processes kept what the shell had inherited.)
    static func run(
        _ executable: String, _ arguments: [String], environment: [String: String]? = nil,
        limit: Duration = .seconds(180)
    ) async throws -> (status: Int32, output: String) {
        let result = await (try ChildProcess(executable, arguments, environment: environment)).finish(within: limit)
        return (result.status, result.stdout + result.stderr)
    }

    /// The podman CLI on the test bed's private store, as its user (`scripts/testbed.sh podman`, or
    /// `scripts/testbed5.sh podman` when the tests run against the Podman 5 bed).
    @discardableResult
    static func podman(_ arguments: [String]) async throws -> (status: Int32, output: String) {
        let script = TestBed.podmanMajor == "5" ? "/scripts/testbed5.sh" : "/scripts/testbed.sh"
        return try await run("/bin/bash", [repository + script, "podman"] + arguments)
    }

    static var validator: String? { find("kubernetes-validate") }
}

/// `podstack kube` output fed to real consumers: `podman kube play` and the Kubernetes schema.
@Suite("kube output played by podman and checked against the Kubernetes schema")
struct KubeIntegrationTests {
    @Test(
        "a generated Pod plays in podman: the job runs first, the server answers on its host port and passes its probe",
        .enabled(if: TestBed.enabled, "no Podman test bed (scripts/testbed.sh up)"))
    func playsInPodman() async throws {
        let stack = try ScratchStack("kube")
        let data = try PodstackProcess.temporaryDirectory("kubedata")
        // The test bed's user creates the hostPath directory (DirectoryOrCreate) in here.
        chmod(data, 0o777)
        let port = HostNet.freePort()
        let shared = ["STANDIN_WRITE_FILE": "/data/starts"]
        let volumes = "    volumes:\n      - \(data)/shared:/data\n      - cache:/cache\n"
        try stack.write(
            ScratchStack.service(
                "job", mode: "complete", health: false, environment: shared, extra: volumes + "    restart: \"no\"\n")
                + ScratchStack.service(
                    "web", port: port, dependsOn: [("job", "service_completed_successfully")], environment: shared,
                    extra: volumes),
            extra: "volumes:\n  cache: {}\n")
        let podstack = try PodstackProcess()
        let kube = try await podstack.run(["kube", "--compose-dir", stack.directory])
        #expect(kube.status == 0, "\(kube.output)")
        let manifest = stack.directory + "/kube.yaml"
        try kube.stdout.write(toFile: manifest, atomically: true, encoding: .utf8)
        let initSection = kube.stdout.components(separatedBy: "initContainers:").dropFirst().first ?? ""
        #expect(
            initSection.components(separatedBy: "  containers:").first?.contains("- name: job") == true,
            "\(kube.stdout)")

        let play = try await ExportTool.podman(["kube", "play", manifest])
        #expect(play.status == 0, "podman kube play failed:\n\(play.output)\n\(kube.stdout)")
        if play.status == 0 {
            do {
                try await Self.checkPlayed(pod: stack.pod, port: port, data: data)
            } catch {
                Issue.record(error)
            }
        }
        // Awaited here rather than deferred: a test process may end before a deferred task runs.
        _ = try? await ExportTool.podman(["kube", "down", manifest])
        _ = try? await ExportTool.podman(["volume", "rm", "--force", stack.pod + "-cache"])
    }

    @Test(
        "ordered services with restart: no come up under podman kube play: the dependent that started too early is restarted until its dependency answers",
        .enabled(if: TestBed.enabled, "no Podman test bed (scripts/testbed.sh up)"))
    func playsOrderedServices() async throws {
        let stack = try ScratchStack("kubeorder")
        let data = try PodstackProcess.temporaryDirectory("kubeorder")
        chmod(data, 0o777)
        let port = 18_733
        let volume = "    volumes:\n      - \(data)/shared:/data\n"
        // The backend answers only once the frontend has failed for want of it, so the frontend's first
        // start always fails: without a restart it would stay exited, whatever the timing.
        let backend = #"    command: ["sh", "-c", "until grep -q early /data/starts; do sleep 0.2; done; exec standin"]\#n"#
        let frontend =
            #"    command: ["sh", "-c", "wget -q -O /dev/null http://127.0.0.1:\#(port)/health || { echo early >> /data/starts; exit 1; }; echo up >> /data/starts; exec standin"]\#n"#
        try stack.write(
            ScratchStack.service("backend", internalPort: port, extra: volume + backend)
                + ScratchStack.service(
                    "frontend", mode: "sleep", dependsOn: [("backend", "service_healthy")], health: false,
                    extra: volume + frontend))
        let podstack = try PodstackProcess()
        let kube = try await podstack.run(["kube", "--compose-dir", stack.directory])
        #expect(kube.status == 0, "\(kube.output)")
        #expect(kube.stdout.contains("restartPolicy: OnFailure"), "\(kube.stdout)")
        let manifest = stack.directory + "/kube.yaml"
        try kube.stdout.write(toFile: manifest, atomically: true, encoding: .utf8)
        let play = try await ExportTool.podman(["kube", "play", manifest])
        #expect(play.status == 0, "podman kube play failed:\n\(play.output)\n\(kube.stdout)")
        if play.status == 0 {
            // A bound on the wait, not a measurement: each restart takes well under a second here.
            var lines: [Substring] = []
            for _ in 0..<240 where !lines.contains("up") {
                lines = ((try? String(contentsOfFile: data + "/shared/starts", encoding: .utf8)) ?? "").split(separator: "\n")
                if !lines.contains("up") { try await Task.sleep(for: .milliseconds(250)) }
            }
            #expect(lines.first == "early" && lines.last == "up", "starts in \(data)/shared/starts: \(lines)")
            let state = try await ExportTool.podman(["inspect", "--format", "{{.State.Status}}", stack.pod + "-frontend"])
            #expect(state.output.trimmingCharacters(in: .whitespacesAndNewlines) == "running", "\(state.output)")
        }
        _ = try? await ExportTool.podman(["kube", "down", manifest])
    }

    static func checkPlayed(pod: String, port: Int, data: String) async throws {
        let answer = await HostNet.waitForHTTP(port: port, path: "/health", within: .seconds(60))
        #expect(answer?.contains("200") == true, "nothing answered on 127.0.0.1:\(port)")
        // kube play names the pod after metadata.name and each container <pod>-<container>, as podstack does.
        #expect(try await ExportTool.podman(["pod", "exists", pod]).status == 0)
        let health = try await ExportTool.podman(["healthcheck", "run", pod + "-web"])
        #expect(health.status == 0, "the liveness probe did not become a passing Podman health check: \(health.output)")
        #expect(try await ExportTool.podman(["volume", "exists", pod + "-cache"]).status == 0)
        // Both containers append a line to the hostPath file; the init container's must come first.
        let starts = (try? String(contentsOfFile: data + "/shared/starts", encoding: .utf8)) ?? ""
        let modes = starts.split(separator: "\n").compactMap {
            $0.split(separator: " ").first { $0.hasPrefix("mode=") }
        }
        #expect(modes == ["mode=complete", "mode=serve"], "start order in \(data)/shared/starts: \(starts)")
    }

    @Test(
        "the repository's stack validates against the Kubernetes schema as Pods, Deployments, sidecars and with secrets, and so do the corpus files whose pods have networks of their own",
        .enabled(
            if: ExportTool.validator != nil || TestBed.inCI,
            "kubernetes-validate is not installed (pip install kubernetes-validate)"))
    func schema() async throws {
        let validator = try #require(
            ExportTool.validator, "kubernetes-validate is not installed: pip install kubernetes-validate")
        let secret = try PodstackProcess.temporaryDirectory("secret") + "/password"
        try "s3cret".write(toFile: secret, atomically: true, encoding: .utf8)
        let podstack = try PodstackProcess(extra: ["AIDB_POSTGRES_PASSWORD_FILE": secret])
        let directory = try PodstackProcess.temporaryDirectory("schema")
        let stack = [
            "--compose-dir", ExportTool.repository + "/compose", "--env-file",
            ExportTool.repository + "/compose/standins.env",
        ]
        for flags in [[], ["--deployment"], ["--sidecars"], ["--sidecars", "--deployment", "--include-secrets"]] {
            let kube = try await podstack.run(["kube"] + stack + flags)
            #expect(kube.status == 0, "\(kube.output)")
            let file = directory + "/stack\(flags.joined()).yaml"
            try kube.stdout.write(toFile: file, atomically: true, encoding: .utf8)
            let check = try await ExportTool.run(validator, ["--strict", "--quiet", file])
            #expect(check.status == 0, "podstack kube \(flags.joined(separator: " ")):\n\(check.output)")
            #expect(kube.stdout.contains("kind: Secret") == flags.contains("--include-secrets"))
        }
        // The corpus files whose pods have networks of their own: a Pod (or Deployment) and headless Services each.
        let corpus = ExportTool.repository + "/Tests/Fixtures/real-world"
        var withNetworks = 0
        for path in FileManager.default.enumerator(atPath: corpus)?.compactMap({ $0 as? String }) ?? [] {
            guard path.hasSuffix(".yml") || path.hasSuffix(".yaml"),
                let stack = try? StackLoader(environment: ["HOME": "/home/tester"]).load(
                    projectFiles: [URL(fileURLWithPath: corpus + "/" + path)]),
                stack.pods.contains(where: \.servicesHaveOwnNetworks)
            else { continue }
            withNetworks += 1
            for workload in [KubeExportOptions.Workload.pod, .deployment] {
                let exporter = KubeExporter(options: KubeExportOptions(workload: workload), hostPathKind: { _ in .missing })
                let yaml = try exporter.render(stack.pods, version: "test")
                let file = directory + "/networks-\(withNetworks)-\(workload.rawValue).yaml"
                try yaml.write(toFile: file, atomically: true, encoding: .utf8)
                let check = try await ExportTool.run(validator, ["--strict", "--quiet", file])
                #expect(check.status == 0, "\(path) as \(workload.rawValue):\n\(check.output)")
            }
        }
        #expect(withNetworks >= 5, "\(withNetworks) corpus files with networks of their own")
        // A control: the validator does reject a manifest that is wrong, so the passes above mean something.
        let broken = directory + "/broken.yaml"
        try
            "apiVersion: v1\nkind: Pod\nmetadata:\n  name: x\nspec:\n  containers:\n    - name: x\n      image: x\n      ports:\n        - hostPort: \"80\"\n"
            .write(toFile: broken, atomically: true, encoding: .utf8)
        #expect(try await ExportTool.run(validator, ["--strict", "--quiet", broken]).status != 0)
    }
}
