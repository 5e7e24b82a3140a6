import Foundation
import PodmanAPI
import PodstackCompose

/// Brings one pod to its plan: orphans removed, the pod made, then every service started as soon as
/// what it depends on meets its condition. Independent services start in parallel; a failed service
/// leaves its dependents not started and the rest of the pod going.
struct PodApplier: Sendable {
    let client: PodmanClient
    let plan: PodPlan
    let graph: DependencyGraph
    let waitTimeout: Duration
    let events: StackEventSink
    /// What `host-gateway` in extra_hosts becomes for this Podman (`HostGatewayAddress`).
    var hostGateway = HostEntry.hostGateway

    static let logTailLines = 20

    func apply() async throws -> [ServiceOutcome] {
        let pod = plan.pod
        for orphan in plan.orphans {
            events(.service(pod: pod.name, service: orphan, phase: .stopping, detail: "no longer in \(pod.sourceFile)"))
            try await client.removeContainer(orphan, timeoutSeconds: 10)
            events(.service(pod: pod.name, service: orphan, phase: .removed, detail: nil))
        }
        let networks = PodNetworks(client: client, events: events)
        switch plan.podAction {
        case .keep:
            // Only a pod with networks asks: a kept pod's hash holds its networks, so none was dropped.
            if pod.servicesHaveOwnNetworks { try await networks.ensure(pod, podIsNew: false) }
        case .recreate(let reason):
            events(.step("pod \(pod.name): \(reason), making the pod anew"))
            try await client.removePod(pod.name, timeoutSeconds: maxGracePeriod)
            try await networks.ensure(pod, podIsNew: true)
            _ = try await client.createPod(ContainerSpecBuilder.pod(pod, hostGateway: hostGateway))
        case .create:
            try await networks.ensure(pod, podIsNew: true)
            events(.step("creating pod \(pod.name)"))
            _ = try await client.createPod(ContainerSpecBuilder.pod(pod, hostGateway: hostGateway))
        }
        // The infra container is started here, once. Left to the services, every start (and init) at the
        // same moment would start it as a dependency, and Podman 4.3 then fails one of them: "cannot start an
        // already running container", reported as "starting some containers: internal libpod error".
        let podInspect = try await client.inspectPod(pod.name)
        if let infra = podInspect.infraContainerID {
            try await client.startAfterLeftoverRuntimeState(infra)
        }
        let bindings = podInspect.infraConfig?.portBindings

        let board = ServiceBoard()
        let needsCompletion = Set(
            pod.services.flatMap(\.dependsOn).filter { $0.condition == .completedSuccessfully }.map(\.service))
        return try await withThrowingTaskGroup(of: ServiceOutcome.self) { group in
            for service in pod.services {
                group.addTask {
                    try await run(
                        service, board: board, needsCompletion: needsCompletion.contains(service.name),
                        ports: service.ports.map { $0.publishedText(bindings: bindings) })
                }
            }
            var outcomes: [String: ServiceOutcome] = [:]
            for try await outcome in group { outcomes[outcome.service] = outcome }
            return pod.services.compactMap { outcomes[$0.name] }
        }
    }

    private var maxGracePeriod: Int { plan.pod.services.compactMap(\.stopGracePeriodSeconds).max() ?? 10 }

    /// One service, start to ready. Errors of the connection (the service went away, cancellation) are
    /// thrown and end the whole run; everything else becomes this service's outcome.
    private func run(
        _ service: ServiceDefinition, board: ServiceBoard, needsCompletion: Bool, ports: [String]
    ) async throws -> ServiceOutcome {
        let action = plan.services[service.name] ?? .create
        var outcome = ServiceOutcome(
            pod: plan.pod.name, service: service.name, container: service.containerName, phase: .pending,
            action: "\(action)", health: nil,
            ports: ports,
            startRequestedAt: nil, readyAt: nil, secondsToReady: nil, failure: nil, logTail: [], logSource: nil)
        await waitForDependencyContainers(service, board: board)
        try Task.checkCancellation()
        do {
            try await prepareContainer(service, action: action) { phase, detail in
                report(phase, detail, on: &outcome)
            }
            await board.record(.created, for: service.name)
        } catch {
            return try await failed(error, outcome: outcome, board: board)
        }
        if try await !dependenciesMet(service, board: board, outcome: &outcome) { return outcome }
        do {
            try await startAndWaitReady(service, board: board, needsCompletion: needsCompletion, outcome: &outcome)
            if plan.pod.servicesHaveOwnNetworks, service.ports.contains(where: \.hostPortIsPicked) {
                outcome.ports = try await portsPicked(for: service)
            }
            return outcome
        } catch {
            return try await failed(error, outcome: outcome, board: board)
        }
    }

