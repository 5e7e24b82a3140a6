import Foundation

extension NodeReader {
    mutating func mounts(_ node: ComposeNode, service: String, context: String, pod: PodContext) -> [MountDefinition] {
        let what = "volumes of \(context)"
        guard let items = sequence(node, what) else { return [] }
        return items.compactMap { item in
            if case .mapping = item.kind { return longMount(item, service: service, what: what, pod: pod) }
            return shortMount(item, service: service, what: what, pod: pod)
        }
    }

    /// `SOURCE:TARGET[:OPTIONS]`, options a comma-separated mix of `ro`, `rw`, `z` and `Z`; or `TARGET` alone,
    /// an anonymous volume.
    private mutating func shortMount(
        _ node: ComposeNode, service: String, what: String, pod: PodContext
    ) -> MountDefinition? {
        guard let scalar = scalar(node, "each item of \(what)") else { return nil }
        let text = scalar.value
        guard !text.trimmingWhitespace.isEmpty else {
            report(node, "each item of \(what) is empty")
            return nil
        }
        let parts = text.split(separator: ":", omittingEmptySubsequences: false).map(String.init)
        if parts.count == 1, text.hasPrefix("/") {
            return anonymousVolume(target: text, readOnly: false, service: service, pod: pod)
        }
        guard parts.count == 2 || parts.count == 3 else {
            report(
                node, "volume '\(text.prefix(80))' in \(what) is not SOURCE:TARGET[:OPTIONS]",
                hint: parts.count == 1 ? "an anonymous volume is an absolute path in the container, like /data" : nil)
            return nil
        }
        if parts[0].isEmpty {
            reportEmptySource(node, text: text, what: what, variable: scalar.variable(covering: 0..<0))
            return nil
        }
        var readOnly = false
        var selinux: MountDefinition.SELinuxRelabel?
        for option in parts.count == 3 ? parts[2].split(separator: ",").map(String.init) : [] {
            switch option {
            case "ro": readOnly = true
            case "rw": readOnly = false
            case "z": selinux = .shared
            case "Z": selinux = .private
            default:
                report(
                    node, "volume option '\(option.prefix(20))' in \(what) is not supported", hint: "use ro, rw, z or Z"
                )
                return nil
            }
        }
        return mount(
            source: parts[0], target: parts[1], isBind: nil, readOnly: readOnly, selinux: selinux, node: node,
            what: what, pod: pod)
    }

    private mutating func longMount(
        _ node: ComposeNode, service: String, what: String, pod: PodContext
    ) -> MountDefinition? {
        guard let entries = mapping(node, "each item of \(what)") else { return nil }
        let keys = knownEntries(entries, allowed: ComposeKeys.volumeMount, context: what)
        guard let typeNode = keys["type"]?.value, let type = string(typeNode, "type of \(what)") else {
            if keys["type"] == nil { report(node, "a volume in \(what) needs a type: bind or volume") }
            return nil
        }
        guard type == "bind" || type == "volume" else {
            report(typeNode, "volume type '\(type.prefix(20))' in \(what) is not supported", hint: "use bind or volume")
            return nil
        }
        let readOnly = keys["read_only"].flatMap { bool($0.value, "read_only of \(what)") } ?? false
        if type == "volume", keys["source"] == nil, let targetNode = keys["target"]?.value,
            let target = nonEmptyString(targetNode, "target of \(what)"), target.hasPrefix("/")
        {
            return anonymousVolume(target: target, readOnly: readOnly, service: service, pod: pod)
        }
        guard let sourceNode = keys["source"]?.value, let targetNode = keys["target"]?.value else {
            report(node, "a volume in \(what) needs source and target")
            return nil
        }
        var selinux: MountDefinition.SELinuxRelabel?
        if let options = keys["bind"]?.value, let entries = mapping(options, "bind options of \(what)") {
            let bindKeys = knownEntries(entries, allowed: ComposeKeys.bindOptions, context: "bind options of \(what)")
            if let node = bindKeys["selinux"]?.value, let text = string(node, "selinux of \(what)") {
                selinux = MountDefinition.SELinuxRelabel(rawValue: text)
                if selinux == nil { report(node, "selinux '\(text.prefix(20))' in \(what) must be z or Z") }
            }
            _ = bindKeys["create_host_path"].flatMap { bool($0.value, "create_host_path of \(what)") }
            if let node = bindKeys["propagation"]?.value {
                report(node, "bind propagation in \(what) is not supported by podstack", hint: "remove it")
            }
        }
        if let options = keys["volume"]?.value, let entries = mapping(options, "volume options of \(what)") {
            let volumeKeys = knownEntries(
                entries, allowed: ComposeKeys.volumeOptions, context: "volume options of \(what)")
            _ = volumeKeys["nocopy"].flatMap { bool($0.value, "nocopy of \(what)") }
        }
        guard let source = nonEmptyString(sourceNode, "source of \(what)"),
            let target = nonEmptyString(targetNode, "target of \(what)")
        else { return nil }
        return mount(
            source: source, target: target, isBind: type == "bind", readOnly: readOnly, selinux: selinux,
            node: sourceNode, what: what, pod: pod)
    }

