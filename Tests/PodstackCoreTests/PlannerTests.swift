import Foundation
import PodmanAPI
import PodstackCompose
import Testing

@testable import PodstackCore

@Suite("Planning by labels and config hash")
struct PlannerTests {
    static let here = SourceLocation(file: "t.yml", line: 1, column: 1)

    static func pod(_ services: [ServiceDefinition], ports: Bool = true) -> PodDefinition {
        PodDefinition(name: "p", sourceFile: "t.yml", services: services)
    }

    static func service(
        _ name: String, env: String = "1", dependsOn: [String] = [], port: Int? = nil
    ) -> ServiceDefinition {
        ServiceDefinition(
            name: name, podName: "p", image: "img", environment: ["V": env],
            ports: port.map { [PortMapping(hostPort: $0, containerPort: $0, location: here)] } ?? [],
            dependsOn: dependsOn.map { Dependency(service: $0, condition: .healthy) }, location: here)
    }

    static func live(_ pod: PodDefinition) -> [StackPlanner.LiveContainer] {
        pod.services.map { .init(name: $0.containerName, service: $0.name, configHash: ConfigDigest.service($0)) }
    }

    @Test("a pod that does not exist is created with all its services")
    func freshPod() throws {
        let pod = Self.pod([Self.service("a"), Self.service("b", dependsOn: ["a"])])
        let plan = StackPlanner.plan(pod: pod, graph: try DependencyGraph(pod: pod), livePodPortsHash: .none, live: [])
        #expect(plan.podAction == .create)
        #expect(plan.services == ["a": .create, "b": .create])
    }

    @Test("nothing changed means every service is kept")
    func unchanged() throws {
        let pod = Self.pod([Self.service("a", port: 80), Self.service("b", dependsOn: ["a"])])
        let plan = StackPlanner.plan(
            pod: pod, graph: try DependencyGraph(pod: pod), livePodPortsHash: .some(ConfigDigest.ports(pod)),
            live: Self.live(pod))
        #expect(plan.podAction == .keep)
        #expect(plan.services == ["a": .keep, "b": .keep])
        #expect(plan.orphans.isEmpty)
    }

    @Test("a changed service is recreated, its dependents (transitively) restart, the rest is kept")
    func changedService() throws {
        let old = Self.pod([
            Self.service("a"), Self.service("b", dependsOn: ["a"]), Self.service("c", dependsOn: ["b"]),
            Self.service("d"),
        ])
        var new = old
        new.services[0] = Self.service("a", env: "2")
        let plan = StackPlanner.plan(
            pod: new, graph: try DependencyGraph(pod: new), livePodPortsHash: .some(ConfigDigest.ports(new)),
            live: Self.live(old))
        #expect(plan.services == ["a": .recreate, "b": .restart, "c": .restart, "d": .keep])
    }

    @Test("depends_on restart: false keeps that dependent running when its dependency is recreated; true restarts it")
    func restartFalse() throws {
        var keeps = Self.service("b", dependsOn: ["a"])
        keeps.dependsOn[0].restart = false
        var restarts = Self.service("d", dependsOn: ["a"])
        restarts.dependsOn[0].restart = true
        let old = Self.pod([Self.service("a"), keeps, Self.service("c", dependsOn: ["b"]), restarts])
        var new = old
        new.services[0] = Self.service("a", env: "2")
        let plan = StackPlanner.plan(
            pod: new, graph: try DependencyGraph(pod: new), livePodPortsHash: .some(ConfigDigest.ports(new)),
            live: Self.live(old))
        #expect(plan.services == ["a": .recreate, "b": .keep, "c": .keep, "d": .restart])
    }

    @Test("changed published ports remake the pod, and with it every container")
    func changedPorts() throws {
        let old = Self.pod([Self.service("a", port: 80)])
        let new = Self.pod([Self.service("a", port: 81)])
        let plan = StackPlanner.plan(
            pod: new, graph: try DependencyGraph(pod: new), livePodPortsHash: .some(ConfigDigest.ports(old)),
            livePodPublishedHash: ConfigDigest.publishedPorts(old), live: Self.live(old))
        #expect(plan.podAction == .recreate(reason: "published ports changed"))
        #expect(plan.services == ["a": .create])
    }

    @Test("a pod made anew for its hosts entries, DNS or hostnames says so, not that its ports changed")
    func changedSharedSettings() throws {
        let old = Self.pod([Self.service("a", port: 80)])
        var new = old
        new.services[0].addressing.extraHosts = [HostEntry(name: "db", address: "10.0.0.5")]
        let plan = StackPlanner.plan(
            pod: new, graph: try DependencyGraph(pod: new), livePodPortsHash: .some(ConfigDigest.ports(old)),
            livePodPublishedHash: ConfigDigest.publishedPorts(old), live: Self.live(old))
        guard case .recreate(let reason) = plan.podAction else {
            Issue.record("the pod is not made anew: \(plan.podAction)")
            return
        }
        #expect(reason.hasPrefix("its shared settings changed"), "\(reason)")
        let unlabelled = StackPlanner.plan(
            pod: new, graph: try DependencyGraph(pod: new), livePodPortsHash: .some(ConfigDigest.ports(old)),
            live: Self.live(old))
        #expect(unlabelled.podAction == .recreate(reason: "its published ports or its shared settings changed"))
    }

