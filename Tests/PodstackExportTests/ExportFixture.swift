import Foundation
import PodstackCompose

@testable import PodstackExport

/// Builds the small pods the export tests need, and finds values in the YAML trees they produce.
enum ExportFixture {
    static let here = SourceLocation(file: "test.yml", line: 1, column: 1)

    static func service(
        _ name: String, pod: String = "demo", image: String = "docker.io/library/busybox:1",
        dependsOn: [Dependency] = [],
        healthcheck: HealthCheck? = nil, ports: [PortMapping] = [], mounts: [MountDefinition] = [],
        secrets: [SecretReference] = [], restart: RestartPolicy = .unlessStopped, environment: [String: String] = [:],
        user: String? = nil, stopGrace: Int? = nil
    ) -> ServiceDefinition {
        ServiceDefinition(
            name: name, podName: pod, image: image, environment: environment, ports: ports, mounts: mounts,
            dependsOn: dependsOn, healthcheck: healthcheck, restart: restart, user: user,
            stopGracePeriodSeconds: stopGrace, secrets: secrets, location: here)
    }

    static func pod(
        _ services: [ServiceDefinition], name: String = "demo", volumes: [VolumeDefinition] = [],
        secrets: [SecretDefinition] = []
    ) -> PodDefinition {
        PodDefinition(
            name: name, sourceFile: "/stack/\(name).yml", services: services, volumes: volumes, secrets: secrets)
    }

    static let check = HealthCheck(
        test: ["CMD", "probe"], intervalSeconds: 10, timeoutSeconds: 5, startPeriodSeconds: 25, retries: 3)

    /// The workload document (the last one) of a pod's export.
    static func workload(
        _ pod: PodDefinition, options: KubeExportOptions = KubeExportOptions(),
        kinds: @escaping @Sendable (String) -> HostPathKind = { _ in .missing }
    ) throws -> YAMLValue {
        let documents = try KubeExporter(
            options: options, secretValue: { _ in Data("s3cret".utf8) }, hostPathKind: kinds
        )
        .documents(for: pod)
        return documents.last?.value ?? .map([])
    }
}

extension YAMLValue {
    /// The value at a path of mapping keys and list indices: `value["spec", "containers", 0, "name"]`.
    subscript(_ path: any PathStep...) -> YAMLValue? {
        var current: YAMLValue? = self
        for step in path {
            switch (current, step) {
            case (.map(let entries)?, let key as String): current = entries.first { $0.key == key }?.value
            case (.list(let items)?, let index as Int): current = items.indices.contains(index) ? items[index] : nil
            default: return nil
            }
        }
        return current
    }

    var string: String? { if case .string(let text) = self { text } else { nil } }
    var int: Int? { if case .int(let number) = self { number } else { nil } }
    var items: [YAMLValue] { if case .list(let items) = self { items } else { [] } }
    var keys: [String] { if case .map(let entries) = self { entries.map(\.key) } else { [] } }

    /// The list items whose `name` is `name`.
    func named(_ name: String) -> YAMLValue? { items.first { $0["name"]?.string == name } }
}

protocol PathStep {}
extension String: PathStep {}
extension Int: PathStep {}
