extension CgroupTree {
    /// True on a cgroups v2 host: the unified hierarchy alone is mounted at /sys/fs/cgroup, with
    /// `cgroup.controllers` at its top. A v1 or hybrid host (this project's test machines) has one
    /// directory per controller there instead.
    public var isUnified: Bool { HostFiles.exists("\(cgroupRoot)/cgroup.controllers") }
}
