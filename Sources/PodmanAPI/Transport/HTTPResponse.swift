import Foundation

extension Podman.HTTP {
    /// A complete response.
    public struct Response: Sendable {
        public var status: Int
        public var headers: Headers
        public var body: Data

        public init(status: Int, headers: Headers, body: Data) {
            self.status = status
            self.headers = headers
            self.body = body
        }

        public var bodyText: String { String(decoding: body, as: UTF8.self) }
    }

    /// A response's header fields, kept as the bytes that arrived and read on lookup: almost every caller
    /// reads none of them, and a dictionary built for every response would be a fifth of a ping's cost
    /// (docs/performance-notes.md).
    public struct Headers: Sendable, ExpressibleByDictionaryLiteral {
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
    public enum StreamPart: Sendable {
        case head(status: Int, headers: Headers)
        case data(Data)
    }
}
