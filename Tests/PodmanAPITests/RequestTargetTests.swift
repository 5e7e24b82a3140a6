import Foundation
import Testing

@testable import PodmanAPI

@Suite("Request targets and socket URLs")
struct RequestTargetTests {
    @Test(
        "paths and query values are percent-encoded strictly",
        arguments: [
            ("/v4.0.0/libpod/pods/local-ai/json", [], "/v4.0.0/libpod/pods/local-ai/json"),
            ("/v4.0.0/libpod/pods/a b/json", [], "/v4.0.0/libpod/pods/a%20b/json"),
            (
                "/v4.0.0/libpod/pods/json",
                [URLQueryItem(name: "filters", value: #"{"label":["io.podstack.stack=a+b&c"]}"#)],
                "/v4.0.0/libpod/pods/json?filters=%7B%22label%22%3A%5B%22io.podstack.stack%3Da%2Bb%26c%22%5D%7D"
            ),
            (
                "/x", [URLQueryItem(name: "t", value: "10"), URLQueryItem(name: "force", value: "true")],
                "/x?t=10&force=true"
            ),
        ] as [(String, [URLQueryItem], String)])
    func encodesTarget(path: String, query: [URLQueryItem], expected: String) {
        #expect(Podman.HTTP.Request(.get, path, query: query).target == expected)
    }

    @Test(
        "socket URLs resolve to paths in the documented order",
        arguments: [
            ("unix:///run/x.sock", [:], "/run/x.sock"),
            (nil, ["CONTAINER_HOST": "unix:///tmp/h.sock"], "/tmp/h.sock"),
            (nil, ["XDG_RUNTIME_DIR": "/run/user/1000"], "/run/user/1000/podman/podman.sock"),
            ("/abs/p.sock", ["CONTAINER_HOST": "unix:///ignored"], "/abs/p.sock"),
            ("unix:/short.sock", [:], "/short.sock"),
        ] as [(String?, [String: String], String)])
    func resolvesSocket(explicit: String?, environment: [String: String], expected: String) throws {
        #expect(
            try PodmanSocket.resolvePath(explicitURL: explicit, environment: environment, effectiveUID: 1000)
                == expected)
    }

    @Test("without any hint, root and users get their default sockets")
    func defaultSockets() throws {
        #expect(
            try PodmanSocket.resolvePath(explicitURL: nil, environment: [:], effectiveUID: 0)
                == "/run/podman/podman.sock")
        #expect(
            try PodmanSocket.resolvePath(explicitURL: nil, environment: [:], effectiveUID: 1234)
                == "/run/user/1234/podman/podman.sock")
    }

    @Test(
        "URLs that are not Unix sockets are refused",
        arguments: ["tcp://127.0.0.1:8080", "ssh://host/run/p.sock", "unix://", "relative.sock"])
    func refusesOtherURLs(url: String) {
        #expect(throws: PodmanError.invalidSocketURL(url)) { try PodmanSocket.path(fromURL: url) }
    }

    @Test("health durations go on the wire as nanoseconds")
    func healthNanoseconds() throws {
        let config = Podman.ContainerCreateSpec.HealthConfig(
            test: ["CMD", "true"], interval: .seconds(10), timeout: .milliseconds(1500), retries: 3, startPeriod: .zero)
        let json = try JSONSerialization.jsonObject(with: JSONEncoder().encode(config)) as? [String: Any]
        #expect(json?["Interval"] as? Int64 == 10_000_000_000)
        #expect(json?["Timeout"] as? Int64 == 1_500_000_000)
        #expect(json?["StartPeriod"] as? Int64 == 0)
    }

    @Test("container inspect decodes both the 4.x and the 5.0 entrypoint shapes")
    func flexibleEntrypoint() throws {
        let old = #"{"Entrypoint":"/bin/sh -c"}"#
        let new = #"{"Entrypoint":["/bin/sh","-c"]}"#
        for body in [old, new] {
            let config = try JSONDecoder().decode(Podman.ContainerInspect.Configuration.self, from: Data(body.utf8))
            #expect(config.entrypoint?.values == ["/bin/sh", "-c"])
        }
    }
}

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
