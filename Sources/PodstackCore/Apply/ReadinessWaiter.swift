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
/// start_period + interval × retries. Guarded by `UpIntegrationTests.neverHealthyDependency`.
struct ReadinessWaiter: Sendable {
    let client: PodmanClient
    /// When this service's wait ends: `--wait-timeout` after its start.
    let deadline: ContinuousClock.Instant

    struct NotReady: Error, Sendable {
        var reason: String
    }

    private static let fastPoll = Duration.milliseconds(150)
    private static let slowPoll = Duration.seconds(1)
    private static let fastPollWindow = Duration.seconds(10)

    /// Returns once a probe passes. Throws `NotReady` when the container exits, crash-loops, keeps failing
    /// past its budget, or the deadline passes.
    func waitHealthy(container: String, check: HealthCheck) async throws {
        let started = ContinuousClock.now
        let budget = Duration.seconds(check.startPeriodSeconds + check.intervalSeconds * Double(max(check.retries, 1)))
        let initialRestarts = try await client.inspectContainer(container).RestartCount ?? 0
        var lastOutput = ""
        while true {
            try Task.checkCancellation()
            do {
                let probe = try await client.runHealthcheck(container, probeTimeout: .seconds(check.timeoutSeconds))
                if probe.Status == "healthy" { return }
            } catch PodmanError.transport(.timedOut, _) {
                // The probe outlived its own timeout and the request's margin: a failed probe, not a lost service.
                lastOutput = "the check did not finish within \(check.timeoutSeconds) s"
            } catch let error as PodmanError where error.httpStatus == 409 || error.httpStatus == 500 {
                // 409: not running (inspect below says why); 500: the probe itself timed out.
                lastOutput = Self.oneLine(error.serverMessage ?? "")
            }
            let inspect = try await client.inspectContainer(container)
            let state = inspect.State
            if state.Status != "running" {
                throw NotReady(reason: "exited with code \(state.ExitCode ?? -1) before becoming healthy")
            }
            if let probes = state.Health?.Log, let last = probes.last?.Output, !last.isEmpty {
                lastOutput = Self.oneLine(last)
            }
            let restarts = inspect.RestartCount ?? 0
            if restarts > initialRestarts {
                throw NotReady(
                    reason: "crash-looping: restarted \(restarts - initialRestarts) time(s) while waiting for healthy")
            }
            let now = ContinuousClock.now
            if now - started > budget {
                throw NotReady(
                    reason:
                        "unhealthy: its check kept failing for \(Self.seconds(now - started)) s (start_period + interval × retries)"
                        + (lastOutput.isEmpty ? "" : "; last check said: \(lastOutput.prefix(200))"))
            }
            if now >= deadline {
                throw NotReady(
                    reason: "not healthy within the wait timeout"
                        + (lastOutput.isEmpty ? "" : "; last check said: \(lastOutput.prefix(200))"))
            }
            try await Task.sleep(for: now - started < Self.fastPollWindow ? Self.fastPoll : Self.slowPoll)
        }
    }

    /// Returns once the container has exited with code 0 (`service_completed_successfully`).
    func waitCompleted(container: String) async throws {
        let started = ContinuousClock.now
        while true {
            try Task.checkCancellation()
            let state = try await client.inspectContainer(container).State
            if state.Status == "exited" || state.Status == "stopped" {
                if state.ExitCode == 0 { return }
                throw NotReady(
                    reason: "exited with code \(state.ExitCode ?? -1); dependents need it to complete successfully")
            }
            if ContinuousClock.now >= deadline { throw NotReady(reason: "did not complete within the wait timeout") }
            try await Task.sleep(
                for: ContinuousClock.now - started < Self.fastPollWindow ? Self.fastPoll : Self.slowPoll)
        }
    }

    /// Confirms the container is running a moment after start (a process that dies at once is caught here).
    func confirmRunning(container: String) async throws {
        let state = try await client.inspectContainer(container).State
        if state.Status == "exited" || state.Status == "stopped" {
            if state.ExitCode == 0 { return }
            throw NotReady(reason: "exited with code \(state.ExitCode ?? -1) right after start")
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
