import PodstackHost

/// Whether this host's rootless Podman can apply the limits a stack sets, said in words before it runs.
///
/// On cgroups v1 rootless Podman cannot be given a cgroup of its own to limit, so it creates the container
/// without its memory, CPU and pids limits ("Resource limits are not supported and ignored on cgroups V1
/// rootless systems", printed only by the podman CLI; the API says nothing). On cgroups v2 it limits what
/// systemd delegates to the user (`Delegate=` of user@.service; many distributions give only memory and
/// pids), and a limit on a controller that is not delegated fails the container (Podman's troubleshooting
/// guide, "Running containers with resource limits fails with a permissions error").
public enum ResourceLimitNotice {
    /// A service that sets limits, and the cgroup controllers they need (`memory`, `cpu`, `cpuset`, `pids`).
    public struct LimitedService: Sendable, Hashable {
        public var name: String
        public var controllers: Set<String>

        public init(name: String, controllers: Set<String>) {
            self.name = name
            self.controllers = controllers
        }
    }

    /// The sentence for the services that set limits, or nil when the limits will hold (or this host
    /// cannot tell: a v2 host without the user's systemd cgroup).
    public static func warning(
        for services: [LimitedService], cgroups: CgroupTree, rootless: Bool, uid: UInt32
    ) -> String? {
        guard !services.isEmpty, rootless else { return nil }
        guard cgroups.isUnified else {
            return "this host has cgroups v1, where rootless Podman ignores memory, CPU and pids limits: "
                + "\(listed(services.map(\.name))) will run without the limits the file sets. Boot with "
                + "systemd.unified_cgroup_hierarchy=1 (cgroups v2) to have them applied"
        }
        guard let delegated = cgroups.delegatedControllers(uid: uid) else { return nil }
        let missing = services.flatMap(\.controllers).filter { !delegated.contains($0) }
        guard !missing.isEmpty else { return nil }
        let affected = services.filter { !$0.controllers.isDisjoint(with: missing) }.map(\.name)
        return "systemd does not delegate the \(Set(missing).sorted().joined(separator: ", ")) cgroup "
            + "controller to user \(uid), so rootless Podman cannot apply the limits of \(listed(affected)) "
            + "and their containers may fail to start. As root: write [Service] Delegate=cpu cpuset io memory "
            + "pids to /etc/systemd/system/user@.service.d/delegate.conf, systemctl daemon-reload, and log in again"
    }

    private static func listed(_ names: [String]) -> String {
        names.prefix(5).joined(separator: ", ") + (names.count > 5 ? " and \(names.count - 5) more" : "")
    }
}
