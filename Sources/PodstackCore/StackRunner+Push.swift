import PodmanAPI
import PodstackCompose

extension StackRunner {
    /// `podstack kube --push REGISTRY`: the image of every service with `build:` in `pods`, built first
    /// when it is not here, pushed through the API to `registry`. Returns each local image with the name
    /// it was pushed as, for the manifests to name.
    public func pushBuiltImages(_ pods: [PodDefinition], registry: String) async throws -> [String: String] {
        let images = Set(pods.flatMap(\.services).filter { $0.build != nil }.map(\.image))
        var missing: [String] = []
        for image in images.sorted() where try await !exists(image) { missing.append(image) }
        if !missing.isEmpty {
            let services = pods.flatMap(\.services).filter { $0.build != nil && missing.contains($0.image) }
            _ = try await build(pods, services: services.map(\.name))
        }
        var pushed: [String: String] = [:]
        for image in images.sorted() {
            let destination = Self.pushedName(image, registry: registry)
            events(.step("pushing \(image) to \(destination)"))
            do {
                try await client.pushImage(image, destination: destination)
            } catch {
                try PodstackError.rethrow(error, during: "pushing \(image) to \(destination)")
            }
            pushed[image] = destination
        }
        return pushed
    }

    /// The image's path and tag under `registry`: its own registry host (or `localhost/`) replaced, the
    /// tag kept (`:latest` when it has none). `localhost/aidb-api` -> `REGISTRY/aidb-api:latest`.
    static func pushedName(_ image: String, registry: String) -> String {
        var parts = image.split(separator: "/", omittingEmptySubsequences: false).map(String.init)
        if parts.count > 1, parts[0] == "localhost" || parts[0].contains(".") || parts[0].contains(":") {
            parts.removeFirst()
        }
        var path = parts.joined(separator: "/")
        if !(parts.last ?? "").contains(":") && !path.contains("@") { path += ":latest" }
        let base = registry.hasSuffix("/") ? String(registry.dropLast()) : registry
        return base + "/" + path
    }

    private func exists(_ image: String) async throws -> Bool {
        do {
            return try await client.imageExists(image)
        } catch {
            try PodstackError.rethrow(error, during: "checking image \(image)")
        }
    }
}

extension PodDefinition {
    /// The pod with each service's image renamed by `names` (local name -> pushed name). A renamed
    /// service no longer builds: its image is the registry's now, which is what a manifest names.
    public func namingImages(_ names: [String: String]) -> PodDefinition {
        var pod = self
        pod.services = services.map { service in
            var service = service
            if let pushed = names[service.image] {
                service.image = pushed
                service.build = nil
            }
            return service
        }
        return pod
    }
}
