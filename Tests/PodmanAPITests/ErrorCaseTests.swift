import Foundation
import Testing

@testable import PodmanAPI

/// Failures with a case of their own: what each keeps, and that the client goes on after one.
@Suite("Each failure is its own error case", .serialized)
struct ErrorCaseTests {
    @Test("an option libcurl refuses is an error that names it, and the next request on that handle works")
    func refusedOption() async throws {
        let server = try ScriptedServer(script: [[.send(TransportFailureTests.pingOK)]])
        defer { server.stop() }
        let transport = Podman.CurlTransport(socketPath: server.socketPath)
        // libcurl refuses strings longer than 8,000,000 bytes (CURL_MAX_INPUT_LENGTH).
        let tooLong = Podman.HTTP.Request(.get, "/" + String(repeating: "a", count: 8_000_001))
        try await withTaskExecutorPreference(transport.executor) {
            let worker = transport.workers.currentWorker.map(ObjectIdentifier.init)
            await #expect {
                _ = try await transport.send(tooLong)
            } throws: { error in
                guard case .transport(.optionRefused(let option, _, _), _) = error as? PodmanError else { return false }
                return option == "CURLOPT_URL"
            }
            let response = try await transport.send(Podman.HTTP.Request(.get, "/_ping"))
            #expect(response.status == 200)
            #expect(worker != nil && transport.workers.currentWorker.map(ObjectIdentifier.init) == worker)
        }
        #expect(server.requests.count == 1 && server.requests[0].hasPrefix("GET /_ping HTTP/1.1"))
    }

    @Test("a body that does not decode keeps a short excerpt of itself, marked as cut")
    func decodingExcerpt() async throws {
        let body = "<html>" + String(repeating: "x", count: 5_000) + "</html>"
        let server = try ScriptedServer(script: [
            [.send("HTTP/1.1 200 OK\r\nContent-Length: \(body.utf8.count)\r\n\r\n\(body)")]
        ])
        defer { server.stop() }
        await #expect {
            _ = try await PodmanClient(socketPath: server.socketPath).inspectPod("x")
        } throws: { error in
            guard case .decoding(let route, _, let excerpt) = error as? PodmanError else { return false }
            return route == "GET /v4.0.0/libpod/pods/x/json" && excerpt.hasPrefix("<html>xxx")
                && excerpt.hasSuffix("… (5013 bytes)") && excerpt.count < PodmanError.excerptLength + 20
        }
    }

    @Test("a log answer that is not frames is a decoding error with an excerpt, not an empty log")
    func logGarbage() async throws {
        let body = #"{"not": "a log"}"#
        let server = try ScriptedServer(script: [
            [.send("HTTP/1.1 200 OK\r\nContent-Length: \(body.utf8.count)\r\n\r\n\(body)")]
        ])
        defer { server.stop() }
        var lines = 0
        await #expect {
            for try await _ in PodmanClient(socketPath: server.socketPath).logs("c", follow: false) { lines += 1 }
        } throws: { error in
            guard case .decoding(_, _, let excerpt) = error as? PodmanError else { return false }
            return excerpt.hasPrefix(#"{"not""#)
        }
        #expect(lines == 0)
    }

    @Test("a pull that reports an error inside its 200 stream is a failed pull, with Podman's sentence")
    func pullErrorLine() async throws {
        let lines =
            #"{"stream":"Trying to pull a/b:c...\n"}"# + "\n" + #"{"error":"initializing source: no such host"}"# + "\n"
        let server = try ScriptedServer(script: [
            [.send("HTTP/1.1 200 OK\r\nContent-Length: \(lines.utf8.count)\r\n\r\n\(lines)")]
        ])
        defer { server.stop() }
        var progress: [String] = []
        await #expect(throws: PodmanError.pullFailed(reference: "a/b:c", message: "initializing source: no such host"))
        {
            for try await event in PodmanClient(socketPath: server.socketPath).pullImage("a/b:c") {
                if case .progress(let text) = event { progress.append(text) }
            }
        }
        #expect(progress == ["Trying to pull a/b:c..."])
    }
}
