import PodstackHost

extension PreflightReport {
    /// The answer for one claimed device, shaped like a port row: who asked, what, the verdict, the ways out.
    public struct DeviceRow: Sendable, Hashable {
        public var service: String
        public var pod: String
        /// As the stack asks for it: `nvidia.com/gpu=0`, `/dev/dri`.
        public var device: String
        public var verdict: DeviceVerdict
        public var waysOut: [WayOut]
        /// The user the check was made for when root drives their Podman service; nil: the user running it.
        public var checkedUser: String?

        public init(
            service: String, pod: String, device: String, verdict: DeviceVerdict, waysOut: [WayOut],
            checkedUser: String? = nil
        ) {
            self.service = service
            self.pod = pod
            self.device = device
            self.verdict = verdict
            self.waysOut = waysOut
            self.checkedUser = checkedUser
        }
    }
}

/// A device row in JSON is flat, like a port row: `"verdict": "no-spec"` beside `"reason"` (the sentence a
/// person reads) and the details a script wants (`specFile`, `missing`, `available`, `group`).
extension PreflightReport.DeviceRow: Encodable {
    private enum CodingKeys: String, CodingKey {
        case service, pod, device, verdict, reason, specFile, missing, available, group, checkedUser, waysOut
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(service, forKey: .service)
        try container.encode(pod, forKey: .pod)
        try container.encode(device, forKey: .device)
        try container.encode(verdict.name, forKey: .verdict)
        try container.encodeIfPresent(problemSentence, forKey: .reason)
        switch verdict {
        case .available(let source): try container.encode(source, forKey: .specFile)
        case .staleSpec(let file, let missing):
            try container.encode(file, forKey: .specFile)
            try container.encode(missing, forKey: .missing)
        case .specTooNew(let file, _, _): try container.encode(file, forKey: .specFile)
        case .noSuchDevice(_, let available): try container.encode(available, forKey: .available)
        case .notPermitted(_, let group, _): try container.encodeIfPresent(group, forKey: .group)
        case .onlyThroughGroup(_, let group): try container.encode(group, forKey: .group)
        case .noSpec, .conflictingSpecs, .invalidName, .missingNode: break
        }
        try container.encodeIfPresent(checkedUser, forKey: .checkedUser)
        try container.encode(waysOut, forKey: .waysOut)
    }
}

extension PreflightReport.DeviceRow {
    /// The sentence that opens this row's ways out; nil for a device that is fine.
    public var problemSentence: String? {
        let subject = "device \(device) (\(service))"
        let whom = checkedUser ?? "you"
        switch verdict {
        case .available: return nil
        case .noSpec(let broken):
            let skipped = broken.isEmpty ? "" : "; Podman skips " + broken.map(\.description).joined(separator: "; ")
            return "\(subject): no CDI spec in /etc/cdi or /var/run/cdi defines its kind\(skipped)."
        case .noSuchDevice(let files, let available):
            return "\(subject): \(files.joined(separator: ", ")) defines no such device; it defines "
                + available.joined(separator: ", ") + "."
        case .conflictingSpecs(let files):
            return "\(subject): \(files.joined(separator: " and ")) both define it, and Podman uses neither."
        case .specTooNew(let file, let version, let supported):
            return "\(subject): \(file) is CDI version \(version), and this Podman reads specs up to \(supported): "
                + "it skips the file, so the device would not resolve."
        case .staleSpec(let file, let missing):
            return "\(subject): \(file) injects files that are gone (\(missing.joined(separator: ", "))); "
                + "the driver changed since the spec was written, and Podman would fail at start."
        case .onlyThroughGroup(let node, let group):
            return "\(subject): \(node) opens for \(whom) only through group \(group), which a rootless container "
                + "keeps only when Podman runs it with crun and keep-groups."
        case .invalidName(let reason): return "\(subject): \(reason)."
        case .missingNode(let path): return "\(subject): \(path) does not exist on this host."
        case .notPermitted(let node, let group, let sessionLacksGroup):
            if sessionLacksGroup, let group {
                return
                    "\(subject): you are in group \(group) in /etc/group, but this session is not yet, so \(node) does not open."
            }
            return "\(subject): \(node) does not open for \(whom)"
                + (group.map { " (it belongs to group \($0))" } ?? "")
                + "."
        }
    }
}

extension PreflightReport {
    /// One line per device: `SERVICE  DEVICE  VERDICT`, empty when the stack asks for none.
    public func renderDeviceTable() -> String {
        guard !devices.isEmpty else { return "" }
        let header = ["SERVICE", "DEVICE", "VERDICT"]
        let lines = [header] + devices.map { [$0.service, $0.device, $0.verdict.name] }
        let widths = (0..<2).map { column in lines.map { $0[column].count }.max() ?? 0 }
        return lines.map { cells in
            ((0..<2).map { cells[$0].padding(to: widths[$0]) } + [cells[2]]).joined(separator: "  ")
        }.joined(separator: "\n") + "\n"
    }
}
