import Foundation
import PodstackCompose

/// What shapes a service's container, and nothing else: the config-hash label is a digest of this, so a
/// later `up` recreates a container exactly when what it was made from changed.
///
/// Left out on purpose (`outsideTheContainer`): source locations (a comment line must not recreate a
/// container), `imageVariable` (it only names the variable in messages), `ports` and `addressing` (they
/// belong to the pod, whose own hash makes it and every container anew), `dependsOn` (ordering and waiting,
/// decided at each `up`), `build` (the built image's ID decides, StackPlanner).
///
/// The encoding is stable across releases, and a value that is absent, empty or false is never written. The
/// keys this release had when the fingerprint was made are spelled out below (`spelledOut`), in the form
/// the pinned hashes in ConfigDigestTests hold. Every other field of the model, such as one added later,
/// is taken as the model's own `Codable` encoding writes it, pruned the same way (`ModelJSON.remainder`):
/// so a new key needs no edit here, a service that leaves it unset keeps its hash, and one that sets it
/// gets a new hash. A new key's unset value must therefore encode as nil, false or empty (the pinned hash
/// of `DigestFixtures.bare` moves otherwise).
struct ContainerFingerprint: Encodable, Equatable {
    struct Mount: Encodable, Equatable {
        var kind: String
        var source: String
        var target: String
        var readOnly: Bool
        var selinux: String?

        enum CodingKeys: String, CodingKey { case kind, source, target, readOnly = "ro", selinux }

        func encode(to encoder: any Encoder) throws {
            var keyed = encoder.container(keyedBy: CodingKeys.self)
            try keyed.encode(kind, forKey: .kind)
            try keyed.encode(source, forKey: .source)
            try keyed.encode(target, forKey: .target)
            try keyed.encodeUnlessEmpty(readOnly, forKey: .readOnly)
            try keyed.encodeIfPresent(selinux, forKey: .selinux)
        }
    }

    /// Timings in whole milliseconds, so that the digest does not hang on how a Double is printed.
    struct Health: Encodable, Equatable {
        var test: [String]
        var intervalMilliseconds: Int
        var timeoutMilliseconds: Int
        var startPeriodMilliseconds: Int
        var retries: Int
        var startIntervalMilliseconds: Int?

        enum CodingKeys: String, CodingKey {
            case test, intervalMilliseconds = "interval_ms", timeoutMilliseconds = "timeout_ms"
            case startPeriodMilliseconds = "start_period_ms", retries, startIntervalMilliseconds = "start_interval_ms"
        }
    }

    /// The synthesized encoding leaves out nil optionals, as the rule asks.
    struct Secret: Encodable, Equatable {
        var source: String
        var target: String
        var uid: String?
        var gid: String?
        var mode: Int?

        enum CodingKeys: String, CodingKey { case source, target, uid, gid, mode }
    }

    /// A config podstack writes: its text goes in as a digest, so that a changed text recreates the
    /// container (a bind mount keeps the file it was made with).
    struct WrittenConfig: Encodable, Equatable {
        var target: String
        var textDigest: String
        var mode: Int

        enum CodingKeys: String, CodingKey { case target, textDigest = "text_digest", mode }
    }

    /// How the process runs; every field is left out when it holds Podman's default.
    struct Process: Encodable, Equatable {
        var settings: ProcessSettings

        enum CodingKeys: String, CodingKey {
            case tmpfs, tty, stdinOpen = "stdin_open", initProcess = "init", capAdd = "cap_add"
            case capDrop = "cap_drop", selinux, noNewPrivileges = "no_new_privileges"
            case seccompUnconfined = "seccomp_unconfined", ulimits, privileged, readOnly = "read_only"
            case groupAdd = "group_add", shmSize = "shm_size", sysctls
            case seccompProfile = "seccomp_profile", apparmorProfile = "apparmor"
        }

