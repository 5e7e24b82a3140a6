/// A systemd unit that is running now: its cgroup exists and has processes.
public struct RunningUnit: Sendable, Hashable {
    /// `.systemUnit` or `.userUnit`.
    public var kind: HolderKind
    public var name: String
    /// Every process in the unit's cgroup and the cgroups below it.
    public var pids: [Int]

    /// Whose manager runs it: `.user` for a unit under `user@UID.service`, else `.system`.
    public var scope: UnitScope {
        switch kind {
        case .userUnit: return .user
        case .systemUnit, .podmanContainer, .process, .unknown: return .system
        }
    }

    /// The name when this is a unit of the system manager, nil for a user's unit.
    public var systemUnitName: String? { scope == .system ? name : nil }
}

/// Reads the cgroup tree under `<root>/sys/fs/cgroup` to list running units. Everyone may read it, so
/// it still answers "which units have processes of uid 0" when /proc/PID/fd is closed to the user.
public struct CgroupTree: Sendable {
    public let cgroupRoot: String
    /// Deep enough for `user.slice/user-1000.slice/user@1000.service/app.slice/foo.service/sub`, shallow
    /// enough that a host with thousands of container cgroups is not walked to the leaves.
    static let maximumDepth = 8

    public init(root: String) {
        self.cgroupRoot = root.hasSuffix("/") ? root + "sys/fs/cgroup" : root + "/sys/fs/cgroup"
    }

    /// Where systemd keeps its tree: the unified mount on a v2 host (`cgroup.controllers` at the top),
    /// else the named v1 hierarchy `systemd`, else the hybrid host's `unified` mount.
    public var systemdHierarchy: String? {
        if HostFiles.exists("\(cgroupRoot)/cgroup.controllers") { return cgroupRoot }
        for name in ["systemd", "unified"] where HostFiles.isDirectory("\(cgroupRoot)/\(name)") {
            return "\(cgroupRoot)/\(name)"
        }
        return nil
    }

    /// Units with at least one process, each listed once with all its pids.
    public func runningUnits() -> [RunningUnit] {
        guard let hierarchy = systemdHierarchy else { return [] }
        var units: [HolderKind: RunningUnit] = [:]
        walk(directory: hierarchy, relativePath: "", depth: 0) { relativePath, pids in
            let kind = CgroupClassifier.classify(path: relativePath)
            switch kind {
            case .systemUnit(let name), .userUnit(_, let name):
                units[kind, default: RunningUnit(kind: kind, name: name, pids: [])].pids += pids
            case .podmanContainer, .process, .unknown:
                // Not a unit: a container's processes are Podman's to name, the rest no unit's.
                break
            }
        }
        return units.values.map { unit in
            var sorted = unit
            sorted.pids.sort()
            return sorted
        }.sorted { $0.name < $1.name }
    }

    private func walk(
        directory: String, relativePath: String, depth: Int, visit: (String, [Int]) -> Void
    ) {
        let procs = HostFiles.readText("\(directory)/cgroup.procs") ?? ""
        let pids = procs.split(separator: "\n").compactMap { parseDecimal($0.utf8) }
        if !pids.isEmpty { visit(relativePath, pids) }
        guard depth < Self.maximumDepth, case .success(let names) = HostFiles.list(directory) else { return }
        for name in names.sorted() where isCgroupName(name) || !name.contains(".") {
            let child = "\(directory)/\(name)"
            guard HostFiles.isDirectory(child) else { continue }
            walk(directory: child, relativePath: "\(relativePath)/\(name)", depth: depth + 1, visit: visit)
        }
    }

    /// Cgroup directories are named after units (`foo.service`, `app.slice`, `libpod-….scope`) or have
    /// no dot at all (cgroupfs `libpod_parent`); the control files beside them (`cgroup.procs`,
    /// `memory.max`) have a dot, so checking names first spares a stat per control file.
    private func isCgroupName(_ name: String) -> Bool {
        name.hasSuffix(".service") || name.hasSuffix(".slice") || name.hasSuffix(".scope")
    }
}
