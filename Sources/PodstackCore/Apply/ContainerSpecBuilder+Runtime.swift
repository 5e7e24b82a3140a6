import PodmanAPI
import PodstackCompose

extension ContainerSpecBuilder {
    /// The create spec's `resource_limits`, nil when the service sets none, so other services' bodies stay
    /// as they were. Sent even where rootless Podman will drop them (cgroups v1): preflight warns there.
    static func resourceLimits(_ limits: ResourceLimits) -> Podman.ContainerCreateSpec.ResourceLimits? {
        guard !limits.isEmpty else { return nil }
        var spec = Podman.ContainerCreateSpec.ResourceLimits()
        if limits.memoryBytes != nil || limits.memorySwapBytes != nil || limits.memoryReservationBytes != nil {
            spec.memory = .init(
                limit: limits.memoryBytes, reservation: limits.memoryReservationBytes, swap: limits.memorySwapBytes)
        }
        if limits.cpus != nil || limits.cpuShares != nil || limits.cpuset != nil {
            spec.cpu = .init(
                shares: limits.cpuShares.map { UInt64($0) }, quota: limits.cpuQuotaMicroseconds.map { Int64($0) },
                period: limits.cpus == nil ? nil : UInt64(ResourceLimits.cpuPeriodMicroseconds), cpus: limits.cpuset)
        }
        spec.pids = limits.pids.map { .init(limit: Int64($0)) }
        return spec
    }
}

extension ContainerSpecBuilder {
    /// `keep-id:uid=1000,gid=1000` is nsmode keep-id with its options as the value, as Podman's CLI splits it.
    static func userNamespace(_ mode: String) -> Podman.Namespace {
        guard let colon = mode.firstIndex(of: ":") else { return Podman.Namespace(nsmode: mode) }
        return Podman.Namespace(nsmode: String(mode[..<colon]), value: String(mode[mode.index(after: colon)...]))
    }

    /// The create spec's log configuration: `tag` travels among the options, as Podman's CLI sends it.
    static func logConfiguration(_ logging: LoggingSettings) -> Podman.ContainerCreateSpec.LogConfiguration {
        Podman.ContainerCreateSpec.LogConfiguration(
            driver: logging.driver, path: logging.path, size: logging.maxSizeBytes,
            options: logging.tag.map { ["tag": $0] })
    }
}