        func encode(to encoder: any Encoder) throws {
            var keyed = encoder.container(keyedBy: CodingKeys.self)
            try keyed.encodeUnlessEmpty(settings.tmpfs.map { [$0.target] + $0.options }, forKey: .tmpfs)
            try keyed.encodeUnlessEmpty(settings.tty, forKey: .tty)
            try keyed.encodeUnlessEmpty(settings.stdinOpen, forKey: .stdinOpen)
            try keyed.encodeUnlessEmpty(settings.initProcess, forKey: .initProcess)
            try keyed.encodeUnlessEmpty(settings.capAdd, forKey: .capAdd)
            try keyed.encodeUnlessEmpty(settings.capDrop, forKey: .capDrop)
            try keyed.encodeUnlessEmpty(settings.selinuxOptions, forKey: .selinux)
            try keyed.encodeUnlessEmpty(settings.noNewPrivileges, forKey: .noNewPrivileges)
            try keyed.encodeUnlessEmpty(settings.seccompUnconfined, forKey: .seccompUnconfined)
            try keyed.encodeUnlessEmpty(settings.ulimits.map { "\($0.name)=\($0.soft):\($0.hard)" }, forKey: .ulimits)
            try keyed.encodeUnlessEmpty(settings.privileged, forKey: .privileged)
            try keyed.encodeUnlessEmpty(settings.readOnly, forKey: .readOnly)
            try keyed.encodeUnlessEmpty(settings.groupAdd, forKey: .groupAdd)
            try keyed.encodeIfPresent(settings.shmSizeBytes, forKey: .shmSize)
            try keyed.encodeUnlessEmpty(settings.sysctls, forKey: .sysctls)
            try keyed.encodeIfPresent(settings.seccompProfile, forKey: .seccompProfile)
            try keyed.encodeIfPresent(settings.apparmorProfile, forKey: .apparmorProfile)
            try encoder.encodeMembers(ModelJSON.remainder(of: settings, spelledOut: Self.spelledOut))
        }

        /// The process keys written above; any other field of `ProcessSettings` is taken as it encodes.
        static let spelledOut: Set<String> = Set(
            [
                .tmpfs, .tty, .stdinOpen, .initProcess, .capAdd, .capDrop, .selinuxOptions, .noNewPrivileges,
                .seccompUnconfined, .ulimits, .privileged, .readOnly, .groupAdd, .shmSizeBytes, .sysctls,
                .seccompProfile, .apparmorProfile,
            ].map { (key: ProcessSettings.Key) in key.rawValue })
    }

    var container: String
    var pod: String
    var service: String
    var image: String
    var command: [String]?
    var entrypoint: [String]?
    var environment: [String: String]
    var mounts: [Mount]
    var health: Health?
    var healthDisabled: Bool
    var restart: String
    var labels: [String: String]
    var user: String?
    var workingDir: String?
    var stopSignal: String?
    var stopGracePeriodSeconds: Int?
    var secrets: [Secret]
    var configs: [WrittenConfig]
    var profiles: [String]
    var process: Process?
    /// The create spec's device paths (`nvidia.com/gpu=all`, `/dev/dri:/dev/dri:rwm`), in the file's order.
    var devices: [String]
    /// `pid`, `ipc` and `uts` as written (`host`, `service:db`), by key.
    var namespaces: [String: String]
    var resources: Resources?
    var logging: Logging?
    /// The model's fields that are neither spelled out here nor outside the container, as they encode.
    var laterKeys: [String: ModelJSON]

    /// The fields written above, in their own form.
    static let spelledOut: Set<ServiceDefinition.Key> = [
        .name, .podName, .containerName, .image, .command, .entrypoint, .environment, .mounts, .healthcheck,
        .healthcheckDisabled, .restart, .labels, .user, .workingDir, .stopSignal, .stopGracePeriodSeconds,
        .secrets, .profiles, .process, .devices, .configs, .namespaces, .resources, .logging,
    ]
    /// The fields that do not shape the container (see above).
    static let outsideTheContainer: Set<ServiceDefinition.Key> = [
        .imageVariable, .ports, .dependsOn, .addressing, .build, .location, .usernsMode, .pullPolicy,
    ]

    enum CodingKeys: String, CodingKey {
        case container, pod, service, image, command, entrypoint, environment, mounts, health
        case healthDisabled = "health_disabled", restart, labels, user, workingDir = "working_dir"
        case stopSignal = "stop_signal", stopGracePeriodSeconds = "stop_grace_period_s", secrets, configs, profiles,
            process
        case devices, namespaces, resources, logging
    }

    init(_ service: ServiceDefinition) {
        container = service.containerName
        pod = service.podName
        self.service = service.name
        image = service.image
        command = service.command
        entrypoint = service.entrypoint
        environment = service.environment
        mounts = service.mounts.map(Mount.init)
        health = service.healthcheck.map(Health.init)
        healthDisabled = service.healthcheckDisabled
        restart = service.restart.description
        labels = service.labels
        user = service.user
        workingDir = service.workingDir
        stopSignal = service.stopSignal
        stopGracePeriodSeconds = service.stopGracePeriodSeconds
        secrets = service.secrets.map {
            Secret(source: $0.source, target: $0.target, uid: $0.uid, gid: $0.gid, mode: $0.mode)
        }
        configs = service.configs.compactMap { config in
            config.written.map {
                WrittenConfig(target: config.target, textDigest: ConfigDigest.of($0.text), mode: $0.mode)
            }
        }
        profiles = service.profiles
        process = service.process == ProcessSettings() ? nil : Process(settings: service.process)
        devices = service.devices.map(\.path)
        namespaces = service.namespaces.written
        resources = service.resources.isEmpty ? nil : Resources(limits: service.resources)
        logging = service.logging.map(Logging.init)
        laterKeys = ModelJSON.remainder(
            of: service, spelledOut: Set(Self.spelledOut.union(Self.outsideTheContainer).map(\.rawValue)))
    }

