import Foundation

/// Volume and secret routes (`/libpod/volumes/...`, `/libpod/secrets/...`).
extension PodmanClient {
    /// `POST /volumes/create` (201). 500 "volume already exists" when the name is taken.
    public func createVolume(_ spec: Podman.VolumeCreateSpec) async throws -> Podman.VolumeInfo {
        try await post("/volumes/create", json: spec, accepting: [201])
    }

    /// `GET /volumes/{name}/json`.
    public func inspectVolume(_ name: String) async throws -> Podman.VolumeInfo {
        try await get("/volumes/\(name)/json")
    }

    /// `GET /volumes/{name}/exists`.
    public func volumeExists(_ name: String) async throws -> Bool {
        try await send(.get, "/volumes/\(name)/exists", accepting: [204, 404]).status == 204
    }

    /// `GET /volumes/json?filters={"label":[...]}`.
    ///
    /// Podman 4.3 answers 500 "no such volume" when a volume is removed while it builds the list (seen
    /// when another client's `down --volumes` runs at the same time); the list is asked for again then.
    public func listVolumes(labels: [String] = []) async throws -> [Podman.VolumeInfo] {
        let query = Self.filters(labels.isEmpty ? [:] : ["label": labels])
        for _ in 0..<2 {
            do {
                return try await get("/volumes/json", query: query)
            } catch let error as PodmanError
                where error.httpStatus == 500 && (error.serverMessage ?? "").contains("no such volume")
            {
                continue
            }
        }
        return try await get("/volumes/json", query: query)
    }

    /// `DELETE /volumes/{name}` (204; 409 while a container uses it).
    public func removeVolume(_ name: String, force: Bool = false) async throws {
        try await send(
            .delete, "/volumes/\(name)", query: [URLQueryItem(name: "force", value: force ? "true" : "false")],
            accepting: [204])
    }

    /// `POST /secrets/create?name=...` with the raw bytes as body (200). The Content-Type must not be
    /// form-encoded, or Go's form parser consumes the body (guarded by `ClientIntegrationTests.volumesAndSecrets`).
    public func createSecret(name: String, value: Data, labels: [String: String] = [:]) async throws -> String {
        var query = [URLQueryItem(name: "name", value: name)]
        if !labels.isEmpty, let encoded = try? Self.encode(labels) {
            query.append(URLQueryItem(name: "labels", value: String(decoding: encoded, as: UTF8.self)))
        }
        let response = try await send(
            .post, "/secrets/create", query: query, body: value, contentType: "application/octet-stream",
            accepting: [200, 201])
        return try Self.decode(
            Podman.SecretCreateResponse.self, from: response.body, route: "POST \(route("/secrets/create"))"
        ).id
    }

    /// `GET /secrets/{name}/json`.
    public func inspectSecret(_ name: String) async throws -> Podman.SecretInfo {
        try await get("/secrets/\(name)/json")
    }

    /// `GET /secrets/json`. (There is no `/secrets/{name}/exists` before Podman 4.5.)
    public func listSecrets() async throws -> [Podman.SecretInfo] {
        try await get("/secrets/json")
    }

    /// `DELETE /secrets/{name}` (204).
    public func removeSecret(_ name: String) async throws {
        try await send(.delete, "/secrets/\(name)", accepting: [204])
    }
}
