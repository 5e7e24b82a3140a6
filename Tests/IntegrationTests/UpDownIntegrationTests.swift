import Foundation
import PodmanAPI
import PodstackCore
import PodstackTestSupport
import Testing

/// `up`, `down`, `ps` and `logs` through the real binary, against the real rootless service.
@Suite("up and down against the real rootless service", .enabled(if: TestBed.enabled))
struct UpDownIntegrationTests {
    static func decodeReport(_ text: String) throws -> StackRunReport {
        let decoder = JSONDecoder()
        decoder.dateDecodingStrategy = .iso8601
        return try decoder.decode(StackRunReport.self, from: Data(text.utf8))
    }

    @Test("independent services wait in parallel, and a dependent starts only after both are healthy")
    func parallelAndOrdered() async throws {
        let stack = try ScratchStack("par")
        try stack.write(
            ScratchStack.service("left", delay: 3, retries: 10) + ScratchStack.service("right", delay: 3, retries: 10)
                + ScratchStack.service("top", dependsOn: [("left", "service_healthy"), ("right", "service_healthy")]))
        let podstack = try PodstackProcess()
        try await withCleanup({ await podstack.down(stack.directory) }) {
            let up = try await podstack.run(["up", "--compose-dir", stack.directory, "--json"])
            #expect(up.status == 0, "\(up.output)")
            let report = try Self.decodeReport(up.stdout)
            let byName = Dictionary(uniqueKeysWithValues: report.services.map { ($0.service, $0) })
            let left = try #require(byName["left"])
            let right = try #require(byName["right"])
            let top = try #require(byName["top"])
            let (leftStart, leftReady) = (try #require(left.startRequestedAt), try #require(left.readyAt))
            let (rightStart, rightReady) = (try #require(right.startRequestedAt), try #require(right.readyAt))
            // Parallel: each started before the other was ready (their waits overlapped).
            #expect(leftStart < rightReady && rightStart < leftReady)
            // Ordered: the dependent's start came after both dependencies were ready.
            let topStart = try #require(top.startRequestedAt)
            #expect(topStart >= leftReady && topStart >= rightReady)
            // And Podman's own record agrees: the dependent's process started after the dependencies were ready.
            let client = try TestBed.client()
            let started = try #require(try await client.inspectContainer(top.container).state.startedAt)
            let formatter = ISO8601DateFormatter()
            formatter.formatOptions = [.withInternetDateTime, .withFractionalSeconds]
            if let podmanStart = formatter.date(from: String(started.prefix(23)) + "Z") {
                #expect(podmanStart >= leftReady.addingTimeInterval(-0.01))
            }
        }
    }

    @Test("a second up keeps every container; a changed service is recreated and only its dependents restart")
    func convergence() async throws {
        let stack = try ScratchStack("conv")
        let services = { (value: String) in
            ScratchStack.service("base", environment: ["VERSION": value])
                + ScratchStack.service("child", dependsOn: [("base", "service_healthy")])
                + ScratchStack.service("loner", health: false)
        }
        try stack.write(services("1"))
        let podstack = try PodstackProcess()
        try await withCleanup({ await podstack.down(stack.directory) }) {
            #expect(try await podstack.run(["up", "--compose-dir", stack.directory]).status == 0)
            let client = try TestBed.client()
            func snapshot() async throws -> [String: (id: String, started: String)] {
                var result: [String: (String, String)] = [:]
                for name in ["base", "child", "loner"] {
                    let inspect = try await client.inspectContainer("\(stack.pod)-\(name)")
                    result[name] = (inspect.id, inspect.state.startedAt ?? "")
                }
                return result
            }
            let first = try await snapshot()
            let again = try await podstack.run(["up", "--compose-dir", stack.directory])
            #expect(again.status == 0, "\(again.output)")
            let second = try await snapshot()
            for name in ["base", "child", "loner"] {
                #expect(first[name]?.id == second[name]?.id, "\(name) kept")
                #expect(first[name]?.started == second[name]?.started, "\(name) not restarted")
            }
            #expect(again.stderr.contains("kept"))

            try stack.write(services("2"))
            let changed = try await podstack.run(["up", "--compose-dir", stack.directory])
            #expect(changed.status == 0, "\(changed.output)")
            let third = try await snapshot()
            #expect(third["base"]?.id != second["base"]?.id, "base recreated")
            #expect(third["child"]?.id == second["child"]?.id, "child kept")
            #expect(third["child"]?.started != second["child"]?.started, "child restarted")
            #expect(
                third["loner"]?.id == second["loner"]?.id && third["loner"]?.started == second["loner"]?.started,
                "loner untouched")

            // A service removed from the file is removed from Podman.
            try stack.write(
                ScratchStack.service("base", environment: ["VERSION": "2"])
                    + ScratchStack.service("child", dependsOn: [("base", "service_healthy")]))
            let removed = try await podstack.run(["up", "--compose-dir", stack.directory])
            #expect(removed.status == 0, "\(removed.output)")
            #expect(try await client.containerExists("\(stack.pod)-loner") == false)
            #expect(try await client.inspectContainer("\(stack.pod)-base").id == third["base"]?.id)
        }
    }

    @Test(
        "a dependency that never becomes healthy fails up within its bound; its dependent never starts; the log tail is shown"
    )
    func neverHealthyDependency() async throws {
        let stack = try ScratchStack("sick")
        try stack.write(
            ScratchStack.service("db", delay: 100_000, interval: "1s", retries: 2)
                + ScratchStack.service("app", dependsOn: [("db", "service_healthy")]))
        let podstack = try PodstackProcess()
        try await withCleanup({ await podstack.down(stack.directory) }) {
            let up = try await podstack.run(["up", "--compose-dir", stack.directory], limit: .seconds(60))
            #expect(up.status == 4, "\(up.output)")
            #expect(up.stderr.contains("unhealthy"))
            #expect(up.stderr.contains("not started: db"))
            #expect(up.stderr.contains("log lines of \(stack.pod)-db"))
            let client = try TestBed.client()
            #expect(
                try await client.inspectContainer("\(stack.pod)-app").state.neverStarted,
                "the dependent was never started")
        }
    }