    /// Decides bind or volume (from the source's shape when the syntax did not say), resolves a bind
    /// source to an absolute path, and a volume key to the name Podman sees.
    private mutating func mount(
        source: String, target: String, isBind: Bool?, readOnly: Bool, selinux: MountDefinition.SELinuxRelabel?,
        node: ComposeNode, what: String, pod: PodContext
    ) -> MountDefinition? {
        guard target.hasPrefix("/") else {
            report(node, "mount target '\(target.prefix(80))' in \(what) must be an absolute path in the container")
            return nil
        }
        let looksLikePath = source.hasPrefix("/") || source.hasPrefix(".") || source.hasPrefix("~")
        if isBind ?? looksLikePath {
            guard let path = PathResolution.resolve(source, against: node.origin.directory, home: pod.home) else {
                report(
                    node, "bind source '\(source.prefix(80))' in \(what) cannot be resolved",
                    hint: source.hasPrefix("~/") || source == "~" ? "HOME is not set" : "write ~/ or an absolute path")
                return nil
            }
            if Self.isAtFilesystemRoot(path) {
                report(
                    node,
                    "bind source '\(source.prefix(80))' in \(what) is \(path), "
                        + "the filesystem root or a new directory directly under it",
                    hint: "is a variable in it empty or unset (PODSTACK_DATA_DIR, HOME)? Set it, or write the full path"
                )
                return nil
            }
            return .bind(source: path, target: target, readOnly: readOnly, selinux: selinux)
        }
        if selinux != nil {
            report(
                node, "SELinux labels (z, Z) in \(what) apply to bind mounts only", hint: "remove it from '\(source)'")
        }
        guard PodmanName.isValid(source) else {
            report(
                node, "'\(source.prefix(80))' in \(what) is neither a path nor a volume name",
                hint: "write ./\(source.prefix(80)) for a directory beside the compose file")
            return nil
        }
        guard let volume = pod.volumes[source] else {
            report(
                node, "volume '\(source)' in \(what) is not declared under the top-level volumes:",
                hint: "add it: volumes: { \(source): {} }")
            return nil
        }
        return .volume(name: volume.name, target: target, readOnly: readOnly)
    }

    /// An anonymous volume as compose keeps it: a volume of the service's own that outlives the container,
    /// so a recreated container finds its data. Named `<pod>_<service>_<target>` (the target's characters
    /// that Podman does not take in a name as `_`) and made, labelled and removed (`down --volumes`) with
    /// the stack's named volumes.
    private mutating func anonymousVolume(
        target: String, readOnly: Bool, service: String, pod: PodContext
    ) -> MountDefinition {
        let path = target.split(separator: "/").joined(separator: "_")
        let safe = String(path.map { $0.isASCII && ($0.isLetter || $0.isNumber || "_.-".contains($0)) ? $0 : "_" })
        let name = "\(pod.podName)_\(service)_\(safe.isEmpty ? "root" : safe)"
        if !anonymousVolumes.contains(where: { $0.name == name }) {
            anonymousVolumes.append(VolumeDefinition(name: name, key: name))
        }
        return .volume(name: name, target: target, readOnly: readOnly)
    }

    /// `:/target`: the source is empty, usually an unset variable (`${MEDIA}:/media`).
    private mutating func reportEmptySource(_ node: ComposeNode, text: String, what: String, variable: String?) {
        report(
            node,
            "the source of volume '\(text.prefix(80))' in \(what) is empty"
                + (variable.map { ": variable \($0) is empty or not set" } ?? ""),
            hint: variable.map { "set \($0) to a directory (in the environment or .env)" }
                ?? "write the directory or volume before the ':'")
    }

    /// `/`, or a directory directly under it that does not exist: what a bind source becomes when the variable
    /// in front of it is empty (`${PODSTACK_DATA_DIR}/ollama` -> `/ollama`), and `up` would make it there.
    /// Existing top-level directories (`/tmp`, `/srv`) are someone's choice and stay allowed.
    static func isAtFilesystemRoot(_ path: String) -> Bool {
        if path == "/" { return true }
        let parent = (path as NSString).deletingLastPathComponent
        return parent == "/" && !FileManager.default.fileExists(atPath: path)
    }
}
