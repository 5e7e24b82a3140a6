import Foundation
import Testing

@testable import PodmanAPI

@Suite("Response header fields")
struct ResponseHeaderTests {
    /// Header lines fed to the transfer as libcurl hands them over, status line and CRLFs included.
    static func received(_ lines: [String]) -> TransferContext {
        let context = TransferContext()
        for line in lines {
            Array(line.utf8).withUnsafeBytes { context.receiveHeaderLine($0) }
        }
        return context
    }

    @Test("fields are found whatever their case; the first of a repeated field wins; values keep their colons")
    func lookup() {
        let context = Self.received([
            "HTTP/1.1 200 OK\r\n", "Libpod-Api-Version: 4.3.1\r\n", "Date: Fri, 27 Nov 2026 10:00:00 GMT\r\n",
            "X-Twice: first\r\n", "x-twice: second\r\n", "Empty:\r\n", "\r\n",
        ])
        #expect(context.status == 200)
        #expect(context.headers["libpod-api-version"] == "4.3.1")
        #expect(context.headers["LIBPOD-API-VERSION"] == "4.3.1")
        #expect(context.headers["date"] == "Fri, 27 Nov 2026 10:00:00 GMT")
        #expect(context.headers["x-twice"] == "first")
        #expect(context.headers["empty"] == "")
        #expect(context.headers["libpod-api-versio"] == nil)
        #expect(context.headers["content-length"] == nil)
        #expect(context.headers.fields.map(\.name) == ["libpod-api-version", "date", "x-twice", "x-twice", "empty"])
    }

    @Test("a new status line (after 100 Continue) starts the fields anew")
    func continueResets() {
        let context = Self.received([
            "HTTP/1.1 100 Continue\r\n", "X-Early: 1\r\n", "\r\n", "HTTP/1.1 201 Created\r\n", "X-Late: 2\r\n",
        ])
        #expect(context.status == 201)
        #expect(context.headers["x-early"] == nil)
        #expect(context.headers["x-late"] == "2")
    }

    @Test("names differing only outside the letters are not folded together")
    func caseFoldingIsLettersOnly() {
        // "[" (0x5B) and "{" (0x7B) differ by the same bit as "K" and "k", but are not letters.
        let headers: Podman.HTTP.Headers = ["a[": "x"]
        #expect(headers["a{"] == nil)
        #expect(headers["A["] == "x")
    }
}
