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

    /// Every image of the selected pods is here, built (a service with `build:`) or pulled. Builds come
    /// first, `parallelBuilds` at a time, and the first that fails stops the run; pull failures are
    /// collected and reported together. Either way, before anything else has changed.
    /// With `rebuild`, every image that has a `build:` is built again (`up --build`). Returns the ID of each
    /// image that has a `build:`, as it is now: the planner recreates a container made from another.
    @discardableResult
    func ensureImages(
        _ pods: [PodDefinition], rebuild: Bool = false, parallelBuilds: Int = 2
    ) async throws -> [String: String] {
        var users: [String: [ServiceDefinition]] = [:]
        for service in pods.flatMap(\.services) { users[service.image, default: []].append(service) }
        let builder = ImageBuild(client: client, events: events)
        var builtIDs: [String: String] = [:]
        var jobs: [ImageBuild.Job] = []
        for image in users.keys.sorted() {
            guard let service = users[image]?.first(where: { $0.build != nil }), let build = service.build else {
                continue
            }
            if !rebuild, let id = try await imageID(image) {
                builtIDs[image] = id
            } else {
                jobs.append(ImageBuild.Job(image: image, service: service, build: build))
            }
        }
        builtIDs.merge(try await builder.runAll(jobs, parallel: parallelBuilds)) { _, new in new }
        var problems: [ImageProblem] = []
        for image in users.keys.sorted() {
            let services = users[image] ?? []
            do {
                if try await client.imageExists(image) { continue }
                events(.step("pulling \(image)"))
                for try await event in client.pullImage(image) {
                    switch event {
                    case .progress(let text): events(.pull(image: image, progress: text))
                    case .pulled(let id): events(.pull(image: image, progress: "pulled \(id.prefix(12))"))
                    }
                }
            } catch let error as PodmanError where !error.isTransport && !PodmanFailure(error).isMalformedAnswer {
                problems.append(
                    ImageProblem(
                        image: image, services: services.map { "\($0.podName)/\($0.name)" },
                        variable: services.compactMap(\.imageVariable).first, reason: error.serverMessage ?? "\(error)")
                )
            } catch {
                try PodstackError.rethrow(error, during: "checking image \(image)")
            }
        }
        if !problems.isEmpty { throw PodstackError.imagesUnavailable(problems) }
        return builtIDs
    }

    /// The image's ID, nil when there is no such image. A reference without a tag is `:latest`, as Podman
    /// names what it builds.
    private func imageID(_ image: String) async throws -> String? {
        do {
            guard try await client.imageExists(image) else { return nil }
            let tagged = image.split(separator: "/").last?.contains(":") == true ? image : image + ":latest"
            return try await client.listImages().first { summary in
                (summary.names ?? []).contains(tagged) || (summary.repoTags ?? []).contains(tagged)
            }.map { Self.bareID($0.id) }
        } catch {
            try PodstackError.rethrow(error, during: "checking image \(image)")
        }
    }

    static func bareID(_ id: String) -> String {
        id.hasPrefix("sha256:") ? String(id.dropFirst(7)) : id
    }

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
