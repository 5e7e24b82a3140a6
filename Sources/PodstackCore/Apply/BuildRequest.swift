import Foundation
import PodmanAPI
import PodstackBuild
import PodstackCompose

/// A service's `build:` as Podman's build route takes it: the query options, and the files the context
/// archive carries beside the directory's own (an inline Dockerfile, the secrets' values). What the route
/// of this Podman cannot do is an error naming `build:`'s line, before anything is sent.
struct BuildRequest {
    var options: Podman.BuildOptions
    var addedFiles: [AddedMember] = []

    init(
        build: BuildDefinition, tags: [String], apiVersion: String, environment: [String: String], runnerUID: UInt32
    ) throws {
        let isPodman4 = apiVersion.hasPrefix("4.")
        options = Podman.BuildOptions(tags: tags)
        options.buildArgs = build.args.compactMapValues { $0 }
        options.target = build.target
        options.labels = build.labels
        options.noCache = build.noCache
        options.pull = build.pull
        options.network = build.network.flatMap(Podman.BuildNetwork.init(rawValue:))
        options.shmSize = build.shmSize
        if isPodman4, !build.cacheFrom.isEmpty || !build.cacheTo.isEmpty {
            throw Self.refusal(
                build, "cache_from and cache_to are not used by Podman \(apiVersion)'s build route (it reads "
                    + "cachefrom and passes it nowhere, and has no cacheto)", hint: "remove them, or use Podman 5")
        }
        options.cacheFrom = build.cacheFrom
        options.cacheTo = build.cacheTo
        if isPodman4, build.extraHosts.contains(where: { $0.hasSuffix(":host-gateway") }) {
            // Podman 4.3 writes the word itself into /etc/hosts (`host-gateway gw`): seen on the test bed.
            throw Self.refusal(
                build, "extra_hosts maps a name to host-gateway, which Podman \(apiVersion)'s build does not resolve",
                hint: "reach the host as host.containers.internal, which Podman adds itself, or use Podman 5")
        }
        options.extraHosts = build.extraHosts
        if let inline = build.dockerfileInline {
            options.dockerfile = BuildDefinition.inlineDockerfileName
            addedFiles.append(AddedMember(name: BuildDefinition.inlineDockerfileName, contents: Array(inline.utf8)))
        } else {
            options.dockerfile = build.dockerfile ?? Self.defaultDockerfile(in: build.context)
        }
        for use in build.secrets {
            let name = ".podstack-build-secret-" + use.id
            let value = try SecretValue.read(
                SecretDefinition(key: use.id, name: use.id, source: use.source), variables: environment,
                runnerUID: runnerUID)
            addedFiles.append(AddedMember(name: name, contents: Array(value), mode: 0o600))
            options.secrets.append(Podman.BuildSecret(id: use.id, fileInContext: name))
        }
    }

    /// Podman's own default: Containerfile when the context has one, else Dockerfile.
    static func defaultDockerfile(in context: String) -> String {
        FileManager.default.fileExists(atPath: context + "/Containerfile") ? "Containerfile" : "Dockerfile"
    }

    static func refusal(_ build: BuildDefinition, _ message: String, hint: String) -> PodstackError {
        .invalidStack(StackLoadError(StackIssue(location: build.location, message: message, hint: hint)))
    }
}
