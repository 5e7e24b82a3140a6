import Foundation
import PodmanAPI
import PodstackCompose
import PodstackPreflight

public struct UpOptions: Sendable {
    public var waitTimeout: Duration
    public var skipPreflight: Bool
    public var strictPreflight: Bool
    /// Build every image that has a `build:` again, even when it is there (`up --build`).
    public var build = false
    /// How many images are built at once.
    public var parallelBuilds = 2

    public init(waitTimeout: Duration = .seconds(600), skipPreflight: Bool = false, strictPreflight: Bool = false) {
        self.waitTimeout = waitTimeout
        self.skipPreflight = skipPreflight
        self.strictPreflight = strictPreflight
    }
}

extension StackRunner {
    /// `podstack up`: preflight, images, then each pod (pods in parallel). Nothing is created until the
    /// preflight and the image check have passed.
    public func up(_ pods: [PodDefinition], options: UpOptions) async throws -> StackRunReport {
        var pods = pods
        var graphs: [DependencyGraph] = []
        for pod in pods {
            do throws(StackLoadError) {
                graphs.append(try DependencyGraph(pod: pod))
            } catch {
                throw PodstackError.invalidStack(error)
            }
        }
        if options.skipPreflight {
            events(.warning("preflight skipped (--skip-preflight): a taken port will fail at start, after pods exist"))
        } else {
            let deviceCount = pods.flatMap(\.services).flatMap(\.devices).count
            events(
                .step(
                    "preflight: checking \(pods.flatMap(\.hostPortClaims).count) host ports"
                        + (deviceCount > 0 ? " and \(deviceCount) devices" : "")))
            let report = try await preflight(pods, strict: options.strictPreflight)
            if report.refuses { throw PodstackError.preflightRefused(report) }
            pods = try await keepingGroups(pods, report: report)
        }
        let preparation = StackPreparation(
            client: client, serviceOwnerUID: connection.serviceOwnerUID, runnerUID: connection.runnerUID,
            environment: environment, events: events, apiVersion: connection.apiVersion)
        try await checkNames(pods)
        try await preparation.checkExternalSecrets(pods)
        try preparation.checkVolumeDevices(pods)
        let limits = Self.ignoredLimitsWarning(pods, rootless: connection.rootless, uid: connection.serviceOwnerUID)
        if let limits { events(.warning(limits)) }
        let builtImageIDs = try await preparation.ensureImages(
            pods, rebuild: options.build, parallelBuilds: options.parallelBuilds)
        let usesHostGateway = pods.contains { $0.network.extraHosts.contains { $0.address == HostEntry.hostGateway } }
        let hostGateway =
            usesHostGateway
            ? HostGatewayAddress.forPodman(
                apiVersion: connection.apiVersion, localAddresses: HostGatewayAddress.interfaceAddresses)
            : HostEntry.hostGateway

        do {
            let outcomes = try await withThrowingTaskGroup(of: [ServiceOutcome].self) { group in
                for (pod, graph) in zip(pods, graphs) {
                    group.addTask {
                        try preparation.writeConfigFiles(pod)
                        try preparation.ensureDataDirectories(pod)
                        try await preparation.ensureSecrets(pod)
                        try await preparation.ensureVolumes(pod)
                        let plan = try await self.plan(pod, graph: graph, builtImageIDs: builtImageIDs)
                        var applier = PodApplier(
                            client: client, plan: plan, graph: graph, waitTimeout: options.waitTimeout, events: events)
                        applier.hostGateway = hostGateway
                        return try await applier.apply()
                    }
                }
                var byPod: [String: [ServiceOutcome]] = [:]
                for try await outcomes in group { if let pod = outcomes.first?.pod { byPod[pod] = outcomes } }
                return pods.flatMap { byPod[$0.name] ?? [] }
            }
            let report = StackRunReport(services: outcomes)
            if !report.ok { throw PodstackError.servicesFailed(report) }
            return report
        } catch let error as PodstackError {
            throw error
        } catch {
            try PodstackError.rethrow(error, during: "bringing the stack up")
        }
    }

    /// Reads what Podman has for the pod and decides what to do.
    func plan(
        _ pod: PodDefinition, graph: DependencyGraph, builtImageIDs: [String: String] = [:]
    ) async throws -> PodPlan {
        var podHash: String?? = nil
        var publishedHash: String?
        var infraStuck = false
        var podID: String?
        if try await client.podExists(pod.name) {
            let inspect = try await client.inspectPod(pod.name)
            podID = inspect.id
            guard inspect.labels?[StackLabels.stack] == pod.name else {
                throw PodstackError.nameTaken(kind: "pod", name: pod.name)
            }
            podHash = .some(inspect.labels?[StackLabels.portsHash])
            publishedHash = inspect.labels?[StackLabels.publishedPortsHash]
            if let infra = inspect.containers?.first(where: { $0.id == inspect.infraContainerID }),
                infra.state == .stopping
            {
                infraStuck = try await stuckWhenSettled(infra.id)
            }
        }
        var live: [StackPlanner.LiveContainer] = []
        for container in try await client.listContainers(labels: [StackLabels.selector(pod: pod.name)])
        where Self.isMember(container, of: pod.name, podID: podID, service: nil) {
            live.append(
                StackPlanner.LiveContainer(
                    name: container.name, service: container.labels?[StackLabels.service],
                    configHash: container.labels?[StackLabels.configHash], imageID: container.imageID,
                    stuck: container.state == .stopping ? try await stuckWhenSettled(container.name) : false,
                    profiles: container.labels?[StackLabels.profiles].map { $0.split(separator: ",").map(String.init) }
                        ?? []))
        }
        return StackPlanner.plan(
            pod: pod, graph: graph, livePodPortsHash: podHash, livePodPublishedHash: publishedHash,
            liveInfraStuck: infraStuck, live: live,
            activeProfiles: Set(stack.activeProfiles), builtImageIDs: builtImageIDs)
    }

    /// A container in "stopping": a stop in progress (someone ran `podman stop`; it is waited for, up to a
    /// minute), or, when its conmon is gone, a container Podman 4.3 will never finish stopping (true).
    private func stuckWhenSettled(_ container: String) async throws -> Bool {
        let deadline = ContinuousClock.now + .seconds(60)
        while true {
            let state = try await client.inspectContainer(container).state
            guard state.status == .stopping else { return false }
            guard let conmon = state.conmonPID, conmon > 0, Self.processExists(conmon) else { return true }
            if ContinuousClock.now >= deadline { return false }
            try await Task.sleep(for: .milliseconds(200))
        }
    }

    /// Whether a process with this pid exists on this host (EPERM: it does, as another user's).
    static func processExists(_ pid: Int) -> Bool {
        kill(pid_t(pid), 0) == 0 || errno == EPERM
    }
}
