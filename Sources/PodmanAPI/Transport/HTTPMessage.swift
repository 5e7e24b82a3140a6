import Foundation

/// A request as the transport sees it: no knowledge of Podman's routes.
public struct HTTPRequest: Sendable {
    public enum Method: String, Sendable { case get = "GET", post = "POST", delete = "DELETE", head = "HEAD" }

    public var method: Method
    /// The path with its version prefix, e.g. `/v4.0.0/libpod/pods/create`; not percent-encoded.
    public var path: String
    public var query: [URLQueryItem]
    public var body: Data?
    public var contentType: String?
    public var headers: [String: String]
    /// Bound on the whole transfer; nil for waits and streams, which may legitimately take any time.
    public var timeout: Duration?

    public init(
        _ method: Method, _ path: String, query: [URLQueryItem] = [], body: Data? = nil,
        contentType: String? = nil, headers: [String: String] = [:], timeout: Duration? = .seconds(60)
    ) {
        self.method = method
        self.path = path
        self.query = query
        self.body = body
        self.contentType = contentType
        self.headers = headers
        self.timeout = timeout
    }

    /// The path and query, each part percent-encoded strictly (RFC 3986 unreserved characters only), so
    /// that names, label values with `+` or `&`, and JSON filters reach Go's query parser intact.
    public var target: String {
        var components = URLComponents()
        components.percentEncodedPath = path.split(separator: "/", omittingEmptySubsequences: false)
            .map { HTTPRequest.percentEncode(String($0)) }.joined(separator: "/")
        if !query.isEmpty {
            components.percentEncodedQueryItems = query.map {
                URLQueryItem(name: HTTPRequest.percentEncode($0.name), value: $0.value.map(HTTPRequest.percentEncode))
            }
        }
        return components.string ?? path
    }

    static let unreserved = CharacterSet(charactersIn: "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-._~")

    static func percentEncode(_ text: String) -> String {
        text.addingPercentEncoding(withAllowedCharacters: unreserved) ?? text
    }
}

/// A complete response. Header names are lower-cased (Go writes them in canonical case).
public struct HTTPResponse: Sendable {
    public var status: Int
    public var headers: [String: String]
    public var body: Data

    public init(status: Int, headers: [String: String], body: Data) {
        self.status = status
        self.headers = headers
        self.body = body
    }

    public var bodyText: String { String(decoding: body, as: UTF8.self) }
}

/// What a streamed response delivers: its head once, then chunks of body as they arrive.
public enum HTTPStreamPart: Sendable {
    case head(status: Int, headers: [String: String])
    case data(Data)
}
