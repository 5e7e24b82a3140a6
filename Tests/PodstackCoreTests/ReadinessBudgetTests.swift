import PodstackCompose
import Testing

@testable import PodstackCore

/// The compose budget of a health check, as `ReadinessWaiter` spends it.
@Suite("Health-check budget")
struct ReadinessBudgetTests {
    let check = HealthCheck(test: ["CMD", "true"], intervalSeconds: 1, timeoutSeconds: 10, startPeriodSeconds: 5, retries: 3)

    @Test("one probe that takes its whole timeout is one failed check: the budget needs `retries` of them")
    func slowProbeIsOneFailure() {
        var budget = HealthBudget(check: check)
        budget.recordFailure(probeStartedAfter: .seconds(6))
        #expect(!budget.isSpent(after: .seconds(16)))
        budget.recordFailure(probeStartedAfter: .seconds(16))
        budget.recordFailure(probeStartedAfter: .seconds(26))
        #expect(budget.isSpent(after: .seconds(36)))
    }

    @Test("failures within start_period do not count, and enough failures alone do not spend the wall time")
    func startPeriodAndWallTime() {
        var budget = HealthBudget(check: check)
        for tenth in 0..<50 { budget.recordFailure(probeStartedAfter: .milliseconds(100 * tenth)) }
        #expect(budget.failuresCounted == 0)
        for tenth in 50..<60 { budget.recordFailure(probeStartedAfter: .milliseconds(100 * tenth)) }
        #expect(budget.failuresCounted == 10)
        #expect(!budget.isSpent(after: .seconds(8)))
        #expect(budget.isSpent(after: .seconds(8.1)))
    }
}
