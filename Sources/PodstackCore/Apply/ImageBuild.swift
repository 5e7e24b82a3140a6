import Foundation
import PodmanAPI
import PodstackBuild
import PodstackCompose

/// Builds the image of a service with `build:`: the context directory goes to Podman as a tar stream made
/// while it is sent (ignore file honoured), tagged with the service's image and its `tags`. Output lines
/// arrive as `.build` events; a failed build is a `BuildProblem` naming the step and what it printed.
struct ImageBuild: Sendable {
    let client: PodmanClient
    let events: StackEventSink
    /// The libpod API version: Podman 4's build route differs in `cachefrom` and `host-gateway`.
    let apiVersion: String
    /// Variables for build secrets taken from the environment.
    let environment: [String: String]

    /// Builds `image` for `service`; returns the image's ID.
    func run(image: String, for service: ServiceDefinition, build: BuildDefinition) async throws -> String {
        let who = "\(service.podName)/\(service.name)"
        func problem(_ reason: String, step: String? = nil, output: [String] = []) -> PodstackError {
            .buildFailed(BuildProblem(image: image, service: who, reason: reason, step: step, stepOutput: output))
        }
        let request = try BuildRequest(build: build, tags: [image] + build.tags, apiVersion: apiVersion, environment: environment)
        let archive: ContextArchive
        do {
            let rules = try IgnoreRules.forContext(directory: build.context, dockerfile: request.options.dockerfile)
            archive = try ContextArchive(directory: build.context, rules: rules, added: request.addedFiles)
        } catch {
            throw problem("\(error)")
        }
        events(.step("building \(image) for \(who) from \(build.context)"))
        let body = Podman.HTTP.BodyStream { try archive.read(into: $0) }
        do {
            var imageID: String?
            for try await event in client.build(context: body, options: request.options) {
                switch event {
                case .output(let line): events(.build(image: image, line: line))
                case .built(let id): imageID = id
                }
            }
            guard let imageID else { throw problem("the build ended without an image") }
            events(.step("built \(image) (\(imageID.prefix(12)))"))
            return imageID
        } catch let failure as Podman.BuildFailure {
            throw problem(failure.message, step: failure.lastStep, output: failure.stepOutput)
        } catch let error as BuildContextError {
            throw problem("\(error)")
        } catch let error as PodstackError {
            throw error
        } catch {
            try PodstackError.rethrow(error, during: "building image \(image)")
        }
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
