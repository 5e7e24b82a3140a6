import Foundation

/// `POST /libpod/build`: the context goes up as a tar stream, produced while it is sent; the answer is a
/// stream of JSON lines: `{"stream": text}` for output, `{"error": text}` when the build fails (the status
/// is 200 all the same), and the image ID at the end, as `{"aux": {"ID": "sha256:..."}}` or, from libpod,
/// a `stream` line holding only the 64-hex ID. Guarded by `BuildIntegrationTests`.
extension PodmanClient {
    /// Builds an image from `context` (a tar stream of the context directory). The stream yields the
    /// build's output lines, then `.built`; a failed build throws `Podman.BuildFailure`, a context that
    /// cannot be read throws what its producer threw.
    public func build(
        context: Podman.HTTP.BodyStream, options: Podman.BuildOptions
    ) -> AsyncThrowingStream<Podman.BuildEvent, Error> {
        var request = Podman.HTTP.Request(
            .post, route("/build"), query: options.query, contentType: "application/x-tar",
            headers: ["Transfer-Encoding": "chunked"], timeout: nil, responseHeaders: .none)
        request.bodyStream = context
        let route = "POST \(request.path)"
        let body = checkedBody(transport.stream(request), route: route)
        return AsyncThrowingStream { continuation in
            let task = Task {
                do {
                    var reader = BuildOutputReader()
                    for try await data in body {
                        for event in try reader.feed(data, route: route) { continuation.yield(event) }
                    }
                    for event in reader.finish() { continuation.yield(event) }
                    guard let imageID = reader.imageID else {
                        throw PodmanError.transport(
                            .connectionLost("the build stream ended without an image ID"), socketPath: socketPath)
                    }
                    continuation.yield(.built(imageID: imageID))
                    continuation.finish()
                } catch {
                    // A context that failed to read aborts the upload: its reason, not libcurl's, is the error.
                    continuation.finish(throwing: context.failure ?? error)
                }
            }
            continuation.onTermination = { _ in task.cancel() }
        }
    }
}

/// Turns the build's JSON lines into events, and remembers the step, its output so far, and the image ID.
struct BuildOutputReader {
    private var splitter = JSONLineSplitter()
    /// Output text not yet ended by a newline, as bytes: a "\r\n" would be one Character in a String.
    private var pendingText: [UInt8] = []
    private var lastStep: String?
    /// The current step's output lines, the last `keptStepLines` of them.
    private var stepOutput: [String] = []
    static let keptStepLines = 50
    /// The built image's ID, once the stream has given it.
    private(set) var imageID: String?

    mutating func feed(_ data: Data, route: String) throws -> [Podman.BuildEvent] {
        var events: [Podman.BuildEvent] = []
        for line in splitter.feed(data) {
            let item = try PodmanClient.decode(Podman.BuildStreamLine.self, from: line, route: route)
            if let error = item.error?.text ?? item.errorDetail?.message {
                throw Podman.BuildFailure(
                    message: error.trimmingCharacters(in: .whitespacesAndNewlines), lastStep: lastStep,
                    stepOutput: stepOutput)
            }
            if let id = item.aux?.ID { imageID = Self.bareID(id) }
            if let text = item.stream { events += lines(of: text) }
        }
        return events
    }

    /// What is left of the output once the stream has ended (a last line without its newline).
    mutating func finish() -> [Podman.BuildEvent] {
        pendingText.isEmpty ? [] : lines(of: "\n")
    }

    /// Output arrives in pieces that need not end at a line's end: whole lines are events; the ID line is not.
    private mutating func lines(of text: String) -> [Podman.BuildEvent] {
        pendingText += text.utf8
        var events: [Podman.BuildEvent] = []
        var start = 0
        while let newline = pendingText[start...].firstIndex(of: 0x0A) {
            var end = newline
            if end > start, pendingText[end - 1] == 0x0D { end -= 1 }
            let line = String(decoding: pendingText[start..<end], as: UTF8.self)
            start = newline + 1
            if Self.isImageID(line) {
                imageID = line
                continue
            }
            if line.hasPrefix("STEP ") {
                lastStep = line
                stepOutput = []
            } else {
                stepOutput.append(line)
                if stepOutput.count > Self.keptStepLines { stepOutput.removeFirst() }
            }
            events.append(.output(line))
        }
        pendingText.removeFirst(start)
        return events
    }

    static func isImageID(_ line: String) -> Bool {
        line.utf8.count == 64 && line.utf8.allSatisfy { (0x30...0x39).contains($0) || (0x61...0x66).contains($0) }
    }

    static func bareID(_ id: String) -> String {
        id.hasPrefix("sha256:") ? String(id.dropFirst(7)) : id
    }
}
