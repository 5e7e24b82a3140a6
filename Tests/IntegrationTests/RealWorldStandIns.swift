import Foundation
import PodstackCompose

/// A loaded real-world stack made runnable on a test bed: only what the file's author cannot control on
/// this machine is rewritten (images and their binaries, host ports, devices, names shared with other runs);
/// every other setting stays as the file wrote it, since whether Podman takes those settings is the question.
struct StandInRewrite {
    /// Settings dropped by name, each with why; `dropped` counts each use.
    static let droppedKeys: [String: String] = [
        "devices": "the beds have no GPUs or devices to hand in",
        "user (by name)": "a user named in the real image's /etc/passwd (`postgres`); the stand-in has only root",
    ]

    /// Health-check timing: the stand-in answers at once, and a file's 30 s interval would hold each
    /// service_healthy chain for 30 s a link (the suite must stay within about two minutes a bed). The
    /// timeout is ScratchStack's: exec probes on a loaded 2-core CI machine overran 2 s.
    static let longestInterval = 2.0
    static let shortestTimeout = 10.0

    /// The per-run name prefix (`pstest-rw-…`): pods, containers, volumes, networks and secrets.
    let prefix: String
    /// The project's copy. A host path outside it (`/var/run/docker.sock`, a volume's `device`) moves to
    /// `<copy>/host/<path>`: `up` makes a missing bind source as compose does, and a test must not make
    /// directories on the machine.
    let copy: String
    /// `service: key` for each use of a dropped key.
    private(set) var dropped: [String] = []
    /// The host paths moved into the copy.
    private(set) var moved: [String] = []

    init(prefix: String, copy: String) {
        self.prefix = prefix
        self.copy = copy
    }

    mutating func apply(to stack: Stack) -> Stack {
        var stack = stack
        stack.pods = stack.pods.map { apply(to: $0) }
        return stack
    }

    private mutating func apply(to pod: PodDefinition) -> PodDefinition {
        var pod = pod
        var volumeNames: [String: String] = [:]
        for index in pod.volumes.indices where !pod.volumes[index].external {
            let renamed = prefixed(pod.volumes[index].name)
            volumeNames[pod.volumes[index].name] = renamed
            pod.volumes[index].name = renamed
            if let device = pod.volumes[index].driverOptions["device"] {
                pod.volumes[index].driverOptions["device"] = inCopy(device)
            }
        }
        for index in pod.networks.indices where !pod.networks[index].external {
            pod.networks[index].name = prefixed(pod.networks[index].name)
        }
        for index in pod.secrets.indices where pod.secrets[index].source != .external {
            pod.secrets[index].name = prefixed(pod.secrets[index].name)
        }
        let waitedFor = Dictionary(
            pod.services.flatMap(\.dependsOn).map { ($0.service, $0.condition) }, uniquingKeysWith: Self.stricter)
        pod.name = prefixed(pod.name)
        pod.services = pod.services.enumerated().map { index, service in
            standIn(service, pod: pod.name, port: 20_000 + index, waitedFor: waitedFor[service.name], volumeNames)
        }
        return pod
    }

    /// The service on the stand-in image: it serves its health endpoint when it has a check or another
    /// service waits for it to be healthy (the real image's own check), exits 0 when one waits for it to
    /// complete, and sleeps otherwise.
    private mutating func standIn(
        _ service: ServiceDefinition, pod: String, port: Int, waitedFor: Dependency.Condition?,
        _ volumeNames: [String: String]
    ) -> ServiceDefinition {
        var service = service
        service.podName = pod
        service.containerName = prefixed(service.containerName)
        service.image = TestBed.genericImage
        service.imageVariable = nil
        service.build = nil
        service.pullPolicy = .never
        service.command = nil
        service.entrypoint = nil
        service.ports = service.ports.map { mapping in
            var mapping = mapping
            mapping.hostPort = PortMapping.podmanPicksHostPort
            return mapping
        }
        service.mounts = service.mounts.map { mount in
            switch mount {
            case .volume(let name, let target, let readOnly):
                return .volume(name: volumeNames[name] ?? name, target: target, readOnly: readOnly)
            case .bind(let source, let target, let readOnly, let selinux):
                return .bind(source: inCopy(source), target: target, readOnly: readOnly, selinux: selinux)
            }
        }
        if !service.devices.isEmpty {
            dropped.append("\(service.name): devices")
            service.devices = []
        }
        if let user = service.user, !Self.namesNumericUser(user) {
            dropped.append("\(service.name): user (by name)")
            service.user = nil
        }
        let serves = service.healthcheck != nil || waitedFor == .healthy
        if serves {
            service.healthcheck = standInCheck(service.healthcheck)
            if service.process.readOnly || !Self.runsAsRoot(service.user) {
                service.process.tmpfs.append(TmpfsMount(target: Self.standInWebRoot, options: ["mode=1777"]))
            }
        }
        service.healthcheckDisabled = false
        let mode = waitedFor == .completedSuccessfully ? "complete" : serves ? "serve" : "sleep"
        service.environment["STANDIN_MODE"] = mode
        service.environment["STANDIN_PORT"] = "\(port)"
        return service
    }

    private func standInCheck(_ check: HealthCheck?) -> HealthCheck {
        var check = check ?? HealthCheck(test: [])
        check.test = ["CMD", "standin-health"]
        check.intervalSeconds = min(check.intervalSeconds, Self.longestInterval)
        check.timeoutSeconds = max(check.timeoutSeconds, Self.shortestTimeout)
        check.startIntervalSeconds = check.startIntervalSeconds.map { min($0, Self.longestInterval) }
        return check
    }

    /// Where the serving stand-in writes its /health file (as root, under /var/lib). A service that runs
    /// as another user (`user: "101:101"`) or on a read-only root keeps that setting and gets a writable
    /// tmpfs there instead: the real image would have its own writable paths.
    static let standInWebRoot = "/var/lib/standin"

    static func runsAsRoot(_ user: String?) -> Bool {
        guard let user else { return true }
        let name = user.split(separator: ":").first.map(String.init) ?? ""
        return name.isEmpty || name == "0" || name == "root"
    }

    /// `uid[:gid]` in numbers, or root, which need nothing of the image's /etc/passwd.
    static func namesNumericUser(_ user: String) -> Bool {
        user.split(separator: ":").allSatisfy { $0 == "root" || $0.allSatisfy(\.isNumber) }
    }

    /// `path` when it is in the copy; otherwise the same path under `<copy>/host`, an empty file there when
    /// the host has a file (a bind of a file stays one).
    private mutating func inCopy(_ path: String) -> String {
        guard path.hasPrefix("/"), !path.hasPrefix(copy + "/"), path != copy else { return path }
        let moved = copy + "/host" + path
        self.moved.append(path)
        var isDirectory: ObjCBool = false
        if FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory), !isDirectory.boolValue {
            try? FileManager.default.createDirectory(
                atPath: (moved as NSString).deletingLastPathComponent, withIntermediateDirectories: true)
            _ = FileManager.default.createFile(atPath: moved, contents: nil)
        }
        return moved
    }

    private func prefixed(_ name: String) -> String { "\(prefix)-\(name)" }

    /// Of two conditions on one service, the one that asks more: completion, then health, then a start.
    private static func stricter(_ a: Dependency.Condition, _ b: Dependency.Condition) -> Dependency.Condition {
        let order: [Dependency.Condition] = [.started, .healthy, .completedSuccessfully]
        return (order.firstIndex(of: a) ?? 0) >= (order.firstIndex(of: b) ?? 0) ? a : b
    }
}
