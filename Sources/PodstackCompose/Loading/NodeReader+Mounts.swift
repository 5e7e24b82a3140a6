import Foundation

extension NodeReader {
    mutating func mounts(_ node: ComposeNode, context: String, pod: PodContext) -> [MountDefinition] {
        let what = "volumes of \(context)"
        guard let items = sequence(node, what) else { return [] }
        return items.compactMap { item in
            if case .mapping = item.kind { return longMount(item, what: what, pod: pod) }
            return shortMount(item, what: what, pod: pod)
        }
    }

    /// `SOURCE:TARGET[:OPTIONS]`, options a comma-separated mix of `ro`, `rw`, `z` and `Z`.
    private mutating func shortMount(_ node: ComposeNode, what: String, pod: PodContext) -> MountDefinition? {
        guard let text = nonEmptyString(node, "each item of \(what)") else { return nil }
        let parts = text.split(separator: ":", omittingEmptySubsequences: false).map(String.init)
        guard parts.count == 2 || parts.count == 3 else {
            report(
                node, "volume '\(text.prefix(80))' in \(what) is not SOURCE:TARGET[:OPTIONS]",
                hint: parts.count == 1 ? "anonymous volumes are not supported: name the volume or the directory" : nil)
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

    private mutating func longMount(_ node: ComposeNode, what: String, pod: PodContext) -> MountDefinition? {
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
        guard let sourceNode = keys["source"]?.value, let targetNode = keys["target"]?.value else {
            report(node, "a volume in \(what) needs source and target")
            return nil
        }
        let readOnly = keys["read_only"].flatMap { bool($0.value, "read_only of \(what)") } ?? false
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
            if !source.hasPrefix("/"), !source.hasPrefix("~"), PathResolution.escapesUpward(source) {
                report(
                    node, "bind source '\(source.prefix(80))' in \(what) climbs out of the compose directory",
                    hint: "use an absolute path, or a directory under ${PODSTACK_DATA_DIR}")
                return nil
            }
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

    /// `/`, or a directory directly under it that does not exist: what a bind source becomes when the variable
    /// in front of it is empty (`${PODSTACK_DATA_DIR}/ollama` -> `/ollama`), and `up` would make it there.
    /// Existing top-level directories (`/tmp`, `/srv`) are someone's choice and stay allowed.
    static func isAtFilesystemRoot(_ path: String) -> Bool {
        if path == "/" { return true }
        let parent = (path as NSString).deletingLastPathComponent
        return parent == "/" && !FileManager.default.fileExists(atPath: path)
    }
}
