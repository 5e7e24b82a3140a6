/// CPU, memory and process limits of one container: `mem_limit`, `memswap_limit`, `mem_reservation`,
/// `cpus`, `cpu_shares`, `cpuset`, `pids_limit`, and the same from `deploy.resources`. Nil is Podman's
/// default (no limit), so a service that sets none of them makes the same container as before.
public struct ResourceLimits: Sendable, Codable, Hashable {
    public var memoryBytes: Int64?
    /// Memory and swap together, as compose and the OCI spec count it; -1 is unlimited swap.
    public var memorySwapBytes: Int64?
    public var memoryReservationBytes: Int64?
    /// CPUs' worth of time per period (`0.5` is half a CPU), Podman's `--cpus`.
    public var cpus: Double?
    /// The relative CPU weight (1024 is the default share); also what `reservations.cpus` becomes.
    public var cpuShares: Int?
    /// CPUs the container may run on, as the kernel writes them (`0-3`, `0,2`).
    public var cpuset: String?
    public var pids: Int?

    public init() {}

    public var isEmpty: Bool { self == ResourceLimits() }

    /// The cgroup controllers these limits need, as the kernel names them.
    public var cgroupControllers: Set<String> {
        var controllers: Set<String> = []
        let memory = [memoryBytes, memorySwapBytes, memoryReservationBytes]
        if memory.contains(where: { $0 != nil }) { controllers.insert("memory") }
        if cpus != nil || cpuShares != nil { controllers.insert("cpu") }
        if cpuset != nil { controllers.insert("cpuset") }
        if pids != nil { controllers.insert("pids") }
        return controllers
    }

    /// The CFS period Podman uses for `--cpus`, in microseconds; the quota is `cpus` periods' worth.
    public static let cpuPeriodMicroseconds = 100_000

    public var cpuQuotaMicroseconds: Int? {
        cpus.map { Int(($0 * Double(Self.cpuPeriodMicroseconds)).rounded()) }
    }
}
