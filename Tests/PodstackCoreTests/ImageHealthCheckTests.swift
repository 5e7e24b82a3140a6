import PodmanAPI
import PodstackCompose
import Testing

@testable import PodstackCore

/// An image's HEALTHCHECK, read from a container's inspect, as the check `up` waits for.
@Suite("An image's HEALTHCHECK as a health check")
struct ImageHealthCheckTests {
    @Test("nanoseconds become seconds; zero or absent timings and retries take Docker's defaults")
    func timings() throws {
        let given = try #require(
            HealthCheck(
                imageCheck: .init(
                    test: ["CMD", "standin-health"], intervalNanoseconds: 1_500_000_000,
                    timeoutNanoseconds: 5_000_000_000, startPeriodNanoseconds: 0, retries: 7)))
        #expect(given == HealthCheck(test: ["CMD", "standin-health"], intervalSeconds: 1.5, timeoutSeconds: 5, retries: 7))
        let bare = try #require(HealthCheck(imageCheck: .init(test: ["CMD-SHELL", "true"])))
        #expect(bare == HealthCheck(test: ["CMD-SHELL", "true"]))
    }

    @Test("no test, NONE, or a test without a command is no check")
    func none() {
        #expect(HealthCheck(imageCheck: .init(test: nil)) == nil)
        #expect(HealthCheck(imageCheck: .init(test: ["NONE"])) == nil)
        #expect(HealthCheck(imageCheck: .init(test: ["CMD"])) == nil)
    }
}
