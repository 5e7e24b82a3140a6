import Foundation
import PodmanAPI
import PodstackBuild
import PodstackCompose

/// Builds the image of a service with `build:`: the context directory goes to Podman as a tar stream made
/// while it is sent (ignore file honoured), or, when Podman can read it in place, by its path; tagged with
/// the service's image and its `tags`. Output lines
/// arrive as `.build` events; a failed build is a `BuildProblem` naming the step and what it printed.
struct ImageBuild: Sendable {
    let client: PodmanClient
    let events: StackEventSink
    /// The libpod API version: Podman 4's build route differs in `cachefrom` and `host-gateway`.
    let apiVersion: String
    /// Variables for build secrets taken from the environment.
    let environment: [String: String]
    /// Who runs podstack: a build secret's file must be theirs (SecretValue).
    let runnerUID: UInt32
    /// Podman reads the context directory itself (see `readsInPlace`).
    var readsContextInPlace = false

    /// Whether Podman can be given the context's path instead of its tar: Podman 5 reads a local
    /// directory named in `remote` as `podman build` does, which spares it writing the tar to disk and
    /// extracting it (200 MB: 5.0-5.8 s in place, 7.3-8.5 s streamed, 4.7-5.7 s for local `podman build`,
    /// Podman 5.4.2 bed). Only when the service runs as podstack's own user, who can read what podstack
    /// reads. Podman 4.3 accepts the parameter but took 73 s for the same context: it streams.
    static func readsInPlace(apiVersion: String, serviceOwnerUID: UInt32, runnerUID: UInt32) -> Bool {
        let major = Int(apiVersion.prefix { $0.isNumber }) ?? 0
        return major >= 5 && serviceOwnerUID == runnerUID
    }

    /// Builds `image` for `service`; returns the image's ID.
    func run(image: String, for service: ServiceDefinition, build: BuildDefinition) async throws -> String {
        let who = "\(service.podName)/\(service.name)"
        func problem(_ reason: String, step: String? = nil, output: [String] = []) -> PodstackError {
            .buildFailed(BuildProblem(image: image, service: who, reason: reason, step: step, stepOutput: output))
        }
        let request = try BuildRequest(
            build: build, tags: [image] + build.tags, apiVersion: apiVersion, environment: environment,
            runnerUID: runnerUID)
        var options = request.options
        // An inline Dockerfile or a secret travels in the tar; and Podman 5 reading in place ignores the
        // `dockerfile` parameter, taking Containerfile or Dockerfile: with any of these, it is streamed.
        let inPlace = readsContextInPlace && request.addedFiles.isEmpty && build.dockerfile == nil
        if inPlace { options.contextDirectory = build.context }
        events(.step("building \(image) for \(who) from \(build.context)" + (inPlace ? " (read in place by Podman)" : "")))
        for attempt in 1...Self.attempts {
            do {
                // Read in place too: a broken ignore file or a missing context is reported, with its line.
                let rules = try IgnoreRules.forContext(directory: build.context, dockerfile: options.dockerfile)
                let archive = try ContextArchive(directory: build.context, rules: rules, added: request.addedFiles)
                let body = Podman.HTTP.BodyStream { inPlace ? 0 : try archive.read(into: $0) }
                guard let imageID = try await send(body, options: options, image: image) else {
                    throw problem("the build ended without an image")
                }
                events(.step("built \(image) (\(imageID.prefix(12)))"))
                return imageID
            } catch let failure as Podman.BuildFailure {
                if attempt < Self.attempts, failure.message.contains(Self.cacheRace) {
                    // Removals end: wait 2 s, then 4 s; the last try does without the cache.
                    try await Task.sleep(for: .seconds(1 << attempt))
                    options.layers = attempt + 1 < Self.attempts
                    events(
                        .step(
                            "building \(image) again" + (options.layers ? "" : " without Podman's layer cache")
                                + ": Podman lost a cached layer to an image removal meanwhile"))
                    continue
                }
                throw problem(failure.message, step: failure.lastStep, output: failure.stepOutput)
            } catch let error as BuildContextError {
                throw problem("\(error)")
            } catch let error as PodstackError {
                throw error
            } catch {
                try PodstackError.rethrow(error, during: "building image \(image)")
            }
        }
        throw problem("the build did not finish")
    }

    /// Podman's layer cache (4.3 and 5.4) looks at every image in the store before a step; while another
    /// client removes an image, the build fails with this before it has changed anything (seen on both
    /// test beds with builds and removals of other runs at once, lasting over 10 s under load). Such a
    /// build is run again, up to `attempts` times, the last without the cache, which it cannot trip on.
    static let cacheRace = "layer not known"
    static let attempts = 3

    /// Sends one build; returns the image's ID (nil if the stream never gave one).
    private func send(
        _ body: Podman.HTTP.BodyStream, options: Podman.BuildOptions, image: String
    ) async throws -> String? {
        var imageID: String?
        for try await event in client.build(context: body, options: options) {
            switch event {
            case .output(let line): events(.build(image: image, line: line))
            case .built(let id): imageID = id
            }
        }
        return imageID
    }

    /// One image to build, for the service that asks for it.
    struct Job: Sendable {
        var image: String
        var service: ServiceDefinition
        var build: BuildDefinition
    }

    /// Builds the jobs, at most `parallel` at a time (independent images: no service's build waits for
    /// another's). The first failure ends the others and is thrown. Returns each image's new ID.
    func runAll(_ jobs: [Job], parallel: Int) async throws -> [String: String] {
        try await withThrowingTaskGroup(of: (String, String).self) { group in
            var pending = jobs[...]
            var built: [String: String] = [:]
            func startNext() {
                guard let job = pending.popFirst() else { return }
                group.addTask { (job.image, try await run(image: job.image, for: job.service, build: job.build)) }
            }
            for _ in 0..<max(1, parallel) { startNext() }
            while let (image, id) = try await group.next() {
                built[image] = id
                startNext()
            }
            return built
        }
    }

}

/// A build that failed: which image, for which service, the reason, and the failing step with its output.
public struct BuildProblem: Sendable, Codable {
    public var image: String
    public var service: String
    public var reason: String
    public var step: String?
    public var stepOutput: [String]

    public init(image: String, service: String, reason: String, step: String?, stepOutput: [String]) {
        self.image = image
        self.service = service
        self.reason = reason
        self.step = step
        self.stepOutput = stepOutput
    }
}
