import Foundation

extension Podman {
    /// The HTTP messages the transport sends and receives; it knows nothing of Podman's routes.
    public enum HTTP {}
}

extension Podman.HTTP {
    /// A request as the transport sees it: no knowledge of Podman's routes.
    public struct Request: Sendable {
        public enum Method: String, Sendable { case get = "GET", post = "POST", delete = "DELETE", head = "HEAD" }

        public var method: Method
        /// The path with its version prefix, e.g. `/v4.0.0/libpod/pods/create`; not percent-encoded.
        public var path: String
        public var query: [URLQueryItem]
        public var body: Data?
        /// A body produced while it is sent, in place of `body` (POST only; see `BodyStream`).
        public var bodyStream: BodyStream?
        public var contentType: String?
        public var headers: [String: String]
        /// Bound on the whole transfer; nil for waits and streams, which may legitimately take any time.
        public var timeout: Duration?
        /// Which of the response's header fields `Response.headers` (or a stream's head) is to hold.
        public var responseHeaders: ResponseHeaders

        /// Only `ping` reads a field; copying every field of every response would be a third of what the
        /// client adds to libcurl's own work (docs/performance-notes.md).
        public enum ResponseHeaders: Sendable, Equatable {
            /// Every field, in arrival order.
            case all
            /// Only the field of this name (any case); the others are passed over as they arrive.
            case only(HeaderName)
            /// None: a response carries its status and body. libcurl then calls no header callback at all.
            case none
        }

        /// A header field's name, lower-cased once, for `ResponseHeaders.only` (ping's is a static constant).
        public struct HeaderName: Sendable, Equatable {
            let lowercased: [UInt8]
            public init(_ name: String) {
                lowercased = name.utf8.map { $0 >= 0x41 && $0 <= 0x5A ? $0 + 0x20 : $0 }
            }
        }

        public init(
            _ method: Method, _ path: String, query: [URLQueryItem] = [], body: Data? = nil,
            contentType: String? = nil, headers: [String: String] = [:], timeout: Duration? = .seconds(60),
            responseHeaders: ResponseHeaders = .all
        ) {
            self.method = method
            self.path = path
            self.query = query
            self.body = body
            self.contentType = contentType
            self.headers = headers
            self.timeout = timeout
            self.responseHeaders = responseHeaders
        }

        /// The path and query, each part percent-encoded strictly (RFC 3986 unreserved characters only), so
        /// that names, label values with `+` or `&`, and JSON filters reach Go's query parser intact.
        public var target: String {
            var bytes: [UInt8] = []
            appendTarget(to: &bytes)
            return String(decoding: bytes, as: UTF8.self)
        }

        /// `target`'s bytes, appended. Built on bytes, not through String appends, which would cost as much
        /// as libcurl's whole transfer setup (docs/performance-notes.md).
        func appendTarget(to bytes: inout [UInt8]) {
            bytes.reserveCapacity(bytes.count + path.utf8.count + 16)
            // "/" separates segments and stays as it is; everything else outside RFC 3986's unreserved set is
            // escaped, so names, label values with `+` or `&`, and JSON filters reach Go's parser intact.
            for byte in path.utf8 {
                if byte == 0x2F { bytes.append(byte) } else { Self.appendEscaped(byte, to: &bytes) }
            }
            for (index, item) in query.enumerated() {
                bytes.append(index == 0 ? 0x3F : 0x26)  // ? or &
                for byte in item.name.utf8 { Self.appendEscaped(byte, to: &bytes) }
                if let value = item.value {
                    bytes.append(0x3D)  // =
                    for byte in value.utf8 { Self.appendEscaped(byte, to: &bytes) }
                }
            }
        }

        private static let hexDigits = Array("0123456789ABCDEF".utf8)

        @inline(__always)
        private static func appendEscaped(_ byte: UInt8, to bytes: inout [UInt8]) {
            if isUnreserved(byte) {
                bytes.append(byte)
            } else {
                bytes.append(0x25)  // %
                bytes.append(hexDigits[Int(byte >> 4)])
                bytes.append(hexDigits[Int(byte & 0x0F)])
            }
        }

        private static func isUnreserved(_ byte: UInt8) -> Bool {
            switch byte {
            case 0x41...0x5A, 0x61...0x7A, 0x30...0x39, 0x2D, 0x2E, 0x5F, 0x7E: return true
            default: return false
            }
        }
    }
}
