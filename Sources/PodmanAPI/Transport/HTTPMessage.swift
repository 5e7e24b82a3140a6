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
    /// Which of the response's header fields `HTTPResponse.headers` (or a stream's head) is to hold.
    public var responseHeaders: ResponseHeaders

    /// Copying every field out of every response cost a request about 3,400 instructions, over a third of
    /// what podstack's client adds to libcurl's own work (callgrind), and only `ping` reads a field.
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

    /// `target`'s bytes, appended. Built on bytes, not through String appends: escaping `/_ping` character
    /// by character cost as many instructions as libcurl's whole transfer setup (callgrind).
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

/// A complete response.
public struct HTTPResponse: Sendable {
    public var status: Int
    public var headers: HTTPHeaders
    public var body: Data

    public init(status: Int, headers: HTTPHeaders, body: Data) {
        self.status = status
        self.headers = headers
        self.body = body
    }

    public var bodyText: String { String(decoding: body, as: UTF8.self) }
}

/// A response's header fields, kept as the bytes that arrived and read on lookup. Building a dictionary
/// of them for every response was a fifth of a ping's instructions (callgrind, docs/performance-notes.md),
/// and almost every caller reads none of them.
public struct HTTPHeaders: Sendable, ExpressibleByDictionaryLiteral {
    /// The field lines as received ("Name: value"), each ending in LF (CRLF as they came over the wire).
    private var block: [UInt8] = []

    public init() {}

    public init(dictionaryLiteral elements: (String, String)...) {
        for (name, value) in elements {
            block += Array("\(name): \(value)\n".utf8)
        }
    }

    /// The value of the first field called `name`, compared without regard to ASCII case.
    public subscript(name: String) -> String? {
        var name = name
        return name.withUTF8 { wanted in
            var found: String?
            forEachField(named: wanted.count) { fieldName, value in
                for (x, y) in zip(fieldName, wanted) where x != y {
                    let lower = x | 0x20
                    guard lower == y | 0x20, lower >= 0x61, lower <= 0x7A else { return true }
                }
                found = String(decoding: value, as: UTF8.self)
                return false
            }
            return found
        }
    }

    /// Every field in arrival order, names lower-cased.
    public var fields: [(name: String, value: String)] {
        var result: [(name: String, value: String)] = []
        forEachField { name, value in
            let lowered = name.map { $0 >= 0x41 && $0 <= 0x5A ? $0 + 0x20 : $0 }
            result.append((String(decoding: lowered, as: UTF8.self), String(decoding: value, as: UTF8.self)))
            return true
        }
        return result
    }

    /// Field lines as they arrived, each ending in LF or CRLF.
    init(received lines: UnsafeRawBufferPointer) {
        block = Array(lines)
    }

    /// Calls `body` with each field's name and value until it returns false; with `nameLength`, only for
    /// the fields whose name is that long (a lookup then skips the others without looking for their colon).
    private func forEachField(
        named nameLength: Int? = nil, _ body: (UnsafeBufferPointer<UInt8>, UnsafeBufferPointer<UInt8>) -> Bool
    ) {
        block.withUnsafeBufferPointer { all in
            guard let base = all.baseAddress else { return }
            let raw = UnsafeRawPointer(base)
            /// The offset of the first `byte` in `start..<limit`, or nil.
            func find(_ byte: UInt8, from start: Int, to limit: Int) -> Int? {
                guard let found = memchr(raw + start, Int32(byte), limit - start) else { return nil }
                return UnsafeRawPointer(found) - raw
            }
            var start = 0
            while start < all.count {
                let lineEnd = find(0x0A, from: start, to: all.count) ?? all.count
                let colon: Int? =
                    if let nameLength {
                        start + nameLength < lineEnd && base[start + nameLength] == 0x3A ? start + nameLength : nil
                    } else {
                        find(0x3A, from: start, to: lineEnd)
                    }
                if let colon {
                    // Spaces, tabs and the CR of a CRLF around the value are not part of it.
                    func isBlank(_ byte: UInt8) -> Bool { byte == 0x20 || byte == 0x09 || byte == 0x0D }
                    var valueStart = colon + 1
                    while valueStart < lineEnd, isBlank(base[valueStart]) { valueStart += 1 }
                    var valueEnd = lineEnd
                    while valueEnd > valueStart, isBlank(base[valueEnd - 1]) { valueEnd -= 1 }
                    let name = UnsafeBufferPointer(start: base + start, count: colon - start)
                    let value = UnsafeBufferPointer(start: base + valueStart, count: valueEnd - valueStart)
                    if !body(name, value) { return }
                }
                start = lineEnd + 1
            }
        }
    }
}

/// What a streamed response delivers: its head once, then chunks of body as they arrive.
public enum HTTPStreamPart: Sendable {
    case head(status: Int, headers: HTTPHeaders)
    case data(Data)
}
