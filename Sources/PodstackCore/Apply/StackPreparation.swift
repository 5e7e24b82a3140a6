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
        for secret in pod.secrets where !existing.contains(secret.name) {
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

    private func secretValue(_ secret: SecretDefinition) throws -> Data {
        if SecretValue.isToBeGenerated(secret), case .file(let path) = secret.source {
            return try generateSecretFile(path)
        }
        return try SecretValue.read(secret, variables: environment)
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
            if try await client.volumeExists(volume.name) { continue }
            do {
                _ = try await client.createVolume(
                    Podman.VolumeCreateSpec(
                        name: volume.name,
                        labels: volume.labels.merging([StackLabels.stack: pod.name]) { _, ours in ours }))
            } catch let error as PodmanError where error.httpStatus != nil {
                // Pods come up in parallel, and two that share a volume (one `name:` in both files) both find
                // it missing; the second create fails because the first made it, which is what it wanted.
                guard try await client.volumeExists(volume.name) else { throw error }
            }
        }
    }
}