    @Test("a container of the stack whose service left the file is an orphan to remove")
    func orphans() throws {
        let old = Self.pod([Self.service("a"), Self.service("gone")])
        let new = Self.pod([Self.service("a")])
        let plan = StackPlanner.plan(
            pod: new, graph: try DependencyGraph(pod: new), livePodPortsHash: .some(ConfigDigest.ports(new)),
            live: Self.live(old))
        #expect(plan.orphans == ["p-gone"])
        #expect(plan.services == ["a": .keep])
    }

    @Test(
        "a container stuck in 'stopping' is made anew, and its dependents restart after it; a stuck infra remakes the pod"
    )
    func stuckStopping() throws {
        let pod = Self.pod([Self.service("a"), Self.service("b", dependsOn: ["a"])])
        var live = Self.live(pod)
        live[0].stuck = true
        let plan = StackPlanner.plan(
            pod: pod, graph: try DependencyGraph(pod: pod), livePodPortsHash: .some(ConfigDigest.ports(pod)), live: live
        )
        #expect(plan.services == ["a": .replaceStuck, "b": .restart])
        live[0].stuck = false
        let calm = StackPlanner.plan(
            pod: pod, graph: try DependencyGraph(pod: pod), livePodPortsHash: .some(ConfigDigest.ports(pod)), live: live
        )
        #expect(calm.services == ["a": .keep, "b": .keep])
        let stuckInfra = StackPlanner.plan(
            pod: pod, graph: try DependencyGraph(pod: pod), livePodPortsHash: .some(ConfigDigest.ports(pod)),
            liveInfraStuck: true, live: live)
        #expect(
            stuckInfra.podAction
                == .recreate(reason: "its infra container is stuck in \"stopping\" (its conmon is gone)"))
        #expect(stuckInfra.services == ["a": .create, "b": .create])
    }

    @Test("a container of a service with profiles is no orphan when its profile is not active")
    func inactiveProfileIsNoOrphan() throws {
        let pod = Self.pod([Self.service("a")])
        let live: [StackPlanner.LiveContainer] =
            Self.live(pod) + [
                .init(name: "p-debug", service: "debug", configHash: "x", profiles: ["debug"]),
                .init(name: "p-gone", service: "gone", configHash: "y"),
            ]
        let plan = StackPlanner.plan(
            pod: pod, graph: try DependencyGraph(pod: pod), livePodPortsHash: .some(ConfigDigest.ports(pod)), live: live
        )
        #expect(plan.orphans == ["p-gone"])
        // With `debug` active, a `debug` service that was not loaded has left the file.
        let active = StackPlanner.plan(
            pod: pod, graph: try DependencyGraph(pod: pod), livePodPortsHash: .some(ConfigDigest.ports(pod)),
            live: live,
            activeProfiles: ["debug"])
        #expect(active.orphans == ["p-debug", "p-gone"])
    }

    @Test("a source location change alone (a comment above the service) does not change the hash")
    func hashIgnoresLocations() {
        var moved = Self.service("a")
        moved.location = SourceLocation(file: "t.yml", line: 40, column: 3)
        #expect(ConfigDigest.service(moved) == ConfigDigest.service(Self.service("a")))
        #expect(ConfigDigest.service(Self.service("a", env: "2")) != ConfigDigest.service(Self.service("a")))
    }
}

