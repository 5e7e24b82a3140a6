import Foundation
import PodstackCompose

/// The config hash as releases up to and including 0.1.0 wrote it: a digest of the whole service model's JSON
/// (bare hex, no version prefix). A container made by such a release still carries it, and stays until its
/// definition changes; recognising it here is what keeps the first `up` after an upgrade a no-op.
///
/// `ServiceModelV1` is a frozen copy of the model's fields and their encoding at that release, so the
/// model can grow without moving these digests (the pinned values in ConfigDigestTests guard that). It
/// knows nothing of what the fingerprint learned since, so it may vouch for a container only while the
/// service's fingerprint uses no key that did not exist then (`ContainerFingerprint.keysOfV1`).
enum LegacyConfigDigest {
    static func v1(_ service: ServiceDefinition) -> String { ConfigDigest.of(ServiceModelV1(service)) }

    /// Whether a container whose label is `label` (bare hex, as the old release wrote it) was made from this
    /// very definition.
    static func recognises(_ label: String, for service: ServiceDefinition) -> Bool {
        guard ContainerFingerprint.usesOnlyV1Keys(ContainerFingerprint(service)) else { return false }
        return label == v1(service)
    }
}

/// Field for field what `JSONEncoder` wrote for `ServiceDefinition.withoutSourceLocations` in release 0.1.0.
/// Do not edit: every stack brought up by that release is recognised through it.
private struct ServiceModelV1: Encodable {
    struct Location: Encodable {
        var file = ""
        var line = 0
        var column = 0
    }

    struct Port: Encodable {
        var hostIP: String
        var hostPort: Int
        var containerPort: Int
        var `protocol`: String
        var hostPortVariable: String?
        var location = Location()
    }

    enum Mount: Encodable {
        case bind(source: String, target: String, readOnly: Bool, selinux: String?)
        case volume(name: String, target: String, readOnly: Bool)
    }

    struct Dependency: Encodable {
        var service: String
        var condition: String
        var required: Bool
    }

    struct Health: Encodable {
        var test: [String]
        var intervalSeconds: Double
        var timeoutSeconds: Double
        var startPeriodSeconds: Double
        var retries: Int
    }

    struct Secret: Encodable {
        var source: String
        var target: String
        var uid: String?
        var gid: String?
        var mode: Int?
    }

    var name: String
    var podName: String
    var containerName: String
    var image: String
    var imageVariable: String?
    var command: [String]?
    var entrypoint: [String]?
    var environment: [String: String]
    var ports: [Port]
    var mounts: [Mount]
    var dependsOn: [Dependency]
    var healthcheck: Health?
    var healthcheckDisabled: Bool
    var restart: String
    var labels: [String: String]
    var user: String?
    var workingDir: String?
    var stopSignal: String?
    var stopGracePeriodSeconds: Int?
    var secrets: [Secret]
    var profiles: [String]
    var location = Location()

    init(_ service: ServiceDefinition) {
        name = service.name
        podName = service.podName
        containerName = service.containerName
        image = service.image
        imageVariable = service.imageVariable
        command = service.command
        entrypoint = service.entrypoint
        environment = service.environment
        ports = service.ports.map {
            Port(
                hostIP: $0.hostIP, hostPort: $0.hostPort, containerPort: $0.containerPort,
                protocol: $0.protocol.rawValue, hostPortVariable: $0.hostPortVariable)
        }
        mounts = service.mounts.map { mount in
            switch mount {
            case .bind(let source, let target, let readOnly, let selinux):
                .bind(source: source, target: target, readOnly: readOnly, selinux: selinux?.rawValue)
            case .volume(let name, let target, let readOnly): .volume(name: name, target: target, readOnly: readOnly)
            }
        }
        dependsOn = service.dependsOn.map {
            Dependency(service: $0.service, condition: $0.condition.rawValue, required: $0.required)
        }
        healthcheck = service.healthcheck.map {
            Health(
                test: $0.test, intervalSeconds: $0.intervalSeconds, timeoutSeconds: $0.timeoutSeconds,
                startPeriodSeconds: $0.startPeriodSeconds, retries: $0.retries)
        }
        healthcheckDisabled = service.healthcheckDisabled
        restart = service.restart.description
        labels = service.labels
        user = service.user
        workingDir = service.workingDir
        stopSignal = service.stopSignal
        stopGracePeriodSeconds = service.stopGracePeriodSeconds
        secrets = service.secrets.map {
            Secret(source: $0.source, target: $0.target, uid: $0.uid, gid: $0.gid, mode: $0.mode)
        }
        profiles = service.profiles
    }
}

extension ContainerFingerprint {
    /// Every key the fingerprint had when the legacy digest was frozen, nested keys as `parent.child`.
    /// Frozen like `ServiceModelV1`: a key added to the fingerprint since is not listed here.
    static let keysOfV1: Set<String> = [
        "container", "pod", "service", "image", "command", "entrypoint", "environment", "mounts", "mounts.kind",
        "mounts.source", "mounts.target", "mounts.ro", "mounts.selinux", "health", "health.test",
        "health.interval_ms", "health.timeout_ms", "health.start_period_ms", "health.retries", "health_disabled",
        "restart", "labels", "user", "working_dir", "stop_signal", "stop_grace_period_s", "secrets",
        "secrets.source", "secrets.target", "secrets.uid", "secrets.gid", "secrets.mode", "profiles",
    ]
    /// Maps whose keys are the user's names (variables, labels), not fields.
    private static let userMapsOfV1: Set<String> = ["environment", "labels"]

    /// True when nothing the service sets is beyond what release 0.1.0 could express, so its legacy digest
    /// still describes the whole container.
    static func usesOnlyV1Keys(_ fingerprint: ContainerFingerprint) -> Bool {
        guard let json = try? ConfigDigest.canonicalJSON(fingerprint) else { return false }
        return usesOnlyV1Keys(json: json)
    }

    /// The same for a fingerprint's canonical JSON.
    static func usesOnlyV1Keys(json: Data) -> Bool {
        let paths = keyPaths(json: json)
        return !paths.isEmpty && paths.isSubset(of: keysOfV1)
    }

    static func keyPaths(json: Data) -> Set<String> {
        guard let object = try? JSONSerialization.jsonObject(with: json) else { return [] }
        return keyPaths(in: object, under: nil)
    }

    private static func keyPaths(in value: Any, under parent: String?) -> Set<String> {
        if let array = value as? [Any] {
            return array.reduce(into: []) { paths, element in paths.formUnion(keyPaths(in: element, under: parent)) }
        }
        guard let object = value as? [String: Any] else { return [] }
        var paths: Set<String> = []
        for (key, child) in object {
            let path = parent.map { "\($0).\(key)" } ?? key
            paths.insert(path)
            if !userMapsOfV1.contains(path) { paths.formUnion(keyPaths(in: child, under: path)) }
        }
        return paths
    }
}
