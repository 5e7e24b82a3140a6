import PodstackHost

/// Everything preflight reads from the host, read at most once per run and only when needed: the
/// socket tables always (filtered to the claimed ports), the /proc/*/fd walk only when a claimed port
/// is held, the cgroup tree and unit directories only when a holder is uncertain or a port is free and
/// a boot-time warning must be looked for.
final class HostView {
    let root: String
    let processes: ProcessTable
    let units: UnitDirectories
    let cgroups: CgroupTree
    private(set) var unreadableTables: [String] = []

    init(root: String, assumeUnreadableFds: Bool) {
        self.root = root
        self.processes = ProcessTable(root: root, assumeUnreadableFds: assumeUnreadableFds)
        self.units = UnitDirectories(root: root)
        self.cgroups = CgroupTree(root: root)
    }

    /// The tables of the given transports, parsed once, keeping only sockets on claimed ports. The
    /// kernel formats these files on every read, which costs more than parsing them (about 10 ms for
    /// 3,000 sockets), so a table no held claim needs is not read at all.
    func sockets(onPorts ports: Set<Int>, transports: Set<TransportProtocol>) -> [SocketEntry] {
        let tables: [(String, TransportProtocol, Bool)] = [
            ("tcp", .tcp, false), ("tcp6", .tcp, true), ("udp", .udp, false), ("udp6", .udp, true),
        ]
        var entries: [SocketEntry] = []
        for (name, transport, isIPv6) in tables where transports.contains(transport) {
            switch HostFiles.readBytes("\(processes.procDirectory)/net/\(name)") {
            case .success(let bytes):
                entries += SocketTableParser.parse(bytes, transport: transport, isIPv6: isIPv6, wantedPorts: ports)
            case .failure(.missing) where isIPv6:
                // A kernel without IPv6 has no tcp6/udp6; nothing can hold a port there.
                continue
            case .failure:
                unreadableTables.append("/proc/net/\(name)")
            }
        }
        return entries
    }

    private var cachedDetails: [Int: ProcessDetails] = [:]
    func details(of pid: Int) -> ProcessDetails {
        if let known = cachedDetails[pid] { return known }
        let details = processes.details(of: pid)
        cachedDetails[pid] = details
        return details
    }

    private(set) lazy var userNames: [Int: String] = PasswdFile(root: root).userNames

    private(set) lazy var runningUnits: [RunningUnit] = cgroups.runningUnits()
    private(set) lazy var enabledUnits: [EnabledUnit] = units.enabledUnits()

    private var cachedUnitPorts: [String: [Int]] = [:]
    func ports(ofUnit name: String, scope: UnitScope) -> [Int] {
        let key = "\(scope.rawValue):\(name)"
        if let known = cachedUnitPorts[key] { return known }
        let ports = units.ports(ofUnit: name, scope: scope)
        cachedUnitPorts[key] = ports
        return ports
    }
}