    /// The host ports Podman picked for a service with a network namespace of its own, which publishes
    /// them itself (the pod's, read once for the others, has none): known once its container is made.
    private func portsPicked(for service: ServiceDefinition) async throws -> [String] {
        let listed = try await client.listContainers(labels: [StackLabels.selector(pod: plan.pod.name)])
        let bindings = Podman.PodInspect.HostBinding.bindings(
            of: listed.first { $0.labels?[StackLabels.service] == service.name }?.ports)
        return service.ports.map { $0.publishedText(bindings: bindings) }
    }

    private func report(_ phase: ServicePhase, _ detail: String? = nil, on outcome: inout ServiceOutcome) {
        outcome.phase = phase
        events(.service(pod: plan.pod.name, service: outcome.service, phase: phase, detail: detail))
    }

    /// Containers are made (or replaced) before waiting on readiness: creating runs nothing, and doing it
    /// early takes it off the critical path, so a dependent only has to be started once its dependencies
    /// are ready. A dependent is made after its dependencies' containers, not beside them: on two cores
    /// creating everything at once delayed the first starts by a second. Where the dependent waits for a
    /// dependency to be healthy or complete anyway, it is made once the dependency has started: its create
    /// then does not compete with the dependency's start, the head of the critical path, for Podman's
    /// time (it delayed that start by up to 300 ms in the health-gated benchmark, scripts/bench.sh).
    private func waitForDependencyContainers(_ service: ServiceDefinition, board: ServiceBoard) async {
        for dependency in service.dependsOn {
            try? await board.wait(for: dependency.condition == .started ? .created : .started, of: dependency.service)
        }
    }

    /// Waits for each dependency's condition. False when a required one failed: the service is then
    /// skipped, and its dependents hear it was not started.
    private func dependenciesMet(
        _ service: ServiceDefinition, board: ServiceBoard, outcome: inout ServiceOutcome
    ) async throws -> Bool {
        guard !service.dependsOn.isEmpty else { return true }
        // What a start costs before the process runs (the OCI container, mounts, namespaces: 50 ms idle,
        // several times that while others start) is done now, while the dependencies get ready, so the
        // start itself only lets the process run. The process does not run before the start. A failure
        // here is not one: the start does the same work again and reports what is wrong.
        try? await client.initContainer(service.containerName)
        report(
            .waitingForDependencies,
            service.dependsOn.map { "\($0.service) (\($0.condition.rawValue))" }.joined(separator: ", "), on: &outcome)
        for dependency in service.dependsOn {
            do {
                try await board.wait(for: .init(dependency.condition), of: dependency.service)
            } catch let failed as ServiceBoard.DependencyFailed {
                guard dependency.required else { continue }
                outcome.failure = "not started: \(failed.service) \(failed.reason)"
                report(.skipped, outcome.failure, on: &outcome)
                await board.fail(service.name, reason: "was not started")
                return false
            }
        }
        return true
    }

