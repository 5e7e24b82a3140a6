import Foundation
import PodstackCompose
import PodstackHost
import PodstackPreflight

/// The port check before `up`, and the same check for `podstack preflight` and `podstack migrate`, which
/// must work on a host where Podman is not reachable (or not installed yet).
extension StackRunner {
    /// A preflight report, and why Podman could not be asked when it was needed.
    public struct PreflightResult: Sendable {
        public var report: PreflightReport
        /// Set when a taken port may have been the stack's own pod's but Podman could not be reached: the
        /// host alone was checked, so such a port shows as taken.
        public var podmanUnreachable: String?
    }

    /// The check for commands that do not need Podman otherwise: `connect` runs only when the host alone
    /// cannot decide, and an unreachable Podman leaves the host-only report. The check runs as `host`'s user.
    public static func preflight(
        _ pods: [PodDefinition], strict: Bool, host: HostContext, devices: DeviceChecker? = nil,
        connect: () async throws -> PodmanConnection
    ) async throws -> PreflightResult {
        var unreachable: String?
        let checker = PreflightChecker(options: .init(ownUID: Int(host.effectiveUID)))
        let report = try await preflight(pods, strict: strict, checker: checker, devices: devices) {
            do {
                return try await publishedPorts(of: try await connect())
            } catch PodstackError.podmanUnavailable(let error) {
                unreachable = "\(error)"
                return []
            }
        }
        return PreflightResult(report: report, podmanUnreachable: unreachable)
    }

    /// Checks every host port of `pods`. Ports that this stack's own pods publish count as "ours". The
    /// check runs as the connection's runner (`HostContext.effectiveUID`) unless `checker` says otherwise.
    public func preflight(
        _ pods: [PodDefinition], strict: Bool, checker: PreflightChecker? = nil
    ) async throws -> PreflightReport {
        try await Self.preflight(
            pods, strict: strict,
            checker: checker ?? PreflightChecker(options: .init(ownUID: Int(connection.runnerUID))),
            devices: connection.deviceChecker,
            published: { try await publishedPorts() })
    }

    /// The check, asking for Podman's published ports (`published`) only when a taken port may be a pod's
    /// (`Verdict.needsPodmanToExplain`). When every port binds (the usual case) or every holder is a named
    /// process (a system unit), neither the connection nor the list (50-100 ms on a busy service) is needed.
    public static func preflight(
        _ pods: [PodDefinition], strict: Bool, checker: PreflightChecker = PreflightChecker(),
        devices: DeviceChecker? = nil, published: () async throws -> [PublishedPort]
    ) async throws -> PreflightReport {
        let hostOnly = preflight(pods, published: [], strict: strict, checker: checker, devices: devices)
        guard hostOnly.needsPodmanToExplain else { return hostOnly }
        var report = preflight(pods, published: try await published(), strict: strict, checker: checker)
        report.devices = hostOnly.devices
        return report
    }

    /// The same check with a given list of published ports: empty when Podman cannot be asked, in which
    /// case a port held by the stack's own pod shows as a conflict with the forwarder as its holder.
    public static func preflight(
        _ pods: [PodDefinition], published: [PublishedPort], strict: Bool,
        checker: PreflightChecker = PreflightChecker(), devices: DeviceChecker? = nil
    ) -> PreflightReport {
        var rows: [PreflightReport.Row] = []
        var warnings: [String] = []
        for pod in pods {
            let claims = pod.services.flatMap { service in
                // A port Podman picks is free by choice: there is nothing to check.
                service.ports.filter { !$0.hostPortIsPicked }.map {
                    PortClaim(
                        pod: pod.name, service: service.name, hostIP: $0.hostIP, port: $0.hostPort,
                        transport: $0.protocol == .udp ? .udp : .tcp, variable: $0.hostPortVariable)
                }
            }
            let report = checker.check(claims: claims, published: published, stackName: pod.name, strict: strict)
            rows += report.rows
            warnings += report.warnings.filter { !warnings.contains($0) }
        }
        if let limits = ignoredLimitsWarning(pods, hostRoot: checker.root.path, uid: getuid()) {
            warnings.append(limits)
        }
        var report = PreflightReport(
            stackName: pods.map(\.name).joined(separator: ","), strict: strict, rows: rows, warnings: warnings)
        report.devices = deviceRows(pods, checker: devices)
        return report
    }

    /// Every device the services ask for, checked on this host: Podman creates a container whose CDI device
    /// does not resolve and fails only at start, so this must answer before anything is created.
    /// Without a checker (`podstack preflight`, which may run before Podman is reachable) the newest CDI
    /// version is left open: a spec too new for the Podman is then caught only by `up`.
    static func deviceRows(_ pods: [PodDefinition], checker: DeviceChecker? = nil) -> [PreflightReport.DeviceRow] {
        let claims = pods.flatMap { pod in
            pod.services.flatMap { service in
                service.devices.map { request in
                    DeviceClaim(
                        pod: pod.name, service: service.name, device: request.hostPath ?? request.path,
                        permissions: request.permissions ?? "rwm")
                }
            }
        }
        guard !claims.isEmpty else { return [] }
        return (checker ?? DeviceChecker()).check(claims)
    }

    /// Whether a service of `pods` asks for a CDI device (whose spec version the Podman in use must read).
    public static func namesCDIDevices(_ pods: [PodDefinition]) -> Bool {
        pods.contains { $0.services.contains { $0.devices.contains(where: \.isCDI) } }
    }

    /// Every port any Podman container publishes (infra containers hold the pods' ports).
    public func publishedPorts() async throws -> [PublishedPort] { try await Self.publishedPorts(of: connection) }

    static func publishedPorts(of connection: PodmanConnection) async throws -> [PublishedPort] {
        do {
            return try await connection.client.listContainers(includeInfra: true).flatMap { container in
                (container.ports ?? []).flatMap { port in
                    (0..<max(port.range ?? 1, 1)).map { offset in
                        PublishedPort(
                            hostIP: port.hostIP ?? "", port: port.hostPort + offset,
                            transport: port.protocol == "udp" ? .udp : .tcp, podName: container.podName,
                            containerName: container.name, stackLabel: container.labels?[StackLabels.stack])
                    }
                }
            }
        } catch {
            try PodstackError.rethrow(error, during: "listing published ports")
        }
    }

    /// Said by `preflight` and by every `up`: podstack talks to rootless Podman (a rootful service is
    /// refused unless asked for), which drops limits on a cgroups v1 host and cannot apply those whose
    /// controller systemd does not delegate to `uid` (the service's user) on a v2 host.
    static func ignoredLimitsWarning(
        _ pods: [PodDefinition], hostRoot: String = "/", rootless: Bool = true, uid: UInt32
    ) -> String? {
        let limited = pods.flatMap { pod in
            pod.services.filter { !$0.resources.isEmpty }.map {
                ResourceLimitNotice.LimitedService(
                    name: "\(pod.name)/\($0.name)", controllers: $0.resources.cgroupControllers)
            }
        }
        return ResourceLimitNotice.warning(
            for: limited, cgroups: CgroupTree(root: hostRoot), rootless: rootless, uid: uid)
    }
}
