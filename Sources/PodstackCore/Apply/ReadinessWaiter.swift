import Foundation
import PodmanAPI
import PodstackCompose

/// Waits for one container to be healthy or to complete, driving its health check itself.
///
/// Podman runs checks on timers that it asks systemd to create; where there is no systemd (CI containers,
/// WSL, minimal hosts) the status stays `starting` forever (notes: "the health-check trap"). So this calls
/// `GET /containers/{name}/healthcheck` on a short poll, which works everywhere and does not wait for the
/// check's interval. Because it probes faster than the interval, Podman's own failing streak would reach
/// `unhealthy` early; the budget a slow starter gets is therefore the compose one, in wall time:
/// start_period + interval × retries. And as in compose, `retries` counts failed checks: a service is
/// unhealthy only once that many probes, started after start_period, have failed too. On a busy machine one
/// probe can take its whole timeout (an exec on two loaded cores took over 10 s in a CI run); that is one
/// failed check, not the end of the budget. Guarded by `UpIntegrationTests.neverHealthyDependency` and
/// `ReadinessBudgetTests`.
struct ReadinessWaiter: Sendable {
    let client: PodmanClient
    /// When this service's wait ends: `--wait-timeout` after its start.
    let deadline: ContinuousClock.Instant

    /// Why a service did not become ready, each its own case; `description` is the report's sentence.
    enum NotReady: Error, Sendable, Equatable, CustomStringConvertible {
        case exitedBeforeHealthy(exitCode: Int)
        case crashLooping(restarts: Int)
        /// Its check kept failing for the whole compose budget (start_period + interval × retries).
        case unhealthy(seconds: String, lastCheck: String)
        case notHealthyInTime(lastCheck: String)
        case failedToComplete(exitCode: Int)
        case notCompletedInTime
        case exitedAtStart(exitCode: Int)

        var description: String {
            switch self {
            case .exitedBeforeHealthy(let code): "exited with code \(code) before becoming healthy"
            case .crashLooping(let times): "crash-looping: restarted \(times) time(s) while waiting for healthy"
            case .unhealthy(let seconds, let lastCheck):
                "unhealthy: its check kept failing for \(seconds) s (start_period + interval × retries)"
                    + Self.saying(lastCheck)
            case .notHealthyInTime(let lastCheck): "not healthy within the wait timeout" + Self.saying(lastCheck)
            case .failedToComplete(let code):
                "exited with code \(code); dependents need it to complete successfully"
            case .notCompletedInTime: "did not complete within the wait timeout"
            case .exitedAtStart(let code): "exited with code \(code) right after start"
            }
        }

        private static func saying(_ lastCheck: String) -> String {
            lastCheck.isEmpty ? "" : "; last check said: \(lastCheck.prefix(200))"
        }
    }

    /// Probes start this often, counted from one probe's start to the next (a probe itself takes 40-80 ms
    /// on Podman 4.3), for the first `fastPollWindow` of the wait; then once a second. A probe is an exec in
    /// the container, work for Podman and the CPU: the period is at least twice the last probe's time, so
    /// that probing takes at most half of what it waits for, and backs off by itself when Podman is slow
    /// (many services waiting at once on two cores).
    private static let fastPoll = Duration.milliseconds(100)
    private static let slowPoll = Duration.seconds(1)
    private static let fastPollWindow = Duration.seconds(10)
    /// How often the container's state (exited? restarted?) is read between probes that answer normally. A
    /// probe of a container that is not running fails with 409, which reads the state at once.
    private static let stateCheckInterval = Duration.seconds(1)

