extension CgroupTree {
    /// True on a cgroups v2 host: the unified hierarchy alone is mounted at /sys/fs/cgroup, with
    /// `cgroup.controllers` at its top. A v1 or hybrid host (this project's test machines) has one
    /// directory per controller there instead.
    public var isUnified: Bool { HostFiles.exists("\(cgroupRoot)/cgroup.controllers") }

    /// The controllers systemd gives the user's own services on a v2 host (`user@UID.service`'s
    /// `cgroup.controllers`), which is what rootless Podman can limit; nil when the user has no such cgroup.
    public func delegatedControllers(uid: UInt32) -> Set<String>? {
        let path = "\(cgroupRoot)/user.slice/user-\(uid).slice/user@\(uid).service/cgroup.controllers"
        guard let text = HostFiles.readText(path) else { return nil }
        return Set(text.split(whereSeparator: \.isWhitespace).map(String.init))
    }
}
