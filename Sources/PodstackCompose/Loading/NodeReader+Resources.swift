extension NodeReader {
    /// `mem_limit`, `memswap_limit`, `mem_reservation`, `cpus`, `cpu_shares`, `cpuset`, `pids_limit`, and
    /// `deploy.resources.limits` (memory, cpus, pids) and `reservations` (memory, cpus), which mean the
    /// same: a key set both ways must agree. `reservations.cpus` becomes the CPU weight, as Kubernetes
    /// turns a CPU request into cpu.shares (1024 per CPU), so it must agree with `cpu_shares` too.
    mutating func readResources(_ keys: [String: MappingEntry], into service: inout ServiceDefinition, context: String)
    {
        var limits = ResourceLimits()
        limits.memoryBytes = keys["mem_limit"].flatMap { byteSize($0.value, "mem_limit of \(context)") }
        limits.memorySwapBytes = keys["memswap_limit"].flatMap { swapSize($0.value, "memswap_limit of \(context)") }
        limits.memoryReservationBytes = keys["mem_reservation"].flatMap {
            byteSize($0.value, "mem_reservation of \(context)")
        }
        limits.cpus = keys["cpus"].flatMap { cpuCount($0.value, "cpus of \(context)") }
        limits.cpuShares = keys["cpu_shares"].flatMap { int($0.value, "cpu_shares of \(context)", range: 2...262_144) }
        limits.cpuset = keys["cpuset"].flatMap { cpuList($0.value, "cpuset of \(context)") }
        limits.pids = keys["pids_limit"].flatMap { int($0.value, "pids_limit of \(context)", range: -1...Int.max) }
        readDeployResources(keys, into: &limits, context: context)
        if let memory = limits.memoryBytes, let swap = limits.memorySwapBytes, swap >= 0, swap < memory {
            report(
                keys["memswap_limit"]?.value, "memswap_limit of \(context) is less than its memory limit",
                hint: "memswap_limit counts memory and swap together; make it at least the memory limit, or -1")
        }
        service.resources = limits
    }

    private mutating func readDeployResources(
        _ keys: [String: MappingEntry], into limits: inout ResourceLimits, context: String
    ) {
        // readDeploy and readDevices report a deploy or resources that is not a mapping, and unknown keys.
        guard let resources = keys["deploy"]?.value.entries?.first(where: { $0.key == "resources" })?.value.entries
        else { return }
        let what = "deploy.resources of \(context)"
        if let node = resources.first(where: { $0.key == "limits" })?.value,
            let entries = mapping(node, "limits of \(what)")
        {
            let given = knownEntries(entries, allowed: ["memory", "cpus", "pids"], context: "limits of \(what)")
            if let entry = given["memory"], let bytes = byteSize(entry.value, "memory of limits of \(what)") {
                limits.memoryBytes = agreeing(limits.memoryBytes, bytes, "mem_limit", entry, keys, context)
            }
            if let entry = given["cpus"], let cpus = cpuCount(entry.value, "cpus of limits of \(what)") {
                limits.cpus = agreeing(limits.cpus, cpus, "cpus", entry, keys, context)
            }
            if let entry = given["pids"], let pids = int(entry.value, "pids of limits of \(what)", range: -1...Int.max)
            {
                limits.pids = agreeing(limits.pids, pids, "pids_limit", entry, keys, context)
            }
        }
        guard let reservations = resources.first(where: { $0.key == "reservations" })?.value.entries else { return }
        if let entry = reservations.first(where: { $0.key == "memory" }),
            let bytes = byteSize(entry.value, "memory of reservations of \(what)")
        {
            limits.memoryReservationBytes = agreeing(
                limits.memoryReservationBytes, bytes, "mem_reservation", entry, keys, context)
        }
        if let entry = reservations.first(where: { $0.key == "cpus" }),
            let cpus = cpuCount(entry.value, "cpus of reservations of \(what)")
        {
            let shares = min(262_144, max(2, Int((cpus * 1024).rounded())))
            limits.cpuShares = agreeing(limits.cpuShares, shares, "cpu_shares", entry, keys, context)
        }
    }

    /// The value from `deploy.resources`, reported when the service's own key says otherwise.
    private mutating func agreeing<Value: Equatable>(
        _ written: Value?, _ deployed: Value, _ key: String, _ entry: MappingEntry, _ keys: [String: MappingEntry],
        _ context: String
    ) -> Value {
        if let written, written != deployed, let other = keys[key].map({ location($0.keyNode) }) {
            report(
                entry.keyNode,
                "deploy.resources of \(context) sets \(entry.key) unlike \(key) at \(other.file):\(other.line)",
                hint: "they mean the same limit; keep one of them")
        }
        return deployed
    }

    /// A CPU count: a positive decimal (`0.5`, `'2'`).
    private mutating func cpuCount(_ node: ComposeNode, _ what: String) -> Double? {
        guard let text = nonEmptyString(node, what) else { return nil }
        guard let cpus = Double(text.trimmingWhitespace), cpus.isFinite, cpus >= 0.01, cpus <= 4096 else {
            report(node, "\(what) '\(text.prefix(40))' is not a number of CPUs", hint: "write it like 0.5 or 2")
            return nil
        }
        return cpus
    }

    /// `memswap_limit`: a size, or -1 for unlimited swap.
    private mutating func swapSize(_ node: ComposeNode, _ what: String) -> Int64? {
        if string(node, what)?.trimmingWhitespace == "-1" { return -1 }
        return byteSize(node, what)
    }

    /// `cpuset`: CPU numbers and ranges as the kernel takes them (`0-3,6`).
    private mutating func cpuList(_ node: ComposeNode, _ what: String) -> String? {
        guard let text = nonEmptyString(node, what)?.trimmingWhitespace else { return nil }
        let valid = text.split(separator: ",", omittingEmptySubsequences: false).allSatisfy { part in
            let bounds = part.split(separator: "-", omittingEmptySubsequences: false)
            return (1...2).contains(bounds.count) && bounds.allSatisfy { !$0.isEmpty && $0.allSatisfy(\.isASCIIDigit) }
        }
        guard valid else {
            report(node, "\(what) '\(text.prefix(40))' is not a list of CPUs", hint: "write it like 0-3 or 0,2")
            return nil
        }
        return text
    }
}
