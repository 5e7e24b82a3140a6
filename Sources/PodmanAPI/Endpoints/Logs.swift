import Foundation

/// `GET /libpod/containers/{name}/logs`: always multiplexed frames on the libpod route, even for tty
/// containers (seen on 4.3.1 and 5.4.2).
extension PodmanClient {
    /// The last `lines` lines of a container's output.
    public func logTail(_ name: String, lines: Int) async throws -> [Podman.LogLine] {
        let response = try await send(
            .get, "/containers/\(name)/logs", query: logQuery(tail: String(lines), follow: false))
        var decoder = Podman.LogFrameDecoder()
        let lines = decoder.feed(response.body)
        try Self.requireFrames(decoder, route: "GET /containers/\(name)/logs")
        return lines + decoder.finish()
    }

    /// Garbage where log frames belong is a decoding error (with an excerpt), not an empty log.
    static func requireFrames(_ decoder: Podman.LogFrameDecoder, route: String) throws {
        guard let bytes = decoder.notFrames else { return }
        throw PodmanError.decoding(
            route: route, reason: "the answer is not a multiplexed log stream", excerpt: PodmanError.excerpt(of: bytes))
    }

    /// The log as it is written. With `follow`, the stream ends when the container exits; on Podman 4.3
    /// nothing at all arrives (not even the status) until the first line.
    public func logs(_ name: String, tail: Int? = nil, follow: Bool) -> AsyncThrowingStream<Podman.LogLine, Error> {
        let request = Podman.HTTP.Request(
            .get, route("/containers/\(name)/logs"),
            query: logQuery(tail: tail.map(String.init) ?? "all", follow: follow),
            timeout: follow ? nil : requestTimeout, responseHeaders: .none)
        let parts = transport.stream(request)
        return AsyncThrowingStream { continuation in
            let task = Task {
                do {
                    var decoder = Podman.LogFrameDecoder()
                    for try await data in checkedBody(parts, route: "GET \(request.path)") {
                        for line in decoder.feed(data) { continuation.yield(line) }
                        try Self.requireFrames(decoder, route: "GET \(request.path)")
                    }
                    for line in decoder.finish() { continuation.yield(line) }
                    continuation.finish()
                } catch {
                    continuation.finish(throwing: error)
                }
            }
            continuation.onTermination = { _ in task.cancel() }
        }
    }

    private func logQuery(tail: String, follow: Bool) -> [URLQueryItem] {
        [
            URLQueryItem(name: "stdout", value: "true"), URLQueryItem(name: "stderr", value: "true"),
            URLQueryItem(name: "tail", value: tail), URLQueryItem(name: "follow", value: follow ? "true" : "false"),
        ]
    }

    /// The body chunks of a streamed response whose status is 200; any other status becomes `.http` with
    /// the collected body.
    func checkedBody(
        _ parts: AsyncThrowingStream<Podman.HTTP.StreamPart, Error>, route: String
    ) -> AsyncThrowingStream<Data, Error> {
        AsyncThrowingStream { continuation in
            let task = Task {
                do {
                    var status = 0
                    var errorBody = Data()
                    for try await part in parts {
                        switch part {
                        case .head(let code, _): status = code
                        case .data(let data):
                            if status == 200 { continuation.yield(data) } else { errorBody.append(data) }
                        }
                    }
                    if status != 200 { throw Self.httpError(status: status, route: route, body: errorBody) }
                    continuation.finish()
                } catch {
                    continuation.finish(throwing: error)
                }
            }
            continuation.onTermination = { _ in task.cancel() }
        }
    }
}

extension Podman {
    /// Splits Podman's multiplexed log stream: `[stream:1][0 0 0][length:4 big-endian][payload]`. Frames
    /// arrive at any chunk boundary, and a line can span frames (a partial line is its own frame), so payloads
    /// are joined per stream and cut at newlines. Guarded by `LogFrameDecoderTests`.
    public struct LogFrameDecoder: Sendable {
        private var pending = Data()
        private var partialLines: [LogLine.Stream: Data] = [:]
        /// The bytes, from where a frame header should have been, when they were none (a stream marker
        /// 0...3 followed by three zero bytes): the answer is not Podman's log stream. Decoding stops there.
        public private(set) var notFrames: Data?

        public init() {}

        public mutating func feed(_ data: Data) -> [LogLine] {
            guard notFrames == nil else { return [] }
            pending.append(data)
            var lines: [LogLine] = []
            while pending.count >= 8 {
                let header = Array(pending.prefix(8))
                guard header[0] <= 3, header[1] == 0, header[2] == 0, header[3] == 0 else {
                    notFrames = pending
                    return lines
                }
                let length = Int(header[4]) << 24 | Int(header[5]) << 16 | Int(header[6]) << 8 | Int(header[7])
                guard pending.count >= 8 + length else { break }
                let payload = pending.dropFirst(8).prefix(length)
                let stream: LogLine.Stream = header[0] == 2 ? .stderr : .stdout
                pending = Data(pending.dropFirst(8 + length))
                var buffer = partialLines[stream, default: Data()]
                buffer.append(payload)
                while let newline = buffer.firstIndex(of: 0x0A) {
                    let line = buffer[buffer.startIndex..<newline]
                    lines.append(LogLine(stream: stream, text: String(decoding: line, as: UTF8.self)))
                    buffer = Data(buffer[buffer.index(after: newline)...])
                }
                partialLines[stream] = buffer
            }
            return lines
        }

        /// Whatever is left without a final newline.
        public mutating func finish() -> [LogLine] {
            var lines: [LogLine] = []
            for stream in [LogLine.Stream.stdout, .stderr] {
                if let rest = partialLines[stream], !rest.isEmpty {
                    lines.append(LogLine(stream: stream, text: String(decoding: rest, as: UTF8.self)))
                }
            }
            partialLines = [:]
            return lines
        }
    }
}