    @Test("a dependency that crashes on start stops its dependents, and the report names the exit code")
    func crashingDependency() async throws {
        let stack = try ScratchStack("crash")
        try stack.write(
            ScratchStack.service("db", mode: "crash", environment: ["STANDIN_MESSAGE": "db could not open its files"])
                + ScratchStack.service("app", dependsOn: [("db", "service_healthy")]))
        let podstack = try PodstackProcess()
        try await withCleanup({ await podstack.down(stack.directory) }) {
            let up = try await podstack.run(["up", "--compose-dir", stack.directory], limit: .seconds(60))
            #expect(up.status == 4, "\(up.output)")
            #expect(up.stderr.contains("exited with code 3"))
            #expect(up.stderr.contains("db could not open its files"))
            #expect(
                try await TestBed.client().inspectContainer("\(stack.pod)-app").state.neverStarted, "never started")
        }
    }

    @Test("down of a stack that is not up succeeds and says so; down twice is the same")
    func downIdempotent() async throws {
        let stack = try ScratchStack("idle")
        try stack.write(ScratchStack.service("one", health: false))
        let podstack = try PodstackProcess()
        let down = try await podstack.run(["down", "--compose-dir", stack.directory])
        #expect(down.status == 0)
        #expect(down.stdout.contains("not up"))
        #expect(try await podstack.run(["up", "--compose-dir", stack.directory]).status == 0)
        #expect(try await podstack.run(["down", "--compose-dir", stack.directory]).stdout.contains("pod removed"))
        #expect(try await podstack.run(["down", "--compose-dir", stack.directory]).stdout.contains("not up"))
        #expect(try await TestBed.client().podExists(stack.pod) == false)
    }

    @Test("up finds a foreign container in its way before making anything, even one that copies podstack's labels")
    func upRefusesForeignNameFirst() async throws {
        let stack = try ScratchStack("inway")
        try stack.write(ScratchStack.service("one", health: false) + ScratchStack.service("two", health: false))
        let podstack = try PodstackProcess()
        let client = try TestBed.client()
        let foreign = stack.pod + "-two"
        var spec = Podman.ContainerCreateSpec(name: foreign, image: TestBed.genericImage)
        spec.labels = [StackLabels.stack: stack.pod, StackLabels.service: "two"]
        _ = try await client.createContainer(spec)
        try await withCleanup({
            _ = try? await client.removeContainer(foreign, timeoutSeconds: 0)
            await podstack.down(stack.directory)
        }) {
            let up = try await podstack.run(["up", "--compose-dir", stack.directory])
            #expect(up.status == 1, "\(up.output)")
            #expect(up.stderr.contains(foreign))
            #expect(try await client.podExists(stack.pod) == false)
            #expect(try await client.containerExists(stack.pod + "-one") == false)
        }
    }

    @Test("down refuses a pod holding a container podstack did not make, names it, and changes nothing")
    func downKeepsForeignContainer() async throws {
        let stack = try ScratchStack("foreign")
        try stack.write(ScratchStack.service("one", health: false))
        let podstack = try PodstackProcess()
        let client = try TestBed.client()
        let foreign = stack.pod + "-mine"
        try await withCleanup({
            _ = try? await podstack.run(["down", "--remove-foreign-containers", "--compose-dir", stack.directory])
        }) {
            try #require(try await podstack.run(["up", "--compose-dir", stack.directory]).status == 0)
            var spec = Podman.ContainerCreateSpec(name: foreign, image: TestBed.genericImage)
            spec.pod = stack.pod
            _ = try await client.createContainer(spec)
            let refused = try await podstack.run(["down", "--compose-dir", stack.directory])
            #expect(refused.status == 8, "\(refused.output)")
            #expect(refused.output.contains(foreign) && refused.output.contains("--remove-foreign-containers"))
            #expect(try await client.podExists(stack.pod))
            let running = try await client.listContainers(labels: [StackLabels.selector(pod: stack.pod)])
            #expect(running.count == 1 && running.allSatisfy { $0.state == .running })
            let forced = try await podstack.run([
                "down", "--remove-foreign-containers", "--compose-dir", stack.directory,
            ])
            #expect(forced.status == 0, "\(forced.output)")
            #expect(try await client.podExists(stack.pod) == false)
        }
    }

    @Test(
        "a service of a profile stays when a later up runs without that profile; a service gone from the file goes, profiled or not; down takes all"
    )
    func profilesAreNotOrphans() async throws {
        let stack = try ScratchStack("prof")
        let base = ScratchStack.service("app", mode: "sleep", health: false)
        let debug = ScratchStack.service("debug", mode: "sleep", health: false, extra: "    profiles: [debug]\n")
        let extra = ScratchStack.service("extra", mode: "sleep", health: false)
        try stack.write(base + debug + extra)
        let podstack = try PodstackProcess()
        try await withCleanup({ await podstack.down(stack.directory) }) {
            let client = try TestBed.client()
            let names = {
                try await client.listContainers(labels: ["io.podstack.stack=\(stack.pod)"]).map(\.name).sorted()
            }

            let withProfile = try await podstack.run(["up", "--compose-dir", stack.directory, "--profile", "debug"])
            try #require(withProfile.status == 0, "\(withProfile.output)")
            #expect(try await names() == ["\(stack.pod)-app", "\(stack.pod)-debug", "\(stack.pod)-extra"])

            // `extra` leaves the file; `debug` is only not active now.
            try stack.write(base + debug)
            let plain = try await podstack.run(["up", "--compose-dir", stack.directory])
            #expect(plain.status == 0, "\(plain.output)")
            #expect(try await names() == ["\(stack.pod)-app", "\(stack.pod)-debug"])
            #expect(try await client.inspectContainer("\(stack.pod)-debug").state.status == .running)

            // `debug` leaves the file too: with its profile active, the next up knows it is gone.
            try stack.write(base)
            let gone = try await podstack.run(["up", "--compose-dir", stack.directory, "--profile", "debug"])
            #expect(gone.status == 0, "\(gone.output)")
            #expect(try await names() == ["\(stack.pod)-app"])

            let down = try await podstack.run(["down", "--compose-dir", stack.directory])
            #expect(down.status == 0, "\(down.output)")
            #expect(
                try await client.listContainers(labels: ["io.podstack.stack=\(stack.pod)"], includeInfra: true).isEmpty)
        }
    }

    @Test(
        "a container someone is stopping right now is waited for, then started again, not made anew (only one whose conmon is gone is)"
    )
    func stopInProgressIsWaitedFor() async throws {
        let stack = try ScratchStack("stopping")
        // PID 1 ignores a signal it has no handler for: SIGUSR1 keeps the container in "stopping" for the
        // whole timeout of the stop below.
        try stack.write(
            ScratchStack.service("slow", mode: "sleep", health: false)
                .replacingOccurrences(
                    of: "stop_grace_period: 2s", with: "stop_grace_period: 2s\n    stop_signal: SIGUSR1"))
        let podstack = try PodstackProcess()
        try await withCleanup({ await podstack.down(stack.directory) }) {
            let client = try TestBed.client()
            let container = "\(stack.pod)-slow"
            try #require(try await podstack.run(["up", "--compose-dir", stack.directory]).status == 0)
            let idBefore = try await client.inspectContainer(container).id

            let stop = try ChildProcess(
                "/bin/bash", [FaultBed.repository + "/scripts/testbed.sh", "podman", "stop", "-t", "4", container])
            // A bound, not a wait: 10 s ran out once on Podman 5 under a load average of 28 (two suites at
            // once), with the podman CLI started through its Debian 13 root.
            try await FaultBed.waitUntil("the container is stopping", within: .seconds(30)) {
                (try? await client.inspectContainer(container).state.status) == .stopping
            }
            let up = try await podstack.run(["up", "--compose-dir", stack.directory], limit: .seconds(90))
            _ = await stop.finish(within: .seconds(30))
            #expect(up.status == 0, "\(up.output)")
            #expect(!up.output.contains("replacing the container"), "\(up.output)")
            let after = try await client.inspectContainer(container)
            #expect(after.id == idBefore, "the same container, started again")
            #expect(after.state.status == .running)
        }
    }

    @Test("a service_completed_successfully dependency runs to exit 0 before its dependent starts")
    func completedDependency() async throws {
        let stack = try ScratchStack("job")
        try stack.write(
            ScratchStack.service("migrate", mode: "complete", delay: 1, health: false)
                + ScratchStack.service("app", dependsOn: [("migrate", "service_completed_successfully")]))
        let podstack = try PodstackProcess()
        try await withCleanup({ await podstack.down(stack.directory) }) {
            let up = try await podstack.run(["up", "--compose-dir", stack.directory, "--json"])
            #expect(up.status == 0, "\(up.output)")
            let report = try Self.decodeReport(up.stdout)
            let migrate = try #require(report.services.first { $0.service == "migrate" })
            let app = try #require(report.services.first { $0.service == "app" })
            #expect(migrate.phase == .completed)
            #expect(try #require(app.startRequestedAt) >= (try #require(migrate.readyAt)))
        }
    }
}
