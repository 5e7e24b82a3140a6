import Foundation

/// Container routes (`/libpod/containers/...`): create, inspect, list, lifecycle, remove.
extension PodmanClient {
    /// `POST /containers/create` → id. Name in use is 500 (not 409) on 4.3 and 5.x; unknown image is 500
    /// on 4.3 and 404 on 5.x.
    public func createContainer(_ spec: Podman.ContainerCreateSpec) async throws -> String {
        let response: Podman.ContainerCreateResponse = try await post(
            "/containers/create", json: spec, accepting: [201])
        return response.id
    }

    /// `GET /containers/{name}/json`.
    public func inspectContainer(_ name: String) async throws -> Podman.ContainerInspect {
        try await get("/containers/\(name)/json")
    }

    /// `GET /containers/{name}/exists`.
    public func containerExists(_ name: String) async throws -> Bool {
        try await send(.get, "/containers/\(name)/exists", accepting: [204, 404]).status == 204
    }

    /// `GET /containers/json?all=true&filters=...`. Infra containers inherit their pod's labels, so they
    /// are dropped here unless asked for.
    public func listContainers(
        labels: [String] = [], includeInfra: Bool = false
    ) async throws -> [Podman.ContainerSummary] {
        let query = [URLQueryItem(name: "all", value: "true")] + Self.filters(labels.isEmpty ? [:] : ["label": labels])
        let all: [Podman.ContainerSummary] = try await get("/containers/json", query: query)
        return includeInfra ? all : all.filter { $0.isInfra != true }
    }

    /// `POST /containers/{name}/start` (204; 304 when already running, which is success here).
    public func startContainer(_ name: String) async throws {
        try await send(.post, "/containers/\(name)/start", accepting: [204, 304])
    }

    /// `POST /containers/{name}/init`: everything a start does short of running the process (the OCI
    /// container made, mounts and namespaces set up); a later start only lets it run. 304 when it is
    /// initialized or running already.
    public func initContainer(_ name: String) async throws {
        try await send(.post, "/containers/\(name)/init", accepting: [204, 304])
    }

    /// `POST /containers/{name}/stop?timeout=S` (the container route calls it `timeout`).
    public func stopContainer(_ name: String, timeoutSeconds: Int) async throws {
        try await send(
            .post, "/containers/\(name)/stop", query: [URLQueryItem(name: "timeout", value: String(timeoutSeconds))],
            bound: .extended(by: .seconds(timeoutSeconds)), accepting: [204, 304])
    }

    /// `POST /containers/{name}/kill?signal=...`.
    public func killContainer(_ name: String, signal: String = "SIGKILL") async throws {
        try await send(
            .post, "/containers/\(name)/kill", query: [URLQueryItem(name: "signal", value: signal)], accepting: [204])
    }

    /// `POST /containers/{name}/wait?condition=...` → exit code. Blocks as long as the condition takes, so it
    /// has no transfer bound; cancel the task to stop waiting. Podman 4.3 accepts only state conditions
    /// (`healthy` is 400 before 4.6), and a never-started container satisfies `exited` at once with 0.
    public func waitContainer(_ name: String, conditions: [String] = ["stopped", "exited"]) async throws -> Int {
        let query = conditions.map { URLQueryItem(name: "condition", value: $0) }
        let response = try await send(
            .post, "/containers/\(name)/wait", query: query, bound: .unbounded, accepting: [200])
        let text = response.bodyText.trimmingCharacters(in: .whitespacesAndNewlines)
        guard let code = Int(text) else {
            throw PodmanError.decoding(
                route: "POST \(route("/containers/\(name)/wait"))", reason: "not an exit code",
                excerpt: PodmanError.excerpt(of: Data(text.utf8)))
        }
        return code
    }

    /// `GET /containers/{name}/healthcheck`: runs one probe now and returns that probe's verdict. 409 when
    /// the container is not running or has no check. The aggregate (FailingStreak, the retries rule) is in
    /// inspect's `State.Health`. Podman's own timers need systemd, so podstack drives checks with this.
    /// `probeTimeout` is the check's own timeout: the request may take that long on top of the usual bound.
    public func runHealthcheck(_ name: String, probeTimeout: Duration = .zero) async throws -> Podman.HealthReport {
        let path = "/containers/\(name)/healthcheck"
        let response = try await send(.get, path, bound: .extended(by: probeTimeout))
        return try Self.decode(Podman.HealthReport.self, from: response.body, route: "GET \(route(path))")
    }

    /// `DELETE /containers/{name}?force=true&timeout=N`. Named volumes are never removed here.
    public func removeContainer(_ name: String, force: Bool = true, timeoutSeconds: Int = 10) async throws {
        let query = [
            URLQueryItem(name: "force", value: force ? "true" : "false"),
            URLQueryItem(name: "timeout", value: String(timeoutSeconds)),
        ]
        try await send(
            .delete, "/containers/\(name)", query: query, bound: .extended(by: .seconds(timeoutSeconds)),
            accepting: [200, 204])
    }
}
