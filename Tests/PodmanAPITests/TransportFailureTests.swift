import Foundation
import Testing

@testable import PodmanAPI

/// Error paths against `ScriptedServer`: the answers Podman will not give on demand.
@Suite("Transport and HTTP failures keep their category", .serialized)
struct TransportFailureTests {
    static let pingOK = "HTTP/1.1 200 OK\r\nLibpod-Api-Version: 4.3.1\r\nContent-Length: 2\r\n\r\nOK"

    @Test("a response cut off mid-body is a lost connection, not a success")
    func halfWrittenResponse() async throws {
        let server = try ScriptedServer(script: [
            [.send("HTTP/1.1 200 OK\r\nContent-Length: 100\r\n\r\n{\"Id\":"), .close]
        ])
        defer { server.stop() }
        let client = PodmanClient(socketPath: server.socketPath)
        await #expect {
            _ = try await client.inspectPod("x")
        } throws: { error in
            guard case .transport(.connectionLost, _) = error as? PodmanError else { return false }
            return true
        }
    }

    @Test("a server that stays silent hits the request timeout")
    func slowServer() async throws {
        let server = try ScriptedServer(script: [[.hold(10)]])
        defer {
            server.release()
            server.stop()
        }
        let client = PodmanClient(socketPath: server.socketPath, requestTimeout: .milliseconds(400))
        // Had the bound not held, the server's close after 10 s would be a lost connection instead.
        await #expect(throws: PodmanError.transport(.timedOut(milliseconds: 400), socketPath: server.socketPath)) {
            _ = try await client.inspectPod("x")
        }
        #expect(server.finishedConnectionCount == 0, "the request ended while the server was still silent")
    }

    @Test("a garbage body with status 200 is a decoding error that keeps the raw body")
    func garbageBody() async throws {
        let server = try ScriptedServer(script: [[.send("HTTP/1.1 200 OK\r\nContent-Length: 9\r\n\r\nnot json!")]])
        defer { server.stop() }
        let client = PodmanClient(socketPath: server.socketPath)
        await #expect {
            _ = try await client.inspectPod("x")
        } throws: { error in
            guard case .decoding(_, _, let raw) = error as? PodmanError else { return false }
            return raw == "not json!"
        }
    }

    @Test("Podman's error model is decoded, and plain-text router errors are kept as text")
    func errorBodies() async throws {
        let model = #"{"cause":"no such pod","message":"no pod with name or ID x found: no such pod","response":404}"#
        let server = try ScriptedServer(script: [
            [
                .send(
                    "HTTP/1.1 404 Not Found\r\nContent-Type: application/json\r\nContent-Length: \(model.utf8.count)\r\n\r\n\(model)"
                )
            ],
            [
                .send(
                    "HTTP/1.1 405 Method Not Allowed\r\nContent-Type: text/plain\r\nContent-Length: 18\r\n\r\nMethod Not Allowed"
                )
            ],
        ])
        defer { server.stop() }
        let client = PodmanClient(socketPath: server.socketPath)
        do {
            _ = try await client.inspectPod("x")
            Issue.record("expected a 404")
        } catch let error as PodmanError {
            #expect(error.isNotFound)
            #expect(error.serverMessage == "no pod with name or ID x found: no such pod")
        }
        do {
            _ = try await client.inspectPod("x")
            Issue.record("expected a 405")
        } catch let error as PodmanError {
            #expect(error.httpStatus == 405)
            #expect(error.serverMessage == "Method Not Allowed")
        }
        #expect(server.requests.first?.hasPrefix("GET /v4.0.0/libpod/pods/x/json HTTP/1.1") == true)
    }

    @Test("a server without the Libpod-Api-Version header is not taken for Podman")
    func notPodman() async throws {
        let server = try ScriptedServer(script: [[.send("HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nOK")]])
        defer { server.stop() }
        await #expect {
            _ = try await PodmanClient(socketPath: server.socketPath).ping()
        } throws: { error in
            guard case .transport(.notPodman, _) = error as? PodmanError else { return false }
            return true
        }
    }

    @Test("a missing socket and a socket nobody listens on are told apart")
    func missingAndRefused() async throws {
        let missing = NSTemporaryDirectory() + "podstack-nowhere-\(UUID().uuidString)/podman.sock"
        await #expect(throws: PodmanError.transport(.socketMissing, socketPath: missing)) {
            _ = try await PodmanClient(socketPath: missing).ping()
        }
        // A socket file whose listener has gone: connect() is refused.
        let server = try ScriptedServer(script: [])
        let path = server.socketPath
        let dead = path + ".dead"
        try FileManager.default.createSymbolicLink(atPath: dead, withDestinationPath: path)
        server.stopListeningKeepingFile()
        // A descriptor opened now may take the listener's number once it is closed; stopping the server
        // again must not close it (it once did, and another test's connection failed mid-request).
        let bystander = open("/dev/null", O_RDONLY | O_CLOEXEC)
        defer { close(bystander) }
        await #expect(throws: PodmanError.transport(.connectionRefused, socketPath: dead)) {
            _ = try await PodmanClient(socketPath: dead).ping()
        }
        server.stop()
        #expect(fcntl(bystander, F_GETFD) >= 0, "stopping the server closed a descriptor it did not own")
    }

    @Test("cancelling a task stops its blocked request while the server is still silent")
    func cancellation() async throws {
        let server = try ScriptedServer(script: [[.sleep(10)]])
        defer { server.stop() }
        let client = PodmanClient(socketPath: server.socketPath)
        let task = Task { try await client.waitContainer("sleeper") }
        await server.received()
        task.cancel()
        await #expect(throws: PodmanError.transport(.cancelled, socketPath: server.socketPath)) {
            _ = try await task.value
        }
        #expect(server.finishedConnectionCount == 0, "the request stopped while the server was still silent")
    }

    @Test(
        "on the client's own executor a request runs in place on the caller's thread, keeps its connection, and cancelling still stops it"
    )
    func onClientExecutor() async throws {
        let reply = Self.pingOK
        let server = try ScriptedServer(script: [[.send(reply), .nextRequest, .send(reply), .nextRequest, .sleep(10)]])
        defer { server.stop() }
        let client = PodmanClient(socketPath: server.socketPath)
        let transport = client.transport
        let task = Task {
            try await withTaskExecutorPreference(client.executor) {
                // On a worker of this client: the request needs no hop to another thread.
                #expect(transport.workers.currentWorker != nil)
                let thread = pthread_self()
                _ = try await client.ping()
                #expect(pthread_equal(thread, pthread_self()) != 0, "still on the same thread, nothing suspended")
                _ = try await client.ping()
                _ = try await client.waitContainer("sleeper")
            }
        }
        // Off the executor, no worker is current.
        #expect(transport.workers.currentWorker == nil)
        await server.received(3)
        task.cancel()
        await #expect(throws: PodmanError.transport(.cancelled, socketPath: server.socketPath)) {
            try await task.value
        }
        #expect(server.finishedConnectionCount == 0, "the wait stopped while the server was still silent")
        #expect(server.connectionCount == 1, "the pings and the wait shared one kept-alive connection")
    }

    /// What `methodsInTurn` sends, in order, and what the server answers to each.
    static func requestsInTurn() -> [(Podman.HTTP.Request, reply: String)] {
        let ok = "HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nOK"
        let empty = "HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\n"  // HEAD: a length, but no body
        let noContent = "HTTP/1.1 204 No Content\r\n\r\n"
        return [
            (Podman.HTTP.Request(.post, "/a", body: Data("{\"x\":1}".utf8), contentType: "application/json"), ok),
            (Podman.HTTP.Request(.head, "/b"), empty),
            (Podman.HTTP.Request(.get, "/c", query: [URLQueryItem(name: "q", value: "a b")]), ok),
            (Podman.HTTP.Request(.delete, "/d"), noContent),
            (Podman.HTTP.Request(.post, "/e", body: Data("tar".utf8), contentType: "application/x-tar"), ok),
            (Podman.HTTP.Request(.delete, "/e2"), noContent),  // straight after a POST, with no reset between
            (Podman.HTTP.Request(.post, "/f", headers: ["X-Registry-Auth": "e30="]), ok),
            (Podman.HTTP.Request(.get, "/f2", headers: ["X-Other": "1"]), ok),  // a second one-off header list
            (
                Podman.HTTP.Request(
                    .post, "/f3", body: Data(repeating: 0x61, count: 70_000), contentType: "text/plain"), ok
            ),
            (Podman.HTTP.Request(.get, "/t1", timeout: .milliseconds(300)), ok),
            (Podman.HTTP.Request(.get, "/t2", timeout: nil), ok),  // answered after 0.6 s: no timeout left from /t1
            (Podman.HTTP.Request(.get, "/g"), ok),
            (Podman.HTTP.Request(.get, "/g"), ok),  // the same URL again: set once, sent twice
            (Podman.HTTP.Request(.get, "/h", query: [URLQueryItem(name: "q", value: "1")]), ok),
            (Podman.HTTP.Request(.get, "/h"), ok),  // the same path without the query: not taken for the last URL
        ]
    }

    @Test(
        "one handle carries every method in turn, each sent as asked: no body, method, header or timeout left over; from a worker and in place",
        arguments: [false, true])
    func methodsInTurn(onClientExecutor: Bool) async throws {
        let requests = Self.requestsInTurn()
        var steps: [ScriptedServer.Step] = []
        for (index, request) in requests.enumerated() {
            if index > 0 { steps.append(.nextRequest) }
            if request.0.path == "/t2" { steps.append(.sleep(0.6)) }
            steps.append(.send(request.reply))
        }
        let server = try ScriptedServer(script: [steps])
        defer { server.stop() }
        let transport = Podman.CurlTransport(socketPath: server.socketPath)
        let sendAll = {
            for (request, _) in requests {
                let response = try await transport.send(request)
                #expect(response.status == (request.method == .delete ? 204 : 200), "\(request.path)")
            }
        }
        if onClientExecutor {
            try await withTaskExecutorPreference(transport.executor) { try await sendAll() }
        } else {
            try await sendAll()
        }
        let heads = server.requests
        try #require(heads.count == requests.count, "\(heads)")
        #expect(heads.map { String($0.prefix { $0 != " " }) } == requests.map { $0.0.method.rawValue })
        #expect(
            heads.map { $0.split(separator: " ")[1] } == [
                "/a", "/b", "/c?q=a%20b", "/d", "/e", "/e2", "/f", "/f2", "/f3", "/t1", "/t2", "/g", "/g", "/h?q=1",
                "/h",
            ])
        #expect(heads[0].contains("Content-Type: application/json") && heads[0].hasSuffix("\r\n\r\n{\"x\":1}"))
        #expect(heads[4].contains("Content-Type: application/x-tar") && heads[4].hasSuffix("\r\n\r\ntar"))
        #expect(heads[6].contains("X-Registry-Auth: e30=") && heads[6].contains("Content-Length: 0"))
        #expect(heads[7].contains("X-Other: 1") && !heads[7].contains("X-Registry-Auth"))
        #expect(heads[8].contains("Content-Length: 70000") && heads[8].hasSuffix(String(repeating: "a", count: 70_000)))
        for index in [1, 2, 3, 5, 7, 9, 10, 11, 12, 13, 14] {
            #expect(
                !heads[index].contains("Content-Length") && !heads[index].contains("Content-Type"), "\(heads[index])")
        }
        #expect(!heads[11].contains("X-Registry-Auth") && !heads[11].contains("X-Other"))
        #expect(server.connectionCount == 1)
    }

    @Test(
        "requests keeping every header field, one, or none get their status and exact body, on one handle that switches between them; from a worker and in place",
        arguments: [false, true])
    func responseHeaderSelection(onClientExecutor: Bool) async throws {
        let withFields = "HTTP/1.1 200 OK\r\nX-Field: one\r\nX-Other: a\r\nContent-Length: 4\r\n\r\nbody"
        let missing = "HTTP/1.1 404 Not Found\r\nX-Field: two\r\nContent-Length: 9\r\n\r\nnot found"
        let noContent = "HTTP/1.1 204 No Content\r\nX-Field: three\r\n\r\n"
        let chunked =
            "HTTP/1.1 200 OK\r\nX-Field: four\r\nTransfer-Encoding: chunked\r\n\r\n3\r\nabc\r\n2\r\nde\r\n0\r\n\r\n"
        // "X-Fielda" is as long as "X-Other" plus one: the filter must not take a prefix for the name.
        let lookalike = "HTTP/1.1 200 OK\r\nX-Fielda: no\r\nx-field: five\r\nContent-Length: 4\r\n\r\nbody"
        // Only letters fold: "X_Under" is not "X-Under", and "_" must not be folded away.
        let underscore = "HTTP/1.1 200 OK\r\nX-Under: no\r\nX_Under: yes\r\nContent-Length: 4\r\n\r\nbody"
        let exchanges: [(Podman.HTTP.Request.ResponseHeaders, String)] = [
            (.all, withFields), (.none, missing), (.none, noContent), (.only(.init("X-FIELD")), withFields),
            (.none, chunked), (.only(.init("x-field")), lookalike), (.all, withFields),
            (.only(.init("x_under")), underscore),
        ]
        var steps: [ScriptedServer.Step] = []
        for (index, exchange) in exchanges.enumerated() {
            if index > 0 { steps.append(.nextRequest) }
            steps.append(.send(exchange.1))
        }
        let server = try ScriptedServer(script: [steps])
        defer { server.stop() }
        let transport = Podman.CurlTransport(socketPath: server.socketPath)
        let sendAll = { () async throws -> [Podman.HTTP.Response] in
            var responses: [Podman.HTTP.Response] = []
            for (selection, _) in exchanges {
                responses.append(try await transport.send(Podman.HTTP.Request(.get, "/r", responseHeaders: selection)))
            }
            return responses
        }
        let responses =
            onClientExecutor
            ? try await withTaskExecutorPreference(transport.executor) { try await sendAll() } : try await sendAll()
        #expect(responses.map(\.status) == [200, 404, 204, 200, 200, 200, 200, 200])
        // Without a header callback libcurl would hand the head to the body callback if HEADERDATA were left set.
        #expect(responses.map(\.bodyText) == ["body", "not found", "", "body", "abcde", "body", "body", "body"])
        #expect(responses.map { $0.headers["x-field"] } == ["one", nil, nil, "one", nil, "five", "one", nil])
        #expect(responses.map { $0.headers["x-other"] } == ["a", nil, nil, nil, nil, nil, "a", nil])
        #expect(responses[5].headers.fields.map(\.name) == ["x-field"])
        #expect(responses[7].headers.fields.map(\.value) == ["yes"])
        #expect(server.connectionCount == 1)
    }

    @Test("a stream that keeps no header fields still gets its status in its head, before the body")
    func streamWithoutHeaders() async throws {
        let reply = "HTTP/1.1 201 Created\r\nX-Field: one\r\nTransfer-Encoding: chunked\r\n\r\n3\r\nabc\r\n0\r\n\r\n"
        let server = try ScriptedServer(script: [[.send(reply)]])
        defer { server.stop() }
        let transport = Podman.CurlTransport(socketPath: server.socketPath)
        var parts: [String] = []
        for try await part in transport.stream(Podman.HTTP.Request(.get, "/s", timeout: nil, responseHeaders: .none)) {
            switch part {
            case .head(let status, let headers): parts.append("head \(status) \(headers["x-field"] ?? "-")")
            case .data(let data): parts.append("data \(String(decoding: data, as: UTF8.self))")
            }
        }
        #expect(parts == ["head 201 -", "data abc"])
    }

    /// An actor whose tasks prefer the client's executor runs on a worker thread; a request made there must
    /// not run in place, which would hold the actor for the whole transfer.
    actor RequestingActor {
        let transport: Podman.CurlTransport
        private(set) var events: [String] = []
        init(transport: Podman.CurlTransport) { self.transport = transport }
        func slowRequest() async throws {
            _ = try await transport.send(Podman.HTTP.Request(.get, "/slow"))
            events.append("slow request answered")
        }
        func note(_ event: String) { events.append(event) }
    }

    @Test("a request made by an actor on the client's executor leaves the actor free while it waits")
    func actorIsNotHeld() async throws {
        // The server answers once the actor has noted its event, or after 1.5 s if the actor is held.
        let server = try ScriptedServer(script: [[.hold(1.5), .send(Self.pingOK)]])
        defer { server.stop() }
        let transport = Podman.CurlTransport(socketPath: server.socketPath)
        let holder = RequestingActor(transport: transport)
        try await withTaskExecutorPreference(transport.executor) {
            async let slow: Void = holder.slowRequest()
            await server.received()
            await holder.note("actor answered meanwhile")
            server.release()
            try await slow
        }
        #expect(await holder.events == ["actor answered meanwhile", "slow request answered"])
    }

    @Test("one connection is reused across sequential requests (keep-alive)")
    func keepAlive() async throws {
        let reply = Self.pingOK
        let server = try ScriptedServer(script: [
            [.send(reply), .nextRequest, .send(reply), .nextRequest, .send(reply)]
        ])
        defer { server.stop() }
        let client = PodmanClient(socketPath: server.socketPath)
        // The scripted connection answers three requests; a second connection would get `.close`.
        for _ in 0..<3 { _ = try await client.ping() }
        #expect(server.connectionCount == 1)
    }
}
