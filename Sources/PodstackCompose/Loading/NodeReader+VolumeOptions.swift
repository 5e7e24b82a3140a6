extension NodeReader {
    /// The options Podman's local volume driver takes (libpod's volume create; keys are case-insensitive).
    static let localDriverOptions: Set<String> = [
        "type", "o", "device", "uid", "gid", "size", "inodes", "noquota", "copy", "nocopy",
    ]

    /// Filesystem types rootless Podman can mount for a volume: it mounts inside its user namespace, where
    /// the kernel allows bind mounts (`none`) and tmpfs but not block devices or network filesystems.
    static let rootlessVolumeTypes: Set<String> = ["none", "bind", "tmpfs"]

    /// `driver_opts` of a top-level volume, checked so that Podman's volume create does not fail midway
    /// through `up`: known keys, a type a rootless mount can have, and an absolute device for a bind.
    mutating func localDriverOptions(_ node: ComposeNode, _ what: String) -> [String: String] {
        var options: [String: String] = [:]
        for item in keyValues(node, "driver_opts of \(what)") ?? [] {
            let key = item.key.lowercased()
            guard Self.localDriverOptions.contains(key) else {
                report(
                    item.node,
                    "'\(item.key.prefix(40))' in driver_opts of \(what) is not an option of Podman's local driver",
                    hint: "it takes \(Self.localDriverOptions.sorted().joined(separator: ", "))")
                continue
            }
            options[key] = item.value ?? ""
        }
        if let type = options["type"], !Self.rootlessVolumeTypes.contains(type) {
            report(
                node, "type '\(type.prefix(40))' in driver_opts of \(what) cannot be mounted by rootless Podman",
                hint: "a rootless pod mounts inside its user namespace, where the kernel allows only bind mounts "
                    + "(type: none, o: bind) and tmpfs; mount the filesystem on the host and bind its directory")
        }
        let binds = options["o"]?.split(separator: ",").contains("bind") == true
        if binds, let device = options["device"], !device.hasPrefix("/") {
            report(
                node, "device '\(device.prefix(60))' in driver_opts of \(what) is not an absolute path",
                hint: "the local driver binds the device as written; give the directory's absolute path")
        } else if binds, options["device"] == nil {
            report(node, "driver_opts of \(what) bind no device", hint: "add device: with the directory to bind")
        }
        return options
    }
}
