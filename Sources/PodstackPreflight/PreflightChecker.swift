import Foundation
import PodstackHost

/// Checks the host ports a stack wants before anything is created: free, ours, or held by whom.
/// The bind probe decides whether a port is free; /proc, the cgroup tree and the unit directories
/// explain who holds it and what will take it at boot.
public struct PreflightChecker: Sendable {
    public struct Options: Sendable {
        /// Behave as if every /proc/PID/fd were unreadable (EACCES), as it is for an ordinary user
        /// looking at root's processes: lets a root-run test see the unprivileged view.
        public var assumeUnreadableFds: Bool
        public var serviceMatcher: ServiceMatcher
        /// How many ports above a taken one to try when looking for a free one to move to.
        public var portSearchLimit: Int
        /// Who runs the check: a holder of another uid is stopped with `sudo`, and an enabled user unit is
        /// this user's own. The process's effective uid unless a caller says otherwise.
        public var ownUID: Int

        public init(
            assumeUnreadableFds: Bool = false, serviceMatcher: ServiceMatcher = ServiceMatcher(),
            portSearchLimit: Int = 200, ownUID: Int = Int(geteuid())
        ) {
            self.assumeUnreadableFds = assumeUnreadableFds
            self.serviceMatcher = serviceMatcher
            self.portSearchLimit = portSearchLimit
            self.ownUID = ownUID
        }
    }

    public let root: URL
    public let bindProbe: any BindProbe
    public let options: Options

    public init(
        root: URL = URL(fileURLWithPath: "/"), bindProbe: any BindProbe = SystemBindProbe(),
        options: Options = Options()
    ) {
        self.root = root
        self.bindProbe = bindProbe
        self.options = options
    }

    public func check(
        claims: [PortClaim], published: [PublishedPort], stackName: String, strict: Bool = false
    ) -> PreflightReport {
        let host = HostView(root: root.path, assumeUnreadableFds: options.assumeUnreadableFds)
        let probed = claims.map { claim -> (PortClaim, HostAddress?, BindOutcome) in
            guard let address = HostAddress(text: claim.hostIP) else { return (claim, nil, .invalidAddress) }
            return (claim, address, bindProbe.probe(address: address, port: claim.port, transport: claim.transport))
        }

        // Sockets are looked up only for held ports that Podman's list does not already explain, and
        // all of them in one pass over the tables and one walk over /proc/*/fd.
        var unexplained: [Int: (PortClaim, HostAddress)] = [:]
        for (index, (claim, address, outcome)) in probed.enumerated() {
            guard outcome == .inUse, let address, matchingPublished(claim, address, published).isEmpty else { continue }
            unexplained[index] = (claim, address)
        }
        let holderFinder = HolderFinder(host: host, matcher: options.serviceMatcher)
        if !unexplained.isEmpty {
            holderFinder.load(claims: Array(unexplained.values))
        }

        var rows: [PreflightReport.Row] = []
        for (index, (claim, address, outcome)) in probed.enumerated() {
            var verdict = verdictFor(
                claim, address, outcome, published: published, stackName: stackName,
                holder: {
                    guard let (claim, address) = unexplained[index] else { return .unidentified }
                    return holderFinder.holder(for: claim, at: address)
                },
                host: host)
            if strict, case .warning(let unit) = verdict {
                verdict = .conflict(Self.bootHolder(unit, ownUID: options.ownUID))
            }
            rows.append(
                PreflightReport.Row(
                    service: claim.service, pod: claim.pod, address: address.map(\.description) ?? claim.hostIP,
                    port: claim.port, transport: claim.transport, verdict: verdict, waysOut: [],
                    variable: claim.variable))
        }

        var wayFinder = WayOutFinder(
            bindProbe: bindProbe, claimedPorts: Set(claims.map(\.port)), searchLimit: options.portSearchLimit,
            ownUID: options.ownUID)
        for index in rows.indices {
            rows[index].waysOut = wayFinder.waysOut(
                for: rows[index], address: probed[index].1, userNames: host.userNames)
        }
        return PreflightReport(
            stackName: stackName, strict: strict, rows: rows,
            warnings: notes(rows: rows, host: host, finder: holderFinder))
    }

    private func verdictFor(
        _ claim: PortClaim, _ address: HostAddress?, _ outcome: BindOutcome, published: [PublishedPort],
        stackName: String, holder: () -> PortHolder, host: HostView
    ) -> Verdict {
        guard let address else { return .cannotBind(reason: "\"\(claim.hostIP)\" is not an IP address") }
        switch outcome {
        case .free:
            return bootWarning(for: claim, host: host).map(Verdict.warning) ?? .free
        case .inUse:
            let containers = matchingPublished(claim, address, published)
            if let own = containers.first(where: { $0.stackLabel == stackName }) {
                return .ours(Self.containerHolder(own))
            }
            if let other = containers.first { return .conflict(Self.containerHolder(other)) }
            return .conflict(holder())
        case .addressUnavailable: return .unavailableAddress
        case .permissionDenied:
            return .cannotBind(reason: "port \(claim.port) is privileged (below net.ipv4.ip_unprivileged_port_start)")
        case .invalidAddress: return .cannotBind(reason: "\"\(claim.hostIP)\" is not a usable address and port")
        case .failed(let code): return .cannotBind(reason: String(cString: strerror(code)))
        }
    }

    /// Podman's published ports on the same port and protocol whose address overlaps the claim's.
    private func matchingPublished(
        _ claim: PortClaim, _ address: HostAddress, _ published: [PublishedPort]
    )
        -> [PublishedPort]
    {
        published.filter { port in
            port.port == claim.port && port.transport == claim.transport
                && (HostAddress(text: port.hostIP) ?? .anyV4).overlaps(address)
        }
    }

    /// An enabled unit that is not running now and will take the claimed port when it starts.
    private func bootWarning(for claim: PortClaim, host: HostView) -> EnabledUnit? {
        let running = Set(host.runningUnits.map(\.name))
        let candidates = host.enabledUnits.filter { unit in
            !running.contains(unit.name)
                && options.serviceMatcher.unitWillTake(
                    port: claim.port, unit: unit.name, unitPorts: unit.ports, service: claim.service)
        }
        return candidates.first { $0.ports.contains(claim.port) } ?? candidates.first
    }

    static func containerHolder(_ port: PublishedPort) -> PortHolder {
        PortHolder(
            kind: .podmanContainer(port.containerName), certainty: .certain, containerName: port.containerName,
            podName: port.podName)
    }

    static func bootHolder(_ unit: EnabledUnit, ownUID: Int) -> PortHolder {
        let kind: HolderKind =
            switch unit.scope {
            case .system: .systemUnit(unit.name)
            case .user: .userUnit(uid: ownUID, name: unit.name)
            }
        return PortHolder(kind: kind, certainty: .likely, candidates: [unit.name], startsAtBoot: true)
    }

    private func notes(rows: [PreflightReport.Row], host: HostView, finder: HolderFinder) -> [String] {
        var notes: [String] = []
        if rows.contains(where: { $0.holder?.certainty == .likely && $0.holder?.startsAtBoot == false }),
            finder.unreadableProcessCount > 0
        {
            notes.append(
                "You cannot see which process owns some sockets: their processes belong to another user "
                    + "(usually root). Holders marked \"probably\" are guessed from the socket's owner and the "
                    + "running services; run `sudo podstack preflight` to be certain.")
        }
        for table in host.unreadableTables {
            notes.append("\(table) could not be read, so holders of ports in it cannot be named.")
        }
        return notes
    }
}
