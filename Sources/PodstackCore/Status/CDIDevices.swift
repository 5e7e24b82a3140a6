import PodstackHost

extension PodmanConnection {
    /// The newest CDI spec version this Podman reads: 0.5.0 for 4.x (4.3.1 skips 0.6.0 and 0.7.0 specs,
    /// docs/gpus.md). Other majors are left open (nil): what Podman 5 reads was not measured.
    var newestCDISpecVersion: CDIVersion? { apiVersion.hasPrefix("4.") ? CDIVersion("0.5.0") : nil }

    /// The CDI device names this Podman can resolve on this host (`nvidia.com/gpu=all`, ...), read from
    /// /etc/cdi and /var/run/cdi as Podman reads them: for `podstack info`.
    public func resolvableCDIDevices() -> [String] {
        CDISpecDirectories(root: "/").read().resolvableNames(newestVersion: newestCDISpecVersion)
    }
}
