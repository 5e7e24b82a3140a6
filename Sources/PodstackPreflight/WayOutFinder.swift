import PodstackHost

/// Builds the ways out of a conflict or warning, each with a command a person can copy. Moving the
/// port is always offered when the claim has a variable, with a port that a real bind found free.
struct WayOutFinder {
    let bindProbe: any BindProbe
    /// Ports the stack itself wants: never offered as a place to move to.
    let claimedPorts: Set<Int>
    let searchLimit: Int
    /// Who will run the commands: holders of another uid need `sudo`.
    let ownUID: Int
    /// Ports already offered to another row of the same report.
    private var offeredPorts: Set<Int> = []

    init(bindProbe: any BindProbe, claimedPorts: Set<Int>, searchLimit: Int, ownUID: Int) {
        self.bindProbe = bindProbe
        self.claimedPorts = claimedPorts
        self.searchLimit = searchLimit
        self.ownUID = ownUID
    }

    mutating func waysOut(for row: PreflightReport.Row, address: HostAddress?, userNames: [Int: String]) -> [WayOut] {
        var ways: [WayOut] = []
        switch row.verdict {
        case .free, .ours: return []
        case .conflict(let holder): ways = Self.stopHolder(holder, row: row, ownUID: ownUID, userNames: userNames)
        case .warning(let unit):
            let command =
                unit.scope == .system
                ? "sudo systemctl disable \(unit.name)" : "sudo systemctl --global disable \(unit.name)"
            ways = [
                WayOut(action: .disableUnit, sentence: "Keep \(unit.name) from starting at boot:", command: command)
            ]
        case .unavailableAddress:
            ways = [
                WayOut(
                    action: .inspect,
                    sentence:
                        "\(row.address) is not an address of this machine; publish on 127.0.0.1 (this machine only) or 0.0.0.0 (every interface) instead.",
                    command: "ip -brief address")
            ]
        case .cannotBind: break
        }
        if let variable = row.variable, let address,
            let port = freePort(above: row.port, address: address, transport: row.transport)
        {
            ways.append(
                WayOut(
                    action: .movePort, sentence: "Or move the stack's port to \(port), which is free:",
                    command: "\(variable)=\(port) podstack up"))
        }
        return ways
    }

    static func stopHolder(
        _ holder: PortHolder, row: PreflightReport.Row, ownUID: Int, userNames: [Int: String]
    ) -> [WayOut] {
        switch holder.kind {
        case .systemUnit(let name): return stopSystemUnit(name, holder: holder, row: row)
        case .userUnit(let uid, let name):
            let asUser = uid == ownUID ? "" : "sudo -u \(userNames[uid] ?? "#\(uid)") XDG_RUNTIME_DIR=/run/user/\(uid) "
            let verb = holder.startsAtBoot ? "disable" : "disable --now"
            return [
                WayOut(
                    action: .stopUserUnit,
                    sentence: "Stop the user service \(name) and keep it from starting at login:",
                    command: "\(asUser)systemctl --user \(verb) \(name)")
            ]
        case .podmanContainer(let id):
            if let pod = holder.podName {
                return [
                    WayOut(
                        action: .stopPod, sentence: "Stop the pod \(pod) that publishes it:",
                        command: "podman pod stop \(pod)")
                ]
            }
            let name = holder.containerName ?? String(id.prefix(12))
            return [
                WayOut(action: .stopContainer, sentence: "Stop the container \(name):", command: "podman stop \(name)")
            ]
        case .process, .unknown: return stopProcess(holder, row: row, ownUID: ownUID, userNames: userNames)
        }
    }

    /// A system unit named for certain is stopped (or, when it is only enabled, disabled); one only guessed
    /// from the socket's uid is offered as each candidate, with the way to be certain.
    private static func stopSystemUnit(_ name: String, holder: PortHolder, row: PreflightReport.Row) -> [WayOut] {
        if holder.certainty == .likely && !holder.startsAtBoot {
            return holder.candidates.map { candidate in
                WayOut(
                    action: .stopSystemUnit,
                    sentence: "It is probably \(candidate); stop it and keep it from starting at boot:",
                    command: "sudo systemctl disable --now \(candidate)")
            } + [inspect(row)]
        }
        if holder.startsAtBoot {
            return [
                WayOut(
                    action: .disableUnit, sentence: "Keep \(name) from starting at boot:",
                    command: "sudo systemctl disable \(name)")
            ]
        }
        return [
            WayOut(
                action: .stopSystemUnit, sentence: "Stop \(name) and keep it from starting at boot:",
                command: "sudo systemctl disable --now \(name)")
        ]
    }

    /// A process no unit or container manages: a user's rootless Podman forwarder, a process named for
    /// certain, or, failing both, the way to find out.
    private static func stopProcess(
        _ holder: PortHolder, row: PreflightReport.Row, ownUID: Int, userNames: [Int: String]
    ) -> [WayOut] {
        if holder.isRootlessPodmanForwarder {
            let user = holder.uid.flatMap { userNames[$0] } ?? holder.uid.map { "#\($0)" } ?? "another user"
            let asUser = holder.uid == ownUID ? "" : "sudo -u \(user) "
            return [
                WayOut(
                    action: .inspect,
                    sentence: "A rootless Podman container of \(user) publishes it; find it with:",
                    command: "\(asUser)podman ps --filter publish=\(row.port)")
            ]
        }
        if let pid = holder.pid, holder.certainty == .certain {
            let sudo = holder.uid == ownUID ? "" : "sudo "
            return [
                WayOut(
                    action: .killProcess, sentence: "Stop the process \(holder.processName ?? "?") (pid \(pid)):",
                    command: "\(sudo)kill \(pid)")
            ]
        }
        return [inspect(row)]
    }

    /// `ss` names the process when run as root: the way to be certain when preflight could only guess.
    static func inspect(_ row: PreflightReport.Row) -> WayOut {
        let flags = row.transport == .tcp ? "-ltnp" : "-lunp"
        return WayOut(
            action: .inspect, sentence: "To see for certain which process holds it:",
            command: "sudo ss \(flags) 'sport = :\(row.port)'")
    }

    /// The first port above `port` that a real bind finds free on the claim's address, skipping the
    /// stack's own ports and ports already offered for another row.
    mutating func freePort(above port: Int, address: HostAddress, transport: TransportProtocol) -> Int? {
        let upper = min(65535, port + searchLimit)
        guard port < upper else { return nil }
        for candidate in (port + 1)...upper where !claimedPorts.contains(candidate) && !offeredPorts.contains(candidate)
        {
            if bindProbe.probe(address: address, port: candidate, transport: transport) == .free {
                offeredPorts.insert(candidate)
                return candidate
            }
        }
        return nil
    }
}