    /// Starts the container and waits until it is ready: completed, healthy, or still running a moment on.
    private func startAndWaitReady(
        _ service: ServiceDefinition, board: ServiceBoard, needsCompletion: Bool, outcome: inout ServiceOutcome
    ) async throws {
        try await confirmDependenciesStillHealthy(service, board: board)
        report(.starting, on: &outcome)
        let startedAt = Date()
        outcome.startRequestedAt = startedAt
        try await client.startAfterLeftoverRuntimeState(service.containerName)
        await board.record(.started, for: service.name)
        // `--wait-timeout` is per service, counted from its start.
        let waiter = ReadinessWaiter(client: client, deadline: .now + waitTimeout)
        if needsCompletion {
            // A job that dependents need finished: its exit code is what counts, even with a health check.
            report(.waitingForCompletion, on: &outcome)
            try await waiter.waitCompleted(container: service.containerName)
        } else if let check = try await readinessCheck(service) {
            report(.waitingForHealthy, on: &outcome)
            try await waiter.waitHealthy(container: service.containerName, check: check)
            outcome.health = Podman.HealthStatus.healthy.text
        } else {
            try await waiter.confirmRunning(container: service.containerName)
        }
        let readyAt = Date()
        outcome.readyAt = readyAt
        outcome.secondsToReady = readyAt.timeIntervalSince(startedAt)
        await board.record(.healthy, for: service.name)
        if needsCompletion { await board.record(.completed, for: service.name) }
        report(
            needsCompletion ? .completed : .ready, String(format: "%.1f s", readyAt.timeIntervalSince(startedAt)),
            on: &outcome)
    }

    /// The check `up` waits for: the file's; else, when a dependent waits for this service to be healthy, the
    /// image's HEALTHCHECK (compose waits for it then; Podman gives it to a container created without one).
    /// Nil when there is none: the service is ready once it runs.
    private func readinessCheck(_ service: ServiceDefinition) async throws -> HealthCheck? {
        if let check = service.healthcheck { return check }
        let awaited = plan.pod.services.contains { dependent in
            dependent.dependsOn.contains { $0.service == service.name && $0.condition == .healthy }
        }
        guard awaited, !service.healthcheckDisabled,
            let image = try await client.inspectContainer(service.containerName).config?.healthcheck
        else { return nil }
        return HealthCheck(imageCheck: image)
    }

    /// Records a service's failure (with its log tail) and wakes its dependents with it. Errors of the
    /// connection (the service went away) and cancellation are thrown instead: they end the whole run.
    private func failed(_ error: any Error, outcome: ServiceOutcome, board: ServiceBoard) async throws -> ServiceOutcome
    {
        var outcome = outcome
        if let podman = error as? PodmanError, podman.isTransport {
            await board.fail(outcome.service, reason: "could not be reached")
            throw podman
        }
        if error is CancellationError {
            await board.fail(outcome.service, reason: "was interrupted")
            throw error
        }
        if error is PodstackError {
            await board.fail(outcome.service, reason: "could not be made")
            throw error
        }
        let reason = Self.describe(error)
        outcome.failure = reason
        // When the cause is a dependency, its log says why; this service never ran.
        let turned = error as? DependencyTurnedUnhealthy
        outcome.logSource = turned?.container ?? outcome.container
        outcome.logTail =
            ((try? await client.logTail(outcome.logSource ?? outcome.container, lines: Self.logTailLines)) ?? []).map(
                \.text)
        await board.fail(outcome.service, reason: turned == nil ? "failed (\(reason))" : "was not started")
        outcome.phase = turned == nil ? .failed : .skipped
        events(.service(pod: outcome.pod, service: outcome.service, phase: outcome.phase, detail: reason))
        return outcome
    }

    private func prepareContainer(
        _ service: ServiceDefinition, action: PodPlan.ServiceAction, report: (ServicePhase, String?) -> Void
    ) async throws {
        switch action {
        case .keep:
            report(.kept, "unchanged")
        case .create:
            report(.creating, nil)
            if try await adoptExisting(service) { return }
            do {
                _ = try await client.createContainer(ContainerSpecBuilder.container(service, in: plan.pod, hostGateway: hostGateway))
            } catch let error as PodmanError
                where error.httpStatus == 500 && (error.serverMessage ?? "").contains("already in use")
            {
                // A run interrupted while it created this container (SIGINT, or a second run at once) left the
                // create going on in Podman: the name is taken before the container shows in any list. It is
                // waited for (a create takes Podman a second at most), then taken as found. A name that stays
                // taken by nothing Podman lists is a storage-only container: what a create leaves when the
                // service itself is killed in the middle of it, or another tool's.
                let deadline = ContinuousClock.now + .seconds(10)
                while ContinuousClock.now < deadline {
                    try await Task.sleep(for: .milliseconds(300))
                    if try await adoptExisting(service) { return }
                }
                throw PodstackError.nameHeldInStorage(name: service.containerName)
            }
        case .recreate, .replaceStuck:
            report(
                .creating,
                action == .recreate
                    ? "definition changed: replacing the container"
                    : "stuck in \"stopping\" with its conmon gone: replacing the container")
            try await client.removeContainer(
                service.containerName, timeoutSeconds: service.stopGracePeriodSeconds ?? 10)
            _ = try await client.createContainer(ContainerSpecBuilder.container(service, in: plan.pod, hostGateway: hostGateway))
        case .restart:
            report(.stopping, "restarting after a dependency was replaced")
            try await client.stopContainer(service.containerName, timeoutSeconds: service.stopGracePeriodSeconds ?? 10)
        }
    }

