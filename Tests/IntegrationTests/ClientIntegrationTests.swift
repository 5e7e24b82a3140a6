import Foundation
import PodmanAPI
import Testing

/// PodmanAPI against the real rootless service of the test bed.
@Suite("Client against the real rootless Podman service", .enabled(if: TestBed.enabled))
struct ClientIntegrationTests {
    @Test("ping and info describe a rootless Podman 4 or later")
    func pingAndInfo() async throws {
        let client = try TestBed.client()
        let ping = try await client.ping()
        #expect(Int(ping.libpodAPIVersion.split(separator: ".").first ?? "") ?? 0 >= 4)
        let info = try await client.info()
        #expect(info.host.security.rootless)
        let version = try await client.version()
        #expect(version.version == info.version.version)
    }

    @Test(
        "a pod is created with a published port, runs a health-checked service reached from the host, logs, and is removed"
    )
    func podLifecycle() async throws {
        let client = try TestBed.client()
        let pod = TestBed.uniqueName("pod")
        let port = HostNet.freePort()
        let labels = ["io.podstack.test": pod]
        _ = try await client.createPod(
            Podman.PodCreateSpec(
                name: pod, labels: labels,
                portMappings: [Podman.PortMapping(hostIP: "127.0.0.1", hostPort: port, containerPort: 8080)]))
        try await withCleanup({ try? await client.removePod(pod, timeoutSeconds: 0) }) {
            #expect(try await client.podExists(pod))
            #expect(try await client.listPods(labels: ["io.podstack.test=\(pod)"]).map(\.name) == [pod])

            var spec = Podman.ContainerCreateSpec(name: pod + "-web", image: TestBed.genericImage)
            spec.pod = pod
            spec.env = ["STANDIN_MODE": "serve", "STANDIN_PORT": "8080", "STANDIN_READY_DELAY": "0"]
            spec.labels = labels
            spec.healthConfig = .init(
                test: ["CMD", "standin-health"], interval: .seconds(30), timeout: .seconds(3), retries: 3,
                startPeriod: .zero)
            spec.stopTimeout = 2
            _ = try await client.createContainer(spec)
            try await client.startContainer(spec.name)
            try await client.startContainer(spec.name)  // 304: already running is success

            var verdict: Podman.HealthStatus?
            for _ in 0..<50 where verdict != .healthy {
                verdict = try? await client.runHealthcheck(spec.name).status
                if verdict != .healthy { try await Task.sleep(for: .milliseconds(200)) }
            }
            #expect(verdict == .healthy)
            #expect(try await client.inspectContainer(spec.name).state.health?.status == .healthy)

            let answer = await HostNet.waitForHTTP(port: port, path: "/health", within: .seconds(10))
            #expect(answer?.contains("200") == true, "GET 127.0.0.1:\(port)/health through the pod's published port")

            let listed = try await client.listContainers(labels: ["io.podstack.test=\(pod)"])
            #expect(listed.map(\.name) == [spec.name], "infra containers are filtered out")
            let withInfra = try await client.listContainers(labels: ["io.podstack.test=\(pod)"], includeInfra: true)
            #expect(withInfra.contains { $0.isInfra == true && ($0.ports ?? []).contains { $0.hostPort == port } })

            let lines = try await client.logTail(spec.name, lines: 20)
            #expect(!lines.isEmpty)

            try await client.stopPod(pod, timeoutSeconds: 2)
            try await client.removePod(pod, timeoutSeconds: 2)
            #expect(try await client.podExists(pod) == false)
            await #expect { try await client.inspectPod(pod) } throws: { ($0 as? PodmanError)?.isNotFound == true }
        }
    }

