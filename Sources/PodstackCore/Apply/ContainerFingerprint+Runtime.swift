import PodstackCompose

extension ContainerFingerprint {
    /// Memory, CPU and pids limits; only the keys the service sets are written. CPUs in thousandths, so that
    /// the digest does not hang on how a Double is printed.
    struct Resources: Encodable, Equatable {
        var limits: ResourceLimits

        enum CodingKeys: String, CodingKey {
            case memory, memorySwap = "memswap", memoryReservation = "mem_reservation", milliCPUs = "millicpus"
            case cpuShares = "cpu_shares", cpuset, pids
        }

        func encode(to encoder: any Encoder) throws {
            var keyed = encoder.container(keyedBy: CodingKeys.self)
            try keyed.encodeIfPresent(limits.memoryBytes, forKey: .memory)
            try keyed.encodeIfPresent(limits.memorySwapBytes, forKey: .memorySwap)
            try keyed.encodeIfPresent(limits.memoryReservationBytes, forKey: .memoryReservation)
            try keyed.encodeIfPresent(limits.cpus.map { Int(($0 * 1000).rounded()) }, forKey: .milliCPUs)
            try keyed.encodeIfPresent(limits.cpuShares, forKey: .cpuShares)
            try keyed.encodeIfPresent(limits.cpuset, forKey: .cpuset)
            try keyed.encodeIfPresent(limits.pids, forKey: .pids)
        }
    }
}

extension ContainerFingerprint {
    /// `logging:`; an empty object when the file says `logging: {}`, which still names Podman's default.
    struct Logging: Encodable, Equatable {
        var settings: LoggingSettings

        enum CodingKeys: String, CodingKey { case driver, maxSize = "max_size", path, tag }

        func encode(to encoder: any Encoder) throws {
            var keyed = encoder.container(keyedBy: CodingKeys.self)
            try keyed.encodeIfPresent(settings.driver, forKey: .driver)
            try keyed.encodeIfPresent(settings.maxSizeBytes, forKey: .maxSize)
            try keyed.encodeIfPresent(settings.path, forKey: .path)
            try keyed.encodeIfPresent(settings.tag, forKey: .tag)
        }
    }
}
