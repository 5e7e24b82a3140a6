import PodstackCompose

extension StackRunner {
    /// `podstack build [SERVICE...]`: builds the image of each named service with `build:` (every such
    /// service of the selected pods when none is named), whether or not it is there. Creates nothing else.
    /// Returns each built image with its ID.
    public func build(_ pods: [PodDefinition], services names: [String]) async throws -> [String: String] {
        let buildable = pods.flatMap(\.services).filter { $0.build != nil }
        let chosen: [ServiceDefinition]
        if names.isEmpty {
            chosen = buildable
        } else {
            chosen = try names.map { name in
                guard let service = buildable.first(where: { $0.name == name }) else {
                    throw PodstackError.unknownName(
                        kind: "service with build:", name: name, known: buildable.map(\.name))
                }
                return service
            }
        }
        let builder = ImageBuild(client: client, events: events)
        var built: [String: String] = [:]
        for service in chosen where built[service.image] == nil {
            guard let definition = service.build else { continue }
            built[service.image] = try await builder.run(image: service.image, for: service, build: definition)
        }
        return built
    }
}
