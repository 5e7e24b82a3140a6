import Foundation
import PodmanAPI
import PodstackCompose

/// What must exist before any pod is made: images, data directories, secrets, named volumes.
struct StackPreparation: Sendable {
    let client: PodmanClient
    let serviceOwnerUID: UInt32
    /// Whom podstack runs as: as root, it hands the directories it makes to the service's user.
    let runnerUID: UInt32
    let environment: [String: String]
    let events: StackEventSink
    /// The libpod API version, for what differs in Podman 4's build route.
    var apiVersion = ""

    /// Bind-mount sources that do not exist yet are created as private directories (0700). When root
    /// drives another user's rootless service, they are handed to that user: a root-owned 0700 directory
    /// is unreadable inside the user's namespace. Existing paths are never touched.
    func ensureDataDirectories(_ pod: PodDefinition) throws {
        let fileManager = FileManager.default
        for service in pod.services {
            for case .bind(let source, _, _, _) in service.mounts where !fileManager.fileExists(atPath: source) {
                try createPrivateDirectory(source)
            }
        }
    }

    /// Writes the configs podstack makes (`content:`, `environment:`, a `file:` given a mode) into their
    /// files under the data directory, each whole or not at all, with the mode asked. A file that already
    /// holds that text with that mode is left alone.
    func writeConfigFiles(_ pod: PodDefinition) throws {
        for service in pod.services {
            for config in service.configs {
                guard let written = config.written else { continue }
                let data = Data(written.text.utf8)
                var status = stat()
                if FileManager.default.contents(atPath: config.hostPath) == data, stat(config.hostPath, &status) == 0,
                    Int(status.st_mode & 0o7777) == written.mode
                {
                    continue
                }
                try createPrivateDirectory((config.hostPath as NSString).deletingLastPathComponent)
                try ConfigFileWriter.replace(config.hostPath, with: data, mode: written.mode)
                if runnerUID == 0 && serviceOwnerUID != 0 {
                    _ = chown(config.hostPath, serviceOwnerUID, gid_t(serviceOwnerUID))
                }
                events(.step("wrote config \(config.source) for \(service.name) to \(config.hostPath)"))
            }
        }
    }

    /// A bind volume's device is the user's own directory: Podman would make the volume and fail at the
    /// container's start, so it is checked before anything is made, and never created (nor does compose).
    func checkVolumeDevices(_ pods: [PodDefinition]) throws {
        for volume in pods.flatMap(\.volumes) where !volume.external {
            guard let device = volume.boundDevice, !FileManager.default.fileExists(atPath: device) else { continue }
            throw PodstackError.hostFile(
                path: device,
                reason: "the device of volume '\(volume.key)' (driver_opts) does not exist; create the directory, "
                    + "or change device:")
        }
    }

    private func createPrivateDirectory(_ path: String) throws {
        // Create parents one by one so that every directory podstack makes gets the same owner and mode.
        var missing: [String] = []
        var current = path
        while !current.isEmpty, current != "/", !FileManager.default.fileExists(atPath: current) {
            missing.append(current)
            current = (current as NSString).deletingLastPathComponent
        }
        for directory in missing.reversed() {
            if mkdir(directory, 0o700) != 0 && errno != EEXIST {
                throw PodstackError.hostFile(path: directory, reason: String(cString: strerror(errno)))
            }
            if runnerUID == 0 && serviceOwnerUID != 0 {
                _ = chown(directory, serviceOwnerUID, gid_t(serviceOwnerUID))
            }
        }
    }

    /// Creates the pod's secrets that Podman does not have yet. A secret that exists is kept as it is:
    /// Podman cannot show a value back (4.3), and replacing a secret under a running container breaks its
    /// next start. A changed value takes effect after `podstack down --volumes` and `up`.
    func ensureSecrets(_ pod: PodDefinition) async throws {
        guard !pod.secrets.isEmpty else { return }
        let existing = Set(try await client.listSecrets().map(\.name))
        // One made beforehand (an external config) is there: `checkExternalSecrets` saw it before anything was made.
        for secret in pod.secrets where !existing.contains(secret.name) && secret.source != .external {
            let value = try secretValue(secret)
            do {
                _ = try await client.createSecret(
                    name: secret.name, value: value, labels: [StackLabels.stack: pod.name])
            } catch let error as PodmanError where error.httpStatus != nil {
                // Two pods that share a secret (one `name:` in both files) make it at the same time; whoever
                // comes second finds it made, which is what it wanted.
                guard try await client.listSecrets().contains(where: { $0.name == secret.name }) else { throw error }
                continue
            }
            events(.step("created secret \(secret.name)"))
        }
    }