    /// A container of the service's name that the plan did not see (it appeared since): podstack's own with
    /// this definition is kept (true); podstack's own with another definition is removed, to be made anew
    /// (false); anyone else's is left alone, and said so. False as well when there is none. Its own means
    /// this pod's and service's labels and membership of this pod: labels alone can be copied.
    private func adoptExisting(_ service: ServiceDefinition) async throws -> Bool {
        guard try await client.containerExists(service.containerName) else { return false }
        let inspect = try await client.inspectContainer(service.containerName)
        let labels = inspect.config?.labels ?? [:]
        var inPod = false
        if let memberOf = inspect.pod, !memberOf.isEmpty {
            inPod = try await client.inspectPod(plan.pod.name).id == memberOf
        }
        guard inPod, labels[StackLabels.stack] == plan.pod.name, labels[StackLabels.service] == service.name else {
            throw PodstackError.nameTaken(kind: "container", name: service.containerName)
        }
        if ConfigDigest.matches(labels[StackLabels.configHash], service) { return true }
        try await client.removeContainer(service.containerName, timeoutSeconds: service.stopGracePeriodSeconds ?? 10)
        return false
    }

    /// A dependency that was healthy when it was recorded may have turned unhealthy since (while this
    /// service waited for its other dependencies); one more probe just before the start tells.
    private func confirmDependenciesStillHealthy(_ service: ServiceDefinition, board: ServiceBoard) async throws {
        for dependency in service.dependsOn where dependency.condition == .healthy && dependency.required {
            guard plan.pod.service(named: dependency.service)?.healthcheck != nil else { continue }
            // A verdict younger than a second is fresh enough; re-probing it would only delay the start.
            if let reached = await board.reachedAt(.healthy, of: dependency.service),
                ContinuousClock.now - reached < .seconds(1)
            {
                continue
            }
            let container = ServiceDefinition.containerName(pod: plan.pod.name, service: dependency.service)
            let check = plan.pod.service(named: dependency.service)?.healthcheck
            // One failed probe may be a blip, so a few quick probes decide. Podman's own aggregate cannot:
            // without its timers nobody has probed the dependency since it was recorded healthy.
            var passed = false
            for attempt in 0..<min(max(check?.retries ?? 1, 1), 3) where !passed {
                if attempt > 0 { try await Task.sleep(for: .milliseconds(200)) }
                do {
                    let probe = try await client.runHealthcheck(
                        container, probeTimeout: .seconds(check?.timeoutSeconds ?? 30))
                    passed = probe.status == .healthy
                } catch let error as PodmanError where error.httpStatus != nil {
                    passed = false  // 409: not running; 500: the probe failed to run
                } catch PodmanError.transport(.timedOut, _) {
                    passed = false
                }
            }
            if !passed {
                throw DependencyTurnedUnhealthy(service: dependency.service, container: container)
            }
        }
    }

    /// A dependency that was healthy when recorded failed its probe just before this service's start.
    struct DependencyTurnedUnhealthy: Error {
        var service: String
        var container: String
    }

    static func describe(_ error: any Error) -> String {
        switch error {
        case let turned as DependencyTurnedUnhealthy:
            return "not started: \(turned.service) turned unhealthy after being healthy; its log tail follows"
        case let notReady as ReadinessWaiter.NotReady: return notReady.description
        case let podman as PodmanError: return podman.serverMessage ?? "\(podman)"
        default: return "\(error)"
        }
    }
}
