import PodmanAPI
import PodstackCompose

extension HealthCheck {
    /// An image's HEALTHCHECK as a container's inspect shows it, with Docker's defaults where it gives none
    /// (zero); nil for none or `NONE`.
    init?(imageCheck config: Podman.ContainerInspect.HealthConfig) {
        guard let test = config.test, let kind = test.first, kind != "NONE", test.count > 1 else { return nil }
        func seconds(_ nanoseconds: Int64?, _ fallback: Double) -> Double {
            guard let nanoseconds, nanoseconds > 0 else { return fallback }
            return Double(nanoseconds) / 1_000_000_000
        }
        self.init(
            test: test, intervalSeconds: seconds(config.intervalNanoseconds, Self.defaultIntervalSeconds),
            timeoutSeconds: seconds(config.timeoutNanoseconds, Self.defaultTimeoutSeconds),
            startPeriodSeconds: seconds(config.startPeriodNanoseconds, Self.defaultStartPeriodSeconds),
            retries: (config.retries ?? 0) > 0 ? config.retries ?? Self.defaultRetries : Self.defaultRetries)
    }
}
