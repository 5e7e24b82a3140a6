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
}
