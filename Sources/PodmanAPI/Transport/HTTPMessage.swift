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
        var text = ""
        text.reserveCapacity(path.utf8.count + 16)
        // "/" separates segments and stays as it is; everything else outside RFC 3986's unreserved set is
        // escaped, so names, label values with `+` or `&`, and JSON filters reach Go's parser intact.
        for segment in path.split(separator: "/", omittingEmptySubsequences: false).enumerated() {
            if segment.offset > 0 { text.append("/") }
            Self.appendEscaped(segment.element.utf8, to: &text)
        }
        for (index, item) in query.enumerated() {
            text.append(index == 0 ? "?" : "&")
            Self.appendEscaped(item.name.utf8, to: &text)
            if let value = item.value {
                text.append("=")
                Self.appendEscaped(value.utf8, to: &text)
            }
        }
        return text
    }

    private static let hexDigits = Array("0123456789ABCDEF".utf8)

    private static func appendEscaped<Bytes: Sequence<UInt8>>(_ bytes: Bytes, to text: inout String) {
        var scalars = String.UnicodeScalarView()
        for byte in bytes {
            if isUnreserved(byte) {
                scalars.append(Unicode.Scalar(byte))
            } else {
                scalars.append("%")
                scalars.append(Unicode.Scalar(hexDigits[Int(byte >> 4)]))
                scalars.append(Unicode.Scalar(hexDigits[Int(byte & 0x0F)]))
            }
        }
        text.unicodeScalars.append(contentsOf: scalars)
    }

    private static func isUnreserved(_ byte: UInt8) -> Bool {
        switch byte {
        case 0x41...0x5A, 0x61...0x7A, 0x30...0x39, 0x2D, 0x2E, 0x5F, 0x7E: return true
        default: return false
        }
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
