import Foundation
import PodstackCompose

/// The milestones each service of a pod has reached, and the services waiting for them.
///
/// A dependent waits for exactly the milestone its `depends_on` condition names, so it starts as soon as
/// that condition holds rather than when a whole dependency "level" is done: the stack comes up along its
/// critical path. A service that fails (or is skipped) wakes its waiters with the failure.
actor ServiceBoard {
    enum Milestone: Sendable, Hashable {
        /// Its container exists (made, replaced, or kept).
        case created
        case started, healthy, completed

        init(_ condition: Dependency.Condition) {
            switch condition {
            case .started: self = .started
            case .healthy: self = .healthy
            case .completedSuccessfully: self = .completed
            }
        }
    }

    struct DependencyFailed: Error, Sendable {
        var service: String
        var reason: String
    }

    private var reached: [String: [Milestone: ContinuousClock.Instant]] = [:]
    private var failures: [String: String] = [:]
    private var waiters:
        [UUID: (service: String, milestone: Milestone, continuation: CheckedContinuation<Void, Error>)] = [:]

    func record(_ milestone: Milestone, for service: String) {
        reached[service, default: [:]][milestone] = reached[service]?[milestone] ?? .now
        for (id, waiter) in waiters where waiter.service == service && waiter.milestone == milestone {
            waiters[id] = nil
            waiter.continuation.resume()
        }
    }

    func fail(_ service: String, reason: String) {
        failures[service] = reason
        for (id, waiter) in waiters where waiter.service == service {
            waiters[id] = nil
            waiter.continuation.resume(throwing: DependencyFailed(service: service, reason: reason))
        }
    }

    /// When `service` reached `milestone`, if it has.
    func reachedAt(_ milestone: Milestone, of service: String) -> ContinuousClock.Instant? {
        reached[service]?[milestone]
    }

    /// Returns when `service` reaches `milestone`; throws `DependencyFailed` if it fails first, and
    /// `CancellationError` when the waiting task is cancelled.
    func wait(for milestone: Milestone, of service: String) async throws {
        if reached[service]?[milestone] != nil { return }
        if let reason = failures[service] { throw DependencyFailed(service: service, reason: reason) }
        let id = UUID()
        try await withTaskCancellationHandler {
            try await withCheckedThrowingContinuation { (continuation: CheckedContinuation<Void, Error>) in
                if Task.isCancelled {
                    continuation.resume(throwing: CancellationError())
                } else {
                    waiters[id] = (service, milestone, continuation)
                }
            }
        } onCancel: {
            Task { await self.cancelWaiter(id) }
        }
    }

    private func cancelWaiter(_ id: UUID) {
        waiters.removeValue(forKey: id)?.continuation.resume(throwing: CancellationError())
    }
}
