import Foundation

/// Pod routes (`/libpod/pods/...`).
extension PodmanClient {
    /// `POST /pods/create` → the new pod's id. 409 when the name is in use.
    public func createPod(_ spec: Podman.PodCreateSpec) async throws -> String {
        let response: Podman.IDResponse = try await post("/pods/create", json: spec, accepting: [201])
        return response.id
    }

    /// `GET /pods/{name}/json`.
    public func inspectPod(_ name: String) async throws -> Podman.PodInspect {
        try await get("/pods/\(name)/json")
    }

    /// `GET /pods/{name}/exists` (204 yes, 404 no).
    public func podExists(_ name: String) async throws -> Bool {
        let response = try await send(.get, "/pods/\(name)/exists", accepting: [204, 404])
        return response.status == 204
    }

    /// `GET /pods/json?filters={"label":[...]}`; labels as `key` or `key=value`, ANDed.
    public func listPods(labels: [String] = []) async throws -> [Podman.PodSummary] {
        let query = Self.filters(labels.isEmpty ? [:] : ["label": labels])
        return try await get("/pods/json", query: query)
    }

    /// `POST /pods/{name}/start`. A pod that is already running answers 304, which is success here.
    /// A partial failure (a port already bound) is 409 with `Errs`; it becomes `.http` with those errors.
    public func startPod(_ name: String) async throws {
        try await podAction(name, "start", query: [])
    }

    /// `POST /pods/{name}/stop?t=SECONDS` (the pod route calls it `t`, not `timeout`).
    public func stopPod(_ name: String, timeoutSeconds: Int) async throws {
        try await podAction(
            name, "stop", query: [URLQueryItem(name: "t", value: String(timeoutSeconds))],
            bound: .extended(by: .seconds(timeoutSeconds)))
    }

    /// `POST /pods/{name}/kill?signal=...`.
    public func killPod(_ name: String, signal: String = "SIGKILL") async throws {
        try await podAction(name, "kill", query: [URLQueryItem(name: "signal", value: signal)])
    }

    /// `DELETE /pods/{name}?force=true&timeout=N`. Without force, Podman removes the exited containers
    /// before failing on the running ones and leaves half a pod (seen on 4.3.1), so podstack always
    /// stops first and removes with force.
    public func removePod(_ name: String, timeoutSeconds: Int = 10) async throws {
        let query = [
            URLQueryItem(name: "force", value: "true"), URLQueryItem(name: "timeout", value: String(timeoutSeconds)),
        ]
        let response = try await send(
            .delete, "/pods/\(name)", query: query, bound: .extended(by: .seconds(timeoutSeconds)), accepting: [200])
        let report = try Self.decode(
            Podman.PodRemoveReport.self, from: response.body, route: "DELETE \(route("/pods/\(name)"))")
        if let error = report.error, !error.isEmpty {
            throw PodmanError.http(
                status: 500, route: "DELETE \(route("/pods/\(name)"))",
                body: PodmanError.Body(cause: error, message: error), rawBody: response.bodyText)
        }
    }

    private func podAction(
        _ name: String, _ action: String, query: [URLQueryItem], bound: RequestBound = .standard
    ) async throws {
        let path = "/pods/\(name)/\(action)"
        let response = try await send(.post, path, query: query, bound: bound, accepting: [200, 304, 409, 500])
        guard response.status == 409 || response.status == 500 else { return }
        // 4.3.1 answers a partial failure with {"Errs": [...]} instead of the error model.
        let report = try? JSONDecoder().decode(Podman.PodActionReport.self, from: response.body)
        if let errors = report?.errors, !errors.isEmpty {
            let joined = errors.joined(separator: "; ")
            throw PodmanError.http(
                status: response.status, route: "POST \(route(path))",
                body: PodmanError.Body(cause: joined, message: joined), rawBody: response.bodyText)
        }
        throw Self.httpError(status: response.status, route: "POST \(route(path))", body: response.body)
    }
}