    @Test("a pull from an unreachable registry fails with Podman's reason, not a hang")
    func pullFailure() async throws {
        let client = try TestBed.client()
        await #expect {
            for try await _ in client.pullImage("docker.io/library/podstack-no-such-image:latest") {}
        } throws: { error in
            guard case .pullFailed(let reference, let message) = error as? PodmanError else { return false }
            return reference.hasSuffix("podstack-no-such-image:latest") && message.contains("podstack-no-such-image")
        }
    }

    @Test("a pull from the local registry streams progress and ends with the image id")
    func pullFromLocalRegistry() async throws {
        try await TestBed.pullImageTurns.run { try await pullFromLocalRegistryInTurn() }
    }

    func pullFromLocalRegistryInTurn() async throws {
        let client = try TestBed.client()
        let reference = try #require(TestBed.environment["PODSTACK_TEST_PULL_IMAGE"])
        try? await client.removeImage(reference, force: true)
        var events: [Podman.PullEvent] = []
        for try await event in client.pullImage(reference) { events.append(event) }
        #expect(events.contains { if case .pulled = $0 { true } else { false } })
        #expect(try await client.imageExists(reference))
        try await client.removeImage(reference, force: true)
    }

    @Test("while twenty requests block in wait, a ping still answers promptly", .timeLimit(.minutes(1)))
    func pingAnswersWhileTwentyWaitsBlock() async throws {
        let client = try TestBed.client()
        let name = TestBed.uniqueName("sleeper")
        var spec = Podman.ContainerCreateSpec(name: name, image: TestBed.genericImage)
        spec.env = ["STANDIN_MODE": "sleep"]
        spec.stopTimeout = 1
        _ = try await client.createContainer(spec)
        try await client.startContainer(name)
        try await withCleanup({ try? await client.removeContainer(name, timeoutSeconds: 0) }) {

            // The waits cannot end before the kill below, so a ping that answers while none has ended shows
            // that blocked transfers do not hold up others (no wall-clock bound: the machine is shared).
            let ended = EndedWaits()
            try await withThrowingTaskGroup(of: Void.self) { group in
                for _ in 0..<20 {
                    group.addTask {
                        _ = try await client.waitContainer(name)
                        await ended.add()
                    }
                }
                try await Task.sleep(for: .milliseconds(500))
                _ = try await client.ping()
                #expect(await ended.count == 0, "the ping answered while all twenty waits were still blocked")
                do {
                    try await client.killContainer(name)
                } catch {
                    // Seen once in many runs: the sleeper had stopped by itself. Say how, for whoever sees it next.
                    let state = try? await client.inspectContainer(name).state
                    let log = (try? await client.logTail(name, lines: 20))?.map(\.text).joined(separator: " | ")
                    Issue.record(
                        "kill failed: \(error); state \(String(describing: state)); log: \(log ?? "unreadable")")
                    throw error
                }
                try await group.waitForAll()
            }
            #expect(await ended.count == 20)
            try await client.removeContainer(name, timeoutSeconds: 0)
        }
    }

    @Test("volumes and secrets are created, read back, listed by label and removed; a secret's value is never shown")
    func volumesAndSecrets() async throws {
        let client = try TestBed.client()
        let volume = TestBed.uniqueName("vol")
        let created = try await client.createVolume(
            Podman.VolumeCreateSpec(name: volume, labels: ["io.podstack.test": volume]))
        #expect(created.name == volume)
        #expect(try await client.volumeExists(volume))
        #expect(try await client.listVolumes(labels: ["io.podstack.test=\(volume)"]).map(\.name) == [volume])
        try await client.removeVolume(volume)
        #expect(try await client.volumeExists(volume) == false)

        let secret = TestBed.uniqueName("sec")
        _ = try await client.createSecret(name: secret, value: Data("s3cr3t-value".utf8))
        let info = try await client.inspectSecret(secret)
        #expect(info.name == secret)
        #expect(try await client.listSecrets().contains { $0.name == secret })
        try await client.removeSecret(secret)
        await #expect { try await client.inspectSecret(secret) } throws: { ($0 as? PodmanError)?.isNotFound == true }
    }

    @Test("a network is created with DNS on, its subnet, gateway and labels, read back, listed by label and removed")
    func networks() async throws {
        let client = try TestBed.client()
        let name = TestBed.uniqueName("net")
        let octet = Int.random(in: 20...250)
        let created = try await client.createNetwork(
            Podman.NetworkCreateSpec(
                name: name, labels: ["io.podstack.test": name], isInternal: true,
                subnets: [.init(subnet: "10.124.\(octet).0/24", gateway: "10.124.\(octet).1")]))
        #expect(created.name == name)
        let inspect = try await client.inspectNetwork(name)
        #expect(inspect.dnsEnabled == true && inspect.isInternal == true)
        #expect(inspect.subnets == [.init(subnet: "10.124.\(octet).0/24", gateway: "10.124.\(octet).1")])
        #expect(try await client.listNetworks(labels: ["io.podstack.test=\(name)"]).map(\.name) == [name])
        try await client.removeNetwork(name)
        #expect(try await client.networkExists(name) == false)
    }
}

/// How many of the blocked waits have ended.
actor EndedWaits {
    private(set) var count = 0
    func add() { count += 1 }
}
