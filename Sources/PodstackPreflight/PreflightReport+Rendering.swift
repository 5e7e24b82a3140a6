import PodstackHost

/// Plain-text output for people who have never heard of cgroups: the CLI prints these as they are.
extension PreflightReport {
    /// One line per port: `SERVICE  ADDRESS  VERDICT  HOLDER`, columns padded to their widest cell.
    public func renderTable() -> String {
        let header = ["SERVICE", "ADDRESS", "VERDICT", "HOLDER"]
        let lines = rows.map { row in [row.service, row.endpoint, row.verdict.name, row.holderSummary] }
        let widths = (0..<3).map { column in ([header] + lines).map { $0[column].count }.max() ?? 0 }
        return ([header] + lines).map { cells in
            let padded = (0..<3).map { cells[$0].padding(to: widths[$0]) }
            return (padded + [cells[3]]).joined(separator: "  ").trimmingTrailingSpaces()
        }.joined(separator: "\n") + "\n"
    }

    /// For each row that needs attention: what is wrong in a sentence, then the ways out with the
    /// commands indented so they can be copied. Empty when there is nothing to say.
    public func renderWaysOut() -> String {
        let problems =
            rows.compactMap { row in row.problemSentence.map { ($0, row.waysOut) } }
            + devices.compactMap { row in row.problemSentence.map { ($0, row.waysOut) } }
        var text = ""
        for (problem, waysOut) in problems {
            text += problem + "\n"
            for way in waysOut {
                text += "  " + way.sentence + "\n"
                if let command = way.command { text += "      " + command + "\n" }
            }
            text += "\n"
        }
        for note in warnings { text += "Note: " + note + "\n" }
        return text
    }
}

extension PreflightReport.Row {
    /// The HOLDER cell: short, but enough to recognise the holder.
    var holderSummary: String {
        switch verdict {
        case .free: return ""
        case .ours(let holder):
            return "this stack (\(holder.podName.map { "pod \($0)" } ?? holder.containerName ?? "?"))"
        case .conflict(let holder): return holder.summary
        case .warning(let unit): return "\(unit.name) (enabled, not running)"
        case .unavailableAddress: return "no such address on this host"
        case .cannotBind(let reason): return reason
        }
    }

    /// The sentence that opens this row's ways out, nil for rows that are fine.
    var problemSentence: String? {
        let port = "port \(endpoint) (\(service))"
        switch verdict {
        case .free, .ours: return nil
        case .conflict(let holder) where holder.startsAtBoot:
            return "\(port) is free now, but \(holder.description) starts at boot and takes it; --strict refuses."
        case .conflict(let holder) where holder.certainty == .likely && holder.kind != .unknown:
            return "\(port) is probably held by \(holder.description)."
        case .conflict(let holder): return "\(port) is held by \(holder.description)."
        case .warning(let unit):
            let kind = unit.scope == .system ? "the system service" : "the user service"
            return "\(port) is free now, but \(kind) \(unit.name) is enabled and will take it at next boot."
        case .unavailableAddress: return "\(port) cannot be published: \(address) is not an address of this host."
        case .cannotBind(let reason): return "\(port) cannot be published: \(reason)."
        }
    }
}

extension PortHolder {
    /// `ollama.service (pid 812, ollama, user ollama)`, `probably ollama.service (user root)`.
    var summary: String {
        var parts: [String] = []
        if let pid { parts.append("pid \(pid)") }
        if let processName { parts.append(processName) }
        if let user = userLabel { parts.append("user \(user)") }
        let details = parts.isEmpty ? "" : " (\(parts.joined(separator: ", ")))"
        let prefix = certainty == .likely && !startsAtBoot ? "probably " : ""
        switch kind {
        case .systemUnit(let name), .userUnit(_, let name): return prefix + name + details
        case .podmanContainer(let id):
            let name = containerName ?? String(id.prefix(12))
            return "container \(name)" + (podName.map { " in pod \($0)" } ?? "")
        case .process: return "process" + details
        case .unknown: return (parts.isEmpty ? "unknown" : "unknown process") + details
        }
    }

    /// A whole phrase for the ways-out text (the caller says "probably" for a guess):
    /// "the system service ollama.service (pid 812, /usr/bin/ollama, user ollama)".
    public var description: String {
        var parts: [String] = []
        if let pid { parts.append("pid \(pid)") }
        if let program = executable ?? processName { parts.append(program) }
        if let user = userLabel { parts.append("user \(user)") }
        let details = parts.isEmpty ? "" : " (\(parts.joined(separator: ", ")))"
        switch kind {
        case .systemUnit(let name): return "the system service " + name + details
        case .userUnit(let uid, let name): return "the user service \(name) of \(userNameOrUID(uid))" + details
        case .podmanContainer(let id):
            let name = containerName ?? String(id.prefix(12))
            return "the Podman container \(name)" + (podName.map { " of pod \($0)" } ?? "")
        case .process where isRootlessPodmanForwarder:
            return "a rootless Podman container's port forwarder" + details
        case .process: return "the process" + details
        case .unknown where pid == nil && uid != nil:
            return "a process of user \(userLabel ?? "?") that you are not allowed to see"
        case .unknown: return "a process that could not be identified" + details
        }
    }

    private var userLabel: String? {
        guard let uid else { return nil }
        return userNameOrUID(uid)
    }

    private func userNameOrUID(_ uid: Int) -> String {
        if let userName, self.uid == uid { return "\(userName)" }
        return "uid \(uid)"
    }
}

extension String {
    func padding(to width: Int) -> String {
        count >= width ? self : self + String(repeating: " ", count: width - count)
    }
}
