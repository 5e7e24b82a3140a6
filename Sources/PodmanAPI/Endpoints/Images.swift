import Foundation

/// Image routes (`/libpod/images/...`).
extension PodmanClient {
    /// `GET /images/{ref}/exists`. A name without a tag means `:latest`.
    public func imageExists(_ reference: String) async throws -> Bool {
        try await send(.get, "/images/\(reference)/exists", accepting: [204, 404]).status == 204
    }

    /// `GET /images/{ref}/json`'s `Id` (no `sha256:`), nil when there is no such image. While another
    /// client removes an image, 4.3 answers this (and the list) with a 500 now and then (a nil pointer
    /// panic, or "layer not known", seen on the test bed under other runs' tests): asked up to 3 times.
    public func imageID(_ reference: String) async throws -> String? {
        let path = "/images/\(reference)/json"
        var response = try await send(.get, path, accepting: [200, 404, 500])
        for _ in 1..<3 where response.status == 500 {
            response = try await send(.get, path, accepting: [200, 404, 500])
        }
        if response.status == 500 { response = try await send(.get, path, accepting: [200, 404]) }
        guard response.status == 200 else { return nil }
        let id = try Self.decode(ImageIdentity.self, from: response.body, route: "GET \(route(path))").Id
        return id.hasPrefix("sha256:") ? String(id.dropFirst(7)) : id
    }

    private struct ImageIdentity: Decodable {
        var Id: String  // swiftlint:disable:this identifier_name
    }

    /// `GET /images/json`.
    public func listImages() async throws -> [Podman.ImageSummary] {
        try await get("/images/json")
    }

    /// `DELETE /images/{ref}`.
    public func removeImage(_ reference: String, force: Bool = false) async throws {
        try await send(
            .delete, "/images/\(reference)", query: [URLQueryItem(name: "force", value: force ? "true" : "false")],
            accepting: [200])
    }

    /// `POST /images/pull?reference=...&policy=missing`: JSON lines of progress, then the image ids or an
    /// error. The status is 200 even when the pull fails; the error line becomes `.pullFailed` with
    /// Podman's text (guarded by `ClientIntegrationTests.pullFailure` and `ErrorCaseTests.pullErrorLine`).
    /// `policy=missing` because the default `always` contacts the registry even for an image that is here.
    /// `policy: "always"` asks the registry even for an image that is here (`pull_policy: always`).
    public func pullImage(
        _ reference: String, tlsVerify: Bool? = nil, policy: String = "missing"
    ) -> AsyncThrowingStream<Podman.PullEvent, Error> {
        var query = [URLQueryItem(name: "reference", value: reference), URLQueryItem(name: "policy", value: policy)]
        if let tlsVerify { query.append(URLQueryItem(name: "tlsVerify", value: tlsVerify ? "true" : "false")) }
        let request = Podman.HTTP.Request(
            .post, route("/images/pull"), query: query, body: Data(), contentType: "application/json", timeout: nil,
            responseHeaders: .none)
        let route = "POST \(request.path)"
        let body = checkedBody(transport.stream(request), route: route)
        return AsyncThrowingStream { continuation in
            let task = Task {
                do {
                    var splitter = JSONLineSplitter()
                    var pulled = false
                    for try await data in body {
                        for line in splitter.feed(data) {
                            let item = try Self.decode(Podman.PullStreamLine.self, from: line, route: route)
                            if let error = item.error {
                                throw PodmanError.pullFailed(reference: reference, message: error)
                            }
                            if let text = item.stream {
                                continuation.yield(.progress(text.trimmingCharacters(in: .whitespacesAndNewlines)))
                            }
                            if let id = item.id ?? item.images?.first {
                                pulled = true
                                continuation.yield(.pulled(imageID: id))
                            }
                        }
                    }
                    if !pulled {
                        throw PodmanError.transport(
                            .connectionLost("the pull stream ended without a result"), socketPath: socketPath)
                    }
                    continuation.finish()
                } catch {
                    continuation.finish(throwing: error)
                }
            }
            continuation.onTermination = { _ in task.cancel() }
        }
    }
}

/// Cuts a byte stream into lines at `\n`, whatever the chunk boundaries.
struct JSONLineSplitter {
    private var pending = Data()

    mutating func feed(_ data: Data) -> [Data] {
        pending.append(data)
        var lines: [Data] = []
        while let newline = pending.firstIndex(of: 0x0A) {
            let line = pending[pending.startIndex..<newline]
            if !line.allSatisfy({ $0 == 0x20 || $0 == 0x0D }) { lines.append(Data(line)) }
            pending = Data(pending[pending.index(after: newline)...])
        }
        return lines
    }
}
