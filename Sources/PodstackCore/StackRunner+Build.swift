import PodstackCompose

extension StackRunner {
    /// `podstack build [SERVICE...]`: builds the image of each named service with `build:` (every such
    /// service of the selected pods when none is named), whether or not it is there. Creates nothing else.
    /// Returns each built image with its ID.
    public func build(
        _ pods: [PodDefinition], services names: [String], parallel: Int = 2
    ) async throws -> [String: String] {
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
        var jobs: [String: ImageBuild.Job] = [:]
        for service in chosen where jobs[service.image] == nil {
            guard let definition = service.build else { continue }
            jobs[service.image] = ImageBuild.Job(image: service.image, service: service, build: definition)
        }
        var builder = ImageBuild(
            client: client, events: events, apiVersion: connection.apiVersion, environment: environment,
            runnerUID: connection.runnerUID)
        builder.readsContextInPlace = ImageBuild.readsInPlace(
            apiVersion: connection.apiVersion, serviceOwnerUID: connection.serviceOwnerUID,
            runnerUID: connection.runnerUID)
        return try await builder
            .runAll(jobs.keys.sorted().compactMap { jobs[$0] }, parallel: parallel)
    }
}
