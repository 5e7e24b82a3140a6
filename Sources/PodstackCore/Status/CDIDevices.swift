import Foundation
import PodmanAPI
import PodstackCompose
import PodstackHost
import PodstackPreflight

extension PodmanConnection {
    /// The newest CDI spec version this Podman reads, from its version. Measured on the test beds
    /// (docs/gpus.md): 4.3.1 reads up to 0.5.0, 5.4.2 up to 0.8.0 (0.9.0 and 1.0.0 are skipped). A Podman
    /// reads no newer spec than a later one does, so these are bounds for every version up to the measured
    /// ones: up to 4.3 it is 0.5.0; from 4.4 to 5.4 at most 0.8.0 (a 0.6.0 to 0.8.0 spec passes the check
    /// there and may still be skipped by 4.4 to 5.3, which were not measured). After 5.4 it is left open.
    static func newestCDISpecVersion(podmanVersion: String) -> CDIVersion? {
        let numbers = podmanVersion.split(separator: "-").first.map { $0.split(separator: ".").compactMap { Int($0) } }
        guard let numbers, numbers.count >= 2 else { return nil }
        let (major, minor) = (numbers[0], numbers[1])
        if major < 4 || (major == 4 && minor <= 3) { return CDIVersion("0.5.0") }
        if major == 4 || (major == 5 && minor <= 4) { return CDIVersion("0.8.0") }
        return nil
    }

    var newestCDISpecVersion: CDIVersion? { Self.newestCDISpecVersion(podmanVersion: apiVersion) }

    /// The device check for `up`: specs as this Podman reads them, nodes as the service's user opens them.
    var deviceChecker: DeviceChecker {
        DeviceChecker(
            newestSpecVersion: newestCDISpecVersion,
            user: .serving(ownerUID: Int(serviceOwnerUID), runnerUID: Int(runnerUID), root: "/"))
    }

    /// The device check for `podstack preflight`, which may run without Podman: the user is the owner of the
    /// socket podstack would use (when it exists); the spec version is the connected Podman's, else left open.
    public static func deviceChecker(
        explicitURL: String?, host: HostContext, podman: PodmanConnection?
    )
        -> DeviceChecker
    {
        if let podman { return podman.deviceChecker }
        let path = try? PodmanSocket.resolvePath(
            explicitURL: explicitURL, environment: host.environment, effectiveUID: host.effectiveUID)
        let owner = path.flatMap(ownerUID(ofSocket:)) ?? host.effectiveUID
        return DeviceChecker(user: .serving(ownerUID: Int(owner), runnerUID: Int(host.effectiveUID), root: "/"))
    }

    /// The CDI device names this Podman can resolve on this host (`nvidia.com/gpu=all`, ...), read from
    /// /etc/cdi and /var/run/cdi as Podman reads them: for `podstack info`.
    public func resolvableCDIDevices() -> [String] {
        CDISpecDirectories(root: "/").read().resolvableNames(newestVersion: newestCDISpecVersion)
    }
}

extension StackRunner {
    /// The host device nodes a pod's services open, for `podstack systemd`: host paths (a directory such as
    /// /dev/dri as the nodes in it now), and for each CDI name the nodes of the spec Podman would use here,
    /// the device's and the spec's common ones. A name no spec resolves gives none: preflight refuses it.
    public static func hostDeviceNodes(of pod: PodDefinition, root: String = "/") -> [String] {
        let catalog = CDISpecDirectories(root: root).read()
        let nodes = pod.services.flatMap(\.devices).flatMap { request -> [String] in
            guard request.isCDI else {
                let path = request.hostPath ?? request.path
                let status = DeviceNodeStatus.read(path, root: root)
                guard status?.type == .directory else { return [path] }
                let children = DeviceNodeStatus.children(of: path, root: root).map(\.path)
                return children.isEmpty ? [path] : children
            }
            guard case .success(let name) = CDIDeviceName.parse(request.path),
                case .found(let spec, let device) = catalog.resolve(name)
            else { return [] }
            return (device.edits.deviceNodes + spec.commonEdits.deviceNodes).map(\.hostSide)
        }
        return Array(Set(nodes)).sorted()
    }
}
