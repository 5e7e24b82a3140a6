import Foundation

/// A typed client for Podman's libpod REST API over a Unix socket.
///
/// Every route is sent with the `/v4.0.0/libpod` prefix: Podman 4.x and 5.x both serve it, and 5.1+
/// answers container inspect in the 4.x shape for it; the wire types also decode the 5.0 shapes (see
/// `Podman.FlexibleStringList`). Minimum server: Podman 4.0 (libpod API 4.0.0).
public struct PodmanClient: Sendable {
    public let transport: Podman.CurlTransport
    public let apiPrefix = "/v4.0.0/libpod"
    /// Bound on ordinary requests; waits, streams and long stops pass their own.
    public var requestTimeout: Duration

    public var socketPath: String { transport.socketPath }
    /// Prefer this executor for tasks that send many requests: see `Podman.CurlTransport.executor`.
    public var executor: any TaskExecutor { transport.executor }

    public init(socketPath: String, requestTimeout: Duration = .seconds(30), connectTimeout: Duration = .seconds(2)) {
        self.transport = Podman.CurlTransport(socketPath: socketPath, connectTimeout: connectTimeout)
        self.requestTimeout = requestTimeout
    }

    // MARK: Generic helpers

    /// How long a request may take.
    enum RequestBound {
        /// `requestTimeout`.
        case standard
        /// The standard bound plus this much (a stop that may take its grace period).
        case extended(by: Duration)
        /// No bound: waits and streams, which may take any time; the caller bounds them.
        case unbounded

        func timeout(standard: Duration) -> Duration? {
            switch self {
            case .standard: return standard
            case .extended(let extra): return standard + extra
            case .unbounded: return nil
            }
        }
    }

    func route(_ path: String) -> String { apiPrefix + path }

    /// Sends a request and checks the status against `accepting`; anything else becomes `.http` with
    /// Podman's decoded error body.
    @discardableResult
    func send(
        _ method: Podman.HTTP.Request.Method, _ path: String, query: [URLQueryItem] = [], body: Data? = nil,
        contentType: String? = nil, bound: RequestBound = .standard, accepting: Set<Int> = [200]
    ) async throws -> Podman.HTTP.Response {
        let request = Podman.HTTP.Request(
            method, route(path), query: query, body: body, contentType: contentType,
            timeout: bound.timeout(standard: requestTimeout), responseHeaders: .none)
        let response = try await transport.send(request)
        guard accepting.contains(response.status) else {
            throw Self.httpError(
                status: response.status, route: "\(method.rawValue) \(request.path)", body: response.body)
        }
        return response
    }

    func get<T: Decodable>(_ path: String, query: [URLQueryItem] = [], as type: T.Type = T.self) async throws -> T {
        let response = try await send(.get, path, query: query)
        return try Self.decode(T.self, from: response.body, route: "GET \(route(path))")
    }

    func post<T: Decodable, Body: Encodable>(
        _ path: String, query: [URLQueryItem] = [], json: Body, accepting: Set<Int>, as type: T.Type = T.self
    ) async throws -> T {
        let response = try await send(
            .post, path, query: query, body: try Self.encode(json), contentType: "application/json",
            accepting: accepting)
        return try Self.decode(T.self, from: response.body, route: "POST \(route(path))")
    }

    static func httpError(status: Int, route: String, body: Data) -> PodmanError {
        let decoded = try? JSONDecoder().decode(PodmanError.Body.self, from: body)
        return .http(status: status, route: route, body: decoded, rawBody: String(decoding: body, as: UTF8.self))
    }

    static func decode<T: Decodable>(_ type: T.Type, from body: Data, route: String) throws -> T {
        do {
            return try JSONDecoder().decode(T.self, from: body)
        } catch {
            throw PodmanError.decoding(route: route, reason: "\(error)", excerpt: PodmanError.excerpt(of: body))
        }
    }

    static func encode<Body: Encodable>(_ body: Body) throws -> Data {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        return try encoder.encode(body)
    }

    /// Podman's list filters: a JSON map of arrays, sent as one query value.
    static func filters(_ filters: [String: [String]]) -> [URLQueryItem] {
        guard !filters.isEmpty, let data = try? encode(filters) else { return [] }
        return [URLQueryItem(name: "filters", value: String(decoding: data, as: UTF8.self))]
    }
}