    func encode(to encoder: any Encoder) throws {
        var keyed = encoder.container(keyedBy: CodingKeys.self)
        try keyed.encode(container, forKey: .container)
        try keyed.encode(pod, forKey: .pod)
        try keyed.encode(service, forKey: .service)
        try keyed.encode(image, forKey: .image)
        try keyed.encodeIfPresent(command, forKey: .command)
        try keyed.encodeIfPresent(entrypoint, forKey: .entrypoint)
        try keyed.encodeUnlessEmpty(environment, forKey: .environment)
        try keyed.encodeUnlessEmpty(mounts, forKey: .mounts)
        try keyed.encodeIfPresent(health, forKey: .health)
        try keyed.encodeUnlessEmpty(healthDisabled, forKey: .healthDisabled)
        try keyed.encode(restart, forKey: .restart)
        try keyed.encodeUnlessEmpty(labels, forKey: .labels)
        try keyed.encodeIfPresent(user, forKey: .user)
        try keyed.encodeIfPresent(workingDir, forKey: .workingDir)
        try keyed.encodeIfPresent(stopSignal, forKey: .stopSignal)
        try keyed.encodeIfPresent(stopGracePeriodSeconds, forKey: .stopGracePeriodSeconds)
        try keyed.encodeUnlessEmpty(secrets, forKey: .secrets)
        try keyed.encodeUnlessEmpty(configs, forKey: .configs)
        try keyed.encodeUnlessEmpty(profiles, forKey: .profiles)
        try keyed.encodeIfPresent(process, forKey: .process)
        try keyed.encodeUnlessEmpty(devices, forKey: .devices)
        try keyed.encodeUnlessEmpty(namespaces, forKey: .namespaces)
        try keyed.encodeIfPresent(resources, forKey: .resources)
        try keyed.encodeIfPresent(logging, forKey: .logging)
        try encoder.encodeMembers(laterKeys)
    }
}

extension ContainerFingerprint.Mount {
    init(_ mount: MountDefinition) {
        switch mount {
        case .bind(let source, let target, let readOnly, let selinux):
            self.init(kind: "bind", source: source, target: target, readOnly: readOnly, selinux: selinux?.rawValue)
        case .volume(let name, let target, let readOnly):
            self.init(kind: "volume", source: name, target: target, readOnly: readOnly, selinux: nil)
        }
    }
}

extension ContainerFingerprint.Health {
    init(_ check: HealthCheck) {
        self.init(
            test: check.test, intervalMilliseconds: Self.milliseconds(check.intervalSeconds),
            timeoutMilliseconds: Self.milliseconds(check.timeoutSeconds),
            startPeriodMilliseconds: Self.milliseconds(check.startPeriodSeconds), retries: check.retries,
            startIntervalMilliseconds: check.startIntervalSeconds.map(Self.milliseconds))
    }

    private static func milliseconds(_ seconds: Double) -> Int {
        let milliseconds = (seconds * 1000).rounded()
        return milliseconds.isFinite && abs(milliseconds) < Double(Int.max) ? Int(milliseconds) : Int.max
    }
}

/// A value that says nothing when empty or false: what a field added later holds on every service that
/// does not use it. (An optional says so by being nil, and is written with `encodeIfPresent`.)
protocol EmptiableFingerprintValue: Encodable { var isEmptyFingerprintValue: Bool { get } }

extension Bool: EmptiableFingerprintValue { var isEmptyFingerprintValue: Bool { !self } }
extension Array: EmptiableFingerprintValue where Element: Encodable { var isEmptyFingerprintValue: Bool { isEmpty } }
extension Dictionary: EmptiableFingerprintValue where Key == String, Value: Encodable {
    var isEmptyFingerprintValue: Bool { isEmpty }
}

extension KeyedEncodingContainer {
    /// Writes the value unless it is empty or false, so that its absence costs the digest nothing.
    mutating func encodeUnlessEmpty<Value: EmptiableFingerprintValue>(_ value: Value, forKey key: Key) throws {
        guard !value.isEmptyFingerprintValue else { return }
        try encode(value, forKey: key)
    }
}
