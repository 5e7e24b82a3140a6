import PodstackHost

/// Names the holder of a port that the bind probe found taken and Podman's list did not explain.
/// `load` reads the socket tables and walks /proc/*/fd once for every such port together.
final class HolderFinder {
    let host: HostView
    let matcher: ServiceMatcher
    private var sockets: [SocketEntry] = []
    private var owners = ProcessTable.SocketOwners()

    var unreadableProcessCount: Int { owners.unreadableProcessCount }

    init(host: HostView, matcher: ServiceMatcher) {
        self.host = host
        self.matcher = matcher
    }

    func load(claims: [(PortClaim, HostAddress)]) {
        sockets = host.sockets(onPorts: Set(claims.map(\.0.port)), transports: Set(claims.map(\.0.transport)))
        let wanted = claims.flatMap { claim, address in blockingSockets(for: claim, at: address).map(\.inode) }
        owners = host.processes.owners(of: Set(wanted.filter { $0 != 0 }))
    }

    /// Sockets that stop the claim: same port and protocol, overlapping address; the exact address
    /// first, since that is the one a person expects to hear about.
    func blockingSockets(for claim: PortClaim, at address: HostAddress) -> [SocketEntry] {
        sockets.filter { $0.port == claim.port && $0.transport == claim.transport && $0.address.overlaps(address) }
            .sorted { ($0.address == address ? 0 : 1, $0.inode) < ($1.address == address ? 0 : 1, $1.inode) }
    }

    func holder(for claim: PortClaim, at address: HostAddress) -> PortHolder {
        let blocking = blockingSockets(for: claim, at: address)
        if let mapped = blocking.first(where: { owners.pidByInode[$0.inode] != nil }),
            let pid = owners.pidByInode[mapped.inode]
        {
            return certainHolder(pid: pid, socket: mapped)
        }
        guard let socket = blocking.first else { return .unidentified }
        return likelyHolder(socketUID: socket.uid, claim: claim)
    }

    private func certainHolder(pid: Int, socket: SocketEntry) -> PortHolder {
        let details = host.details(of: pid)
        let uid = details.uid ?? socket.uid
        return PortHolder(
            pid: pid, processName: details.name, executable: details.executable, uid: uid,
            userName: host.userNames[uid], kind: details.cgroupPath.map(CgroupClassifier.classify(path:)) ?? .unknown,
            certainty: .certain)
    }

    /// Only the socket's uid is known. Running units with a process of that uid whose name is the
    /// service's program, or whose unit file names the port, are the candidates; port matches first.
    private func likelyHolder(socketUID uid: Int, claim: PortClaim) -> PortHolder {
        var scored: [(score: Int, unit: RunningUnit, pid: Int)] = []
        for unit in host.runningUnits {
            let namesPort = host.ports(ofUnit: unit.name, scope: unit.scope).contains(claim.port)
            let namesService = matcher.unitNameMatches(unit: unit.name, service: claim.service)
            guard namesPort || namesService,
                let pid = unit.pids.first(where: { host.details(of: $0).uid == uid })
            else { continue }
            scored.append((namesPort ? 0 : 1, unit, pid))
        }
        scored.sort { ($0.score, $0.unit.name) < ($1.score, $1.unit.name) }
        guard let best = scored.first else {
            return PortHolder(uid: uid, userName: host.userNames[uid], kind: .unknown, certainty: .likely)
        }
        let details = host.details(of: best.pid)
        return PortHolder(
            pid: best.pid, processName: details.name, executable: details.executable, uid: uid,
            userName: host.userNames[uid], kind: best.unit.kind, certainty: .likely,
            candidates: scored.map(\.unit.name))
    }
}
