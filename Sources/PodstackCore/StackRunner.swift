import Foundation
import PodmanAPI
import PodstackCompose
import PodstackPreflight

/// The commands' logic, given a loaded stack and a checked connection.
public struct StackRunner: Sendable {
    public let connection: PodmanConnection
    public let stack: Stack
    public let environment: [String: String]
    public let events: StackEventSink

    public init(
        connection: PodmanConnection, stack: Stack, environment: [String: String], events: @escaping StackEventSink
    ) {
        self.connection = connection
        self.stack = stack
        self.environment = environment
        self.events = events
    }

    var client: PodmanClient { connection.client }

    /// The pods named on the command line, or all of them; an unknown name is an error.
    public static func select(_ names: [String], from stack: Stack) throws -> [PodDefinition] {
        if names.isEmpty { return stack.pods }
        return try names.map { name in
            guard let pod = stack.pod(named: name) else {
                throw PodstackError.unknownName(kind: "pod", name: name, known: stack.pods.map(\.name))
            }
            return pod
        }
    }

    // MARK: preflight

    /// Checks every host port of `pods`. Ports that this stack's own pods publish count as "ours".
    public func preflight(
        _ pods: [PodDefinition], strict: Bool, checker: PreflightChecker = PreflightChecker()
    ) async throws -> PreflightReport {
        try await Self.preflight(pods, strict: strict, checker: checker, published: { try await publishedPorts() })
    }

    /// The check, asking for Podman's published ports (`published`) only when a taken port may be a pod's
    /// (`Verdict.needsPodmanToExplain`). When every port binds (the usual case) or every holder is a named
    /// process (a system unit), neither the connection nor the list (50-100 ms on a busy service) is needed.
    public static func preflight(
        _ pods: [PodDefinition], strict: Bool, checker: PreflightChecker = PreflightChecker(),
        published: () async throws -> [PublishedPort]
    ) async throws -> PreflightReport {
        let hostOnly = preflight(pods, published: [], strict: strict, checker: checker)
        guard hostOnly.needsPodmanToExplain else { return hostOnly }
        return preflight(pods, published: try await published(), strict: strict, checker: checker)
    }

    /// The same check with a given list of published ports: empty when Podman cannot be asked, in which
    /// case a port held by the stack's own pod shows as a conflict with the forwarder as its holder.
    public static func preflight(
        _ pods: [PodDefinition], published: [PublishedPort], strict: Bool,
        checker: PreflightChecker = PreflightChecker()
    ) -> PreflightReport {
        var rows: [PreflightReport.Row] = []
        var warnings: [String] = []
        for pod in pods {
            let claims = pod.services.flatMap { service in
                service.ports.map {
                    PortClaim(
                        pod: pod.name, service: service.name, hostIP: $0.hostIP, port: $0.hostPort,
                        transport: $0.protocol == .udp ? .udp : .tcp, variable: $0.hostPortVariable)
                }
            }
            let report = checker.check(claims: claims, published: published, stackName: pod.name, strict: strict)
            rows += report.rows
            warnings += report.warnings.filter { !warnings.contains($0) }
        }
        return PreflightReport(
            stackName: pods.map(\.name).joined(separator: ","), strict: strict, rows: rows, warnings: warnings)
    }

    /// Every port any Podman container publishes (infra containers hold the pods' ports).
    public func publishedPorts() async throws -> [PublishedPort] {
        do {
            return try await client.listContainers(includeInfra: true).flatMap { container in
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
            throw PodstackError.from(error, during: "listing published ports")
        }
    }
}
