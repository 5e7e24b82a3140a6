import Foundation

extension PodmanClient {
    /// `POST /images/{name}/push?destination=...`: copies a local image to a registry. The answer is 200
    /// and JSON lines of progress; a push that fails after it started says so in an `error` line, which is
    /// thrown as `.http` with status 200 and Podman's sentence (a push has no case of its own, as a pull
    /// has). An image that is not here is a 400 before the stream. Guarded by `KubePushIntegrationTests`.
    public func pushImage(_ name: String, destination: String) async throws {
        let path = "/images/\(name)/push"
        let request = Podman.HTTP.Request(
            .post, route(path), query: [URLQueryItem(name: "destination", value: destination)], body: Data(),
            contentType: "application/json", timeout: nil, responseHeaders: .none)
        let route = "POST \(request.path)"
        var splitter = JSONLineSplitter()
        for try await data in checkedBody(transport.stream(request), route: route) {
            for line in splitter.feed(data) {
                let item = try Self.decode(PushStreamLine.self, from: line, route: route)
                if let error = item.error {
                    throw PodmanError.http(
                        status: 200, route: route, body: PodmanError.Body(cause: nil, message: error, response: 200),
                        rawBody: error)
                }
            }
        }
    }

    private struct PushStreamLine: Decodable {
        var stream: String?
        var error: String?
    }
}
