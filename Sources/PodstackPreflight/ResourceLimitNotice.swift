import PodstackHost

/// Rootless Podman on cgroups v1 cannot be given a cgroup of its own to limit, so it creates the
/// container without its memory, CPU and pids limits ("Resource limits are not supported and ignored on
/// cgroups V1 rootless systems", printed only by the podman CLI; the API says nothing). A stack that sets
/// limits is told so, in words, before it runs without them.
public enum ResourceLimitNotice {
    /// The sentence for `services` (`pod/service`) that set limits, or nil when the limits will hold.
    public static func warning(limitedServices services: [String], cgroups: CgroupTree, rootless: Bool) -> String? {
        guard !services.isEmpty, rootless, !cgroups.isUnified else { return nil }
        let shown =
            services.prefix(5).joined(separator: ", ") + (services.count > 5 ? " and \(services.count - 5) more" : "")
        return "this host has cgroups v1, where rootless Podman ignores memory, CPU and pids limits: "
            + "\(shown) will run without the limits the file sets. Boot with systemd.unified_cgroup_hierarchy=1 "
            + "(cgroups v2) to have them applied"
    }
}