    /// The Podman secrets the stack's external configs name must exist before anything is made: podstack
    /// does not make them (it has no value for them), and a container made without one would fail to start.
    func checkExternalSecrets(_ pods: [PodDefinition]) async throws {
        let external = Set(pods.flatMap(\.secrets).filter { $0.source == .external }.map(\.name))
        guard !external.isEmpty else { return }
        let existing = Set(try await client.listSecrets().map(\.name))
        if let missing = external.sorted().first(where: { !existing.contains($0) }) {
            throw PodstackError.externalMissing(
                kind: "Podman secret", name: missing,
                create: "podman secret create \(missing) FILE, with the config's text in FILE")
        }
    }

    private func secretValue(_ secret: SecretDefinition) throws -> Data {
        if SecretValue.isToBeGenerated(secret), case .file(let path) = secret.source {
            return try generateSecretFile(path)
        }
        return try SecretValue.read(secret, variables: environment, runnerUID: runnerUID)
    }

    /// Writes a random secret (32 bytes, hex) with mode 0600 into a private directory.
    private func generateSecretFile(_ path: String) throws -> Data {
        try createPrivateDirectory((path as NSString).deletingLastPathComponent)
        var generator = SystemRandomNumberGenerator()
        let value = (0..<32).map { _ in String(format: "%02x", UInt8.random(in: 0...255, using: &generator)) }.joined()
        let data = Data(value.utf8)
        try SecretFile.writeAtomically(data, to: path)
        events(.step("generated a random secret in \(path) (mode 0600)"))
        return data
    }

    /// Creates the pod's named volumes with the stack's label, so `down --volumes` can find them.
    func ensureVolumes(_ pod: PodDefinition) async throws {
        for volume in pod.volumes where !volume.external {
            // One inspect answers both "does it exist" and "with which options", as cheap as the exists call.
            if let existing = try await existingVolume(volume.name) {
                checkOptions(existing.options ?? [:], of: volume)
                continue
            }
            do {
                _ = try await client.createVolume(
                    Podman.VolumeCreateSpec(
                        name: volume.name,
                        labels: volume.labels.merging([StackLabels.stack: pod.name]) { _, ours in ours },
                        options: volume.driverOptions.isEmpty ? nil : volume.driverOptions))
            } catch let error as PodmanError where error.httpStatus != nil {
                // Pods come up in parallel, and two that share a volume (one `name:` in both files) both find
                // it missing; the second create fails because the first made it, which is what it wanted.
                guard try await client.volumeExists(volume.name) else { throw error }
            }
        }
    }

    /// A volume keeps the options it was made with: remaking it would lose what it holds, so a file that now
    /// says other `driver_opts` is told how to remake it, and the volume is used as it is.
    private func checkOptions(_ existing: [String: String], of volume: VolumeDefinition) {
        guard existing != volume.driverOptions else { return }
        func shown(_ options: [String: String]) -> String {
            guard !options.isEmpty else { return "none" }
            return options.sorted { $0.key < $1.key }.map { "\($0.key)=\($0.value)" }.joined(separator: ",")
        }
        events(
            .warning(
                "volume \(volume.name) exists with driver_opts \(shown(existing)), not the file's \(shown(volume.driverOptions)); "
                    + "it is used as it is. To remake it: podstack down, podman volume rm \(volume.name) (its data goes, "
                    + "except what a bind volume keeps in its device), podstack up"))
    }

    private func existingVolume(_ name: String) async throws -> Podman.VolumeInfo? {
        do {
            return try await client.inspectVolume(name)
        } catch let error as PodmanError where error.isNotFound {
            return nil
        }
    }
}