    /// Returns once a probe passes. Throws `NotReady` when the container exits, crash-loops, keeps failing
    /// past its budget, or the deadline passes.
    func waitHealthy(container: String, check: HealthCheck) async throws {
        let started = ContinuousClock.now
        var budget = HealthBudget(check: check)
        let initialRestarts = try await client.inspectContainer(container).restartCount ?? 0
        var lastOutput = ""
        var stateReadAt = started
        while true {
            try Task.checkCancellation()
            let probeStarted = ContinuousClock.now
            var stateNeeded = probeStarted - stateReadAt >= Self.stateCheckInterval
            do {
                let probe = try await client.runHealthcheck(container, probeTimeout: .seconds(check.timeoutSeconds))
                if probe.status == .healthy { return }
                budget.recordFailure(probeStartedAfter: probeStarted - started)
                if let output = probe.log?.last?.output, !output.isEmpty { lastOutput = Self.oneLine(output) }
            } catch PodmanError.transport(.timedOut, _) {
                // The probe outlived its own timeout and the request's margin: a failed probe, not a lost service.
                lastOutput = "the check did not finish within \(check.timeoutSeconds) s"
                budget.recordFailure(probeStartedAfter: probeStarted - started)
                stateNeeded = true
            } catch let error as PodmanError where error.httpStatus == 409 || error.httpStatus == 500 {
                // 409: not running (the state read below says why); 500: the probe itself timed out.
                lastOutput = Self.oneLine(error.serverMessage ?? "")
                budget.recordFailure(probeStartedAfter: probeStarted - started)
                stateNeeded = true
            }
            if stateNeeded {
                let inspect = try await client.inspectContainer(container)
                stateReadAt = ContinuousClock.now
                if inspect.state.status != .running {
                    throw NotReady.exitedBeforeHealthy(exitCode: inspect.state.exitCode ?? -1)
                }
                let restarts = inspect.restartCount ?? 0
                if restarts > initialRestarts {
                    throw NotReady.crashLooping(restarts: restarts - initialRestarts)
                }
            }
            let now = ContinuousClock.now
            if budget.isSpent(after: now - started) {
                throw NotReady.unhealthy(seconds: Self.seconds(now - started), lastCheck: lastOutput)
            }
            if now >= deadline {
                throw NotReady.notHealthyInTime(lastCheck: lastOutput)
            }
            // The next probe starts a period after this one started, not a period after it ended: what a
            // service waits beyond its own readiness is then at most one period plus one probe.
            let period = Self.probePeriod(after: now - started, lastProbe: now - probeStarted, check: check)
            try await Task.sleep(until: probeStarted + period, clock: .continuous)
        }
    }

    /// From one probe's start to the next. During start_period a `start_interval` sets the period, as in
    /// compose, never below the fast poll; otherwise the waiter's own schedule. podstack does not send it to
    /// Podman, which would not use it: 4.3's health config has no such field; 5.x keeps an image's
    /// StartInterval but its timer (which needs systemd, so podstack does not rely on it) runs at `interval`
    /// only (podman#26505, still so in 5.8); its `--health-startup-*` checks are another feature.
    static func probePeriod(after elapsed: Duration, lastProbe: Duration, check: HealthCheck) -> Duration {
        let base: Duration
        if let startInterval = check.startIntervalSeconds, elapsed < .seconds(check.startPeriodSeconds) {
            base = max(fastPoll, .seconds(startInterval))
        } else {
            base = elapsed < fastPollWindow ? fastPoll : slowPoll
        }
        return max(base, lastProbe * 2)
    }

    /// Returns once the container has exited with code 0 (`service_completed_successfully`).
    func waitCompleted(container: String) async throws {
        let started = ContinuousClock.now
        while true {
            try Task.checkCancellation()
            let state = try await client.inspectContainer(container).state
            if state.status.hasEnded {
                if state.exitCode == 0 { return }
                throw NotReady.failedToComplete(exitCode: state.exitCode ?? -1)
            }
            if ContinuousClock.now >= deadline { throw NotReady.notCompletedInTime }
            try await Task.sleep(
                for: ContinuousClock.now - started < Self.fastPollWindow ? Self.fastPoll : Self.slowPoll)
        }
    }

    /// Confirms the container is running a moment after start (a process that dies at once is caught here).
    func confirmRunning(container: String) async throws {
        let state = try await client.inspectContainer(container).state
        if state.status.hasEnded {
            if state.exitCode == 0 { return }
            throw NotReady.exitedAtStart(exitCode: state.exitCode ?? -1)
        }
    }

    /// Check output can span lines; reports keep it on one.
    static func oneLine(_ text: String) -> String {
        text.split(whereSeparator: \.isNewline).map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }
            .joined(separator: " / ")
    }

    static func seconds(_ duration: Duration) -> String {
        String(format: "%.1f", Double(duration.components.seconds) + Double(duration.components.attoseconds) / 1e18)
    }
}

/// The compose budget of a health check: start_period + interval × retries of wall time, and `retries` failed
/// checks started after start_period. Both must be spent before a service is called unhealthy.
struct HealthBudget: Sendable, Equatable {
    let startPeriod: Duration
    let wallTime: Duration
    let retries: Int
    private(set) var failuresCounted = 0

    init(check: HealthCheck) {
        startPeriod = .seconds(check.startPeriodSeconds)
        retries = max(check.retries, 1)
        wallTime = .seconds(check.startPeriodSeconds + check.intervalSeconds * Double(retries))
    }

    /// A failed probe; one that started within start_period does not count, as in compose.
    mutating func recordFailure(probeStartedAfter elapsed: Duration) {
        if elapsed >= startPeriod { failuresCounted += 1 }
    }

    func isSpent(after elapsed: Duration) -> Bool {
        elapsed > wallTime && failuresCounted >= retries
    }
}
