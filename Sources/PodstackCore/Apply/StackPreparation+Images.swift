import Foundation
import PodmanAPI
import PodstackCompose

extension StackPreparation {
    /// What `up` does about one image, from its services' `build:` and `pull_policy`.
    enum ImageAction: Equatable {
        case keep
        case build
        /// Pull from the registry; `always`: even when the image is here.
        case pull(always: Bool)
        /// `pull_policy: never` and the image is not here.
        case refuseMissing
    }

    /// Every image of the selected pods is here, built (a service with `build:`) or pulled, as `pull_policy`
    /// says. An image `never` to be pulled that is missing is refused first; then builds run,
    /// `parallelBuilds` at a time, the first failure stopping the run; pull failures are collected and
    /// reported together. All before anything else has changed. With `rebuild` (`up --build`), every image
    /// that has a `build:` is built again. Returns the ID of each image that has a `build:` or was pulled
    /// over itself (`always`, a refresh), as it is now: the planner recreates a container made from another.
    @discardableResult
    func ensureImages(
        _ pods: [PodDefinition], rebuild: Bool = false, parallelBuilds: Int = 2
    ) async throws -> [String: String] {
        var users: [String: [ServiceDefinition]] = [:]
        for service in pods.flatMap(\.services) { users[service.image, default: []].append(service) }
        let record = PullRecord(environment: environment, socketPath: client.socketPath)
        var actions: [String: ImageAction] = [:]
        var builtIDs: [String: String] = [:]
        for image in users.keys.sorted() {
            let services = users[image] ?? []
            let present = try await exists(image)
            actions[image] = Self.action(
                for: services, present: present, rebuild: rebuild, lastPulled: record.lastPulled(image))
            if present, services.contains(where: { $0.build != nil }), let id = try await imageID(image) {
                builtIDs[image] = id
            }
        }
        let refused = actions.filter { $0.value == .refuseMissing }.keys.sorted().map { image in
            problem(
                image, users[image] ?? [],
                reason: "pull_policy is never and the image is not here; pull or load it, or change pull_policy")
        }
        if !refused.isEmpty { throw PodstackError.imagesUnavailable(refused) }
        var jobs: [ImageBuild.Job] = []
        for (image, action) in actions.sorted(by: { $0.key < $1.key }) where action == .build {
            guard let service = users[image]?.first(where: { $0.build != nil }), let build = service.build else {
                continue
            }
            jobs.append(ImageBuild.Job(image: image, service: service, build: build))
        }
        var builder = ImageBuild(
            client: client, events: events, apiVersion: apiVersion, environment: environment, runnerUID: runnerUID)
        builder.readsContextInPlace = ImageBuild.readsInPlace(
            apiVersion: apiVersion, serviceOwnerUID: serviceOwnerUID, runnerUID: runnerUID)
        builtIDs.merge(try await builder.runAll(jobs, parallel: parallelBuilds)) { _, new in new }
        var problems: [ImageProblem] = []
        for (image, action) in actions.sorted(by: { $0.key < $1.key }) {
            guard case .pull(let always) = action else { continue }
            do {
                try await pull(image, always: always)
                record.notePulled(image)
                // What was pulled over an image that was here may be newer: the planner compares IDs.
                if always, let id = try await imageID(image) { builtIDs[image] = id }
            } catch let error as PodmanError where !error.isTransport && !PodmanFailure(error).isMalformedAnswer {
                problems.append(problem(image, users[image] ?? [], reason: error.serverMessage ?? "\(error)"))
            } catch {
                try PodstackError.rethrow(error, during: "checking image \(image)")
            }
        }
        if !problems.isEmpty { throw PodstackError.imagesUnavailable(problems) }
        return builtIDs
    }

    /// The action for an image used by `services`. Several services of one image with different policies:
    /// the one that does most wins (build, always, the shortest refresh, missing, never). A service with
    /// `build:` is built when its image is missing, whatever the policy, as compose does.
    static func action(
        for services: [ServiceDefinition], present: Bool, rebuild: Bool, lastPulled: Date?, now: Date = Date()
    ) -> ImageAction {
        let policies = services.map(\.pullPolicy)
        if services.contains(where: { $0.build != nil }) {
            if rebuild || policies.contains(.build) || !present { return .build }
            return policies.contains(.always) ? .pull(always: true) : .keep
        }
        if policies.contains(.always) { return .pull(always: true) }
        let refresh = policies.compactMap { policy -> Int? in
            if case .refresh(let seconds) = policy { return seconds }
            return nil
        }.min()
        if let refresh, present {
            guard let lastPulled, now.timeIntervalSince(lastPulled) < Double(refresh) else { return .pull(always: true) }
            return .keep
        }
        if present { return .keep }
        return policies.allSatisfy { $0 == .never } ? .refuseMissing : .pull(always: false)
    }

    private func pull(_ image: String, always: Bool) async throws {
        events(.step("pulling \(image)" + (always ? " (pull_policy)" : "")))
        for try await event in client.pullImage(image, policy: always ? "always" : "missing") {
            switch event {
            case .progress(let text): events(.pull(image: image, progress: text))
            case .pulled(let id): events(.pull(image: image, progress: "pulled \(id.prefix(12))"))
            }
        }
    }

    private func problem(_ image: String, _ services: [ServiceDefinition], reason: String) -> ImageProblem {
        ImageProblem(
            image: image, services: services.map { "\($0.podName)/\($0.name)" },
            variable: services.compactMap(\.imageVariable).first, reason: reason)
    }

    private func exists(_ image: String) async throws -> Bool {
        do {
            return try await client.imageExists(image)
        } catch {
            try PodstackError.rethrow(error, during: "checking image \(image)")
        }
    }

    /// The ID of an image that is here. A reference without a tag is `:latest`, as Podman names what it
    /// builds.
    private func imageID(_ image: String) async throws -> String? {
        do {
            let tagged = image.split(separator: "/").last?.contains(":") == true ? image : image + ":latest"
            return try await client.imageID(tagged)
        } catch {
            try PodstackError.rethrow(error, during: "checking image \(image)")
        }
    }
}
