import Foundation

/// A tiny HTTP server on a temporary Unix socket, for the failures a real Podman will not produce on
/// demand: half-written answers, silence, garbage. Each connection gets the next scripted reply; every
/// request head is recorded, and a test can wait for the server to have read a request (`received(_:)`)
/// instead of sleeping and hoping it is in flight.
final class ScriptedServer: @unchecked Sendable {
    enum Step {
        /// Read the next request head on the same connection (keep-alive).
        case nextRequest
        case send(String)
        case sleep(TimeInterval)
        /// Wait for `release()`, or this many seconds at most.
        case hold(TimeInterval)
        case close
    }

    let socketPath: String
    private let listener: Int32
    fileprivate let lock = NSLock()
    private var script: [[Step]]
    fileprivate var recorded: [String] = []
    private var connections = 0
    private var servedConnections = 0
    /// Tests waiting for a number of recorded requests, resumed as each request is read.
    private var waiters: [(count: Int, continuation: CheckedContinuation<Void, Never>)] = []
    private var listening = true
    private let directory: String
    private let released = DispatchSemaphore(value: 0)

    init(script: [[Step]]) throws {
        directory = NSTemporaryDirectory() + "podstack-scripted-\(UUID().uuidString.prefix(8))"
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        socketPath = directory + "/s.sock"
        self.script = script
        // Close-on-exec: a podstack child started by another test must not hold this server's sockets open.
        listener = socket(AF_UNIX, Int32(SOCK_STREAM.rawValue) | Int32(SOCK_CLOEXEC.rawValue), 0)
        var address = sockaddr_un()
        address.sun_family = sa_family_t(AF_UNIX)
        withUnsafeMutableBytes(of: &address.sun_path) { raw in
            let bytes = Array(socketPath.utf8.prefix(raw.count - 1)) + [0]
            raw.copyBytes(from: bytes)
        }
        let bound = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                bind(listener, $0, socklen_t(MemoryLayout<sockaddr_un>.size))
            }
        }
        guard bound == 0, listen(listener, 16) == 0 else { throw POSIXError(.EADDRINUSE) }
        let thread = Thread { [self] in acceptLoop() }
        thread.start()
    }

    var requests: [String] { lock.withLock { recorded } }
    var connectionCount: Int { lock.withLock { connections } }
    /// Connections whose script has run to its end (or whose client went away).
    var finishedConnectionCount: Int { lock.withLock { servedConnections } }

    /// Returns once the server has read `count` requests in all (the head and the body of each).
    func received(_ count: Int = 1) async {
        await withCheckedContinuation { continuation in
            let ready = lock.withLock {
                if recorded.count >= count { return true }
                waiters.append((count, continuation))
                return false
            }
            if ready { continuation.resume() }
        }
    }

    /// Stops listening but leaves the socket file: the next connect is refused.
    func stopListeningKeepingFile() {
        // Shut down once, and never close here: the accept loop closes the listener when its accept fails.
        // Closing it here as well (or twice, as stop() after this once did) closed whatever descriptor had
        // taken the number since, another test's connection, which then failed mid-request in CI.
        let first = lock.withLock {
            defer { listening = false }
            return listening
        }
        if first { shutdown(listener, Int32(SHUT_RDWR)) }
    }

    /// Lets a `.hold` step go on.
    func release() { released.signal() }

    func stop() {
        stopListeningKeepingFile()
        try? FileManager.default.removeItem(atPath: directory)
    }

    private func acceptLoop() {
        while true {
            let connection = accept(listener, nil, nil)
            if connection < 0 {
                if errno == EINTR && lock.withLock({ listening }) { continue }
                close(listener)
                return
            }
            _ = fcntl(connection, F_SETFD, FD_CLOEXEC)
            let steps: [Step]? = lock.withLock {
                connections += 1
                return script.isEmpty ? nil : script.removeFirst()
            }
            let thread = Thread { [self] in serve(connection, steps: steps ?? [.close]) }
            thread.start()
        }
    }

    private func serve(_ connection: Int32, steps: [Step]) {
        defer {
            close(connection)
            lock.withLock { servedConnections += 1 }
        }
        guard readRequestHead(connection) else { return }
        for step in steps {
            switch step {
            case .nextRequest:
                guard readRequestHead(connection) else { return }
            case .send(let reply):
                let bytes = Array(reply.utf8)
                var sent = 0
                while sent < bytes.count {
                    let count = bytes.withUnsafeBytes { buffer -> Int in
                        guard let base = buffer.baseAddress else { return 0 }
                        return write(connection, base + sent, buffer.count - sent)
                    }
                    if count < 0 && errno == EINTR { continue }
                    if count <= 0 { return }
                    sent += count
                }
            case .sleep(let seconds):
                Thread.sleep(forTimeInterval: seconds)
            case .hold(let seconds):
                _ = released.wait(timeout: .now() + seconds)
            case .close:
                return
            }
        }
    }
}

extension ScriptedServer {
    /// Reads a request: its head, up to the blank line, and a body of the head's Content-Length, if any.
    /// Both are recorded, the body after the head.
    fileprivate func readRequestHead(_ connection: Int32) -> Bool {
        var head = Data()
        var byte: UInt8 = 0
        let terminator = Data("\r\n\r\n".utf8)
        // A signal to this thread (a child of another test ending) interrupts a read: it is read again.
        while !head.contains(terminator) {
            let count = read(connection, &byte, 1)
            if count < 0 && errno == EINTR { continue }
            if count != 1 { return false }
            head.append(byte)
        }
        var text = String(decoding: head, as: UTF8.self)
        let length =
            text.split(separator: "\r\n").lazy.compactMap { line -> Int? in
                let parts = line.split(separator: ":", maxSplits: 1)
                guard parts.count == 2, parts[0].lowercased() == "content-length" else { return nil }
                return Int(parts[1].trimmingCharacters(in: .whitespaces))
            }.first ?? 0
        var body = [UInt8](repeating: 0, count: length)
        var got = 0
        while got < length {
            let count = body.withUnsafeMutableBytes { buffer in
                guard let base = buffer.baseAddress else { return -1 }
                return read(connection, base + got, length - got)
            }
            if count < 0 && errno == EINTR { continue }
            if count <= 0 { return false }
            got += count
        }
        text += String(decoding: body, as: UTF8.self)
        let due = lock.withLock {
            recorded.append(text)
            let count = recorded.count
            let due = waiters.filter { $0.count <= count }.map(\.continuation)
            waiters.removeAll { $0.count <= count }
            return due
        }
        for waiter in due { waiter.resume() }
        return true
    }
}

extension Data {
    fileprivate func contains(_ other: Data) -> Bool { range(of: other) != nil }
}