@Suite("Create specs from the stack model")
struct ContainerSpecBuilderTests {
    @Test("a service becomes a pod member with labels, mounts, secrets, explicit health timings and its stop settings")
    func fullService() throws {
        let here = SourceLocation(file: "t.yml", line: 1, column: 1)
        let service = ServiceDefinition(
            name: "db", podName: "p", image: "postgres:16", command: ["postgres"], environment: ["A": "b"],
            ports: [PortMapping(hostPort: 5432, containerPort: 5432, location: here)],
            mounts: [
                .bind(source: "/data/db", target: "/var/lib/db", readOnly: false, selinux: .private),
                .volume(name: "p_cache", target: "/cache", readOnly: true),
            ],
            healthcheck: HealthCheck(
                test: ["CMD-SHELL", "pg_isready"], intervalSeconds: 10, timeoutSeconds: 5, startPeriodSeconds: 30,
                retries: 5),
            restart: .onFailure(maxRetries: 3), labels: ["mine": "yes"], stopSignal: "SIGINT",
            stopGracePeriodSeconds: 30,
            secrets: [SecretReference(source: "pw", mode: 0o400)], location: here)
        let pod = PodDefinition(
            name: "p", sourceFile: "t.yml", services: [service],
            secrets: [SecretDefinition(key: "pw", name: "p_pw", source: .file(path: "/x"))])
        let spec = ContainerSpecBuilder.container(service, in: pod)
        #expect(spec.name == "p-db" && spec.pod == "p")
        #expect(
            spec.labels?["io.podstack.stack"] == "p" && spec.labels?["io.podstack.service"] == "db"
                && spec.labels?["mine"] == "yes")
        #expect(spec.labels?["io.podstack.config-hash"] == ConfigDigest.service(service))
        #expect(spec.mounts == [.init(destination: "/var/lib/db", source: "/data/db", options: ["rbind", "rw", "Z"])])
        #expect(spec.volumes == [.init(name: "p_cache", destination: "/cache", options: ["ro"])])
        #expect(spec.secrets == [.init(source: "p_pw", target: "/run/secrets/pw", mode: 0o400)])
        #expect(spec.healthConfig?.interval == 10_000_000_000 && spec.healthConfig?.timeout == 5_000_000_000)
        #expect(spec.healthConfig?.startPeriod == 30_000_000_000 && spec.healthConfig?.retries == 5)
        #expect(spec.restartPolicy == "on-failure" && spec.restartTries == 3)
        #expect(spec.stopSignal == 2 && spec.stopTimeout == 30)
        let podSpec = ContainerSpecBuilder.pod(pod)
        #expect(podSpec.portMappings == [Podman.PortMapping(hostIP: "127.0.0.1", hostPort: 5432, containerPort: 5432)])
        #expect(podSpec.labels["io.podstack.stack"] == "p")
    }

    @Test(
        "signal names as compose writes them",
        arguments: [("SIGTERM", 15), ("TERM", 15), ("sigint", 2), ("9", 9), ("SIGQUIT", 3)])
    func signals(name: String, number: Int) {
        #expect(SignalNames.number(name) == number)
    }

    @Test("an unknown signal name maps to nothing")
    func unknownSignal() { #expect(SignalNames.number("SIGBOGUS") == nil) }
}

@Suite("One run at a time")
struct RunLockTests {
    @Test("a second run waits, then refuses naming the holder's pid; the lock is free once released")
    func lockHeld() async throws {
        let path = NSTemporaryDirectory() + "podstack-lock-test-\(UUID().uuidString).lock"
        let first = try await RunLock.acquire(path: path, owner: geteuid(), wait: .zero, onWait: { _ in })
        var waited = false
        do {
            _ = try await RunLock.acquire(path: path, owner: geteuid(), wait: .milliseconds(300), onWait: { _ in waited = true })
            Issue.record("the second acquire should have failed")
        } catch PodstackError.lockHeld(let lockPath, let pid) {
            #expect(lockPath == path)
            #expect(pid == getpid())
        }
        #expect(waited)
        withExtendedLifetime(first) {}
        _ = consume first
        let again = try await RunLock.acquire(path: path, owner: geteuid(), wait: .seconds(1), onWait: { _ in })
        withExtendedLifetime(again) {}
    }

    @Test("a link planted where the lock goes is refused, and the file it points at is not written")
    func plantedLink() async throws {
        let directory = NSTemporaryDirectory() + "podstack-lock-link-\(UUID().uuidString)"
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let victim = directory + "/victim"
        try Data("keep me".utf8).write(to: URL(fileURLWithPath: victim))
        let path = directory + "/podstack.lock"
        try FileManager.default.createSymbolicLink(atPath: path, withDestinationPath: victim)
        await #expect(throws: PodstackError.self) {
            _ = try await RunLock.acquire(path: path, owner: geteuid(), wait: .zero, onWait: { _ in })
        }
        #expect(FileManager.default.contents(atPath: victim) == Data("keep me".utf8))
    }

    @Test("the lock lives in the runtime directory, else in a 0700 directory of podstack's own, one per socket")
    func lockPlaces() throws {
        let uid = geteuid()
        let runtime = HostContext(environment: ["XDG_RUNTIME_DIR": "/run/user/7"], effectiveUID: uid)
        let first = try RunLock.defaultPath(host: runtime, explicitURL: "unix:///a.sock")
        let second = try RunLock.defaultPath(host: runtime, explicitURL: "unix:///b.sock")
        #expect(first.hasPrefix("/run/user/7/podstack-") && second.hasPrefix("/run/user/7/podstack-"))
        #expect(first != second)
        let bare = HostContext(environment: [:], effectiveUID: uid)
        let fallback = try RunLock.defaultPath(host: bare, explicitURL: "unix:///a.sock")
        let directory = (fallback as NSString).deletingLastPathComponent
        var status = stat()
        #expect(lstat(directory, &status) == 0)
        #expect(status.st_mode & S_IFMT == S_IFDIR && status.st_mode & 0o777 == 0o700 && status.st_uid == uid)
    }
}
