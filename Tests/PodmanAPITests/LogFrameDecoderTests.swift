import Foundation
import Testing

@testable import PodmanAPI

@Suite("Multiplexed log frames")
struct LogFrameDecoderTests {
    static func frame(_ stream: UInt8, _ text: String) -> Data {
        let payload = Data(text.utf8)
        var data = Data([stream, 0, 0, 0])
        let length = UInt32(payload.count).bigEndian
        withUnsafeBytes(of: length) { data.append(contentsOf: $0) }
        data.append(payload)
        return data
    }

    static let capture: Data =
        frame(1, "out-line\n") + frame(2, "err-line\n") + frame(1, "s3cr3t-value") + frame(1, "\n") + frame(1, "a\nb\n")
        + frame(2, "tail without newline")

    static let expected = [
        Podman.LogLine(stream: .stdout, text: "out-line"), Podman.LogLine(stream: .stderr, text: "err-line"),
        Podman.LogLine(stream: .stdout, text: "s3cr3t-value"), Podman.LogLine(stream: .stdout, text: "a"),
        Podman.LogLine(stream: .stdout, text: "b"), Podman.LogLine(stream: .stderr, text: "tail without newline"),
    ]

    @Test("frames split at every possible chunk boundary decode to the same lines", arguments: 1...12)
    func anyChunking(chunkSize: Int) {
        var decoder = Podman.LogFrameDecoder()
        var lines: [Podman.LogLine] = []
        var offset = 0
        let bytes = Self.capture
        while offset < bytes.count {
            let end = min(offset + chunkSize, bytes.count)
            lines += decoder.feed(bytes.subdata(in: offset..<end))
            offset = end
        }
        lines += decoder.finish()
        #expect(lines == Self.expected)
    }

    @Test("garbage where frames belong is marked as no log stream after the lines before it, not read as nothing")
    func garbage() {
        var decoder = Podman.LogFrameDecoder()
        let lines = decoder.feed(Self.frame(1, "ok\n") + Data("{\"garbage\": true}".utf8))
        #expect(lines == [Podman.LogLine(stream: .stdout, text: "ok")])
        #expect(decoder.notFrames == Data("{\"garbage\": true}".utf8))
        #expect(decoder.feed(Self.frame(1, "later\n")).isEmpty)
        var clean = Podman.LogFrameDecoder()
        _ = clean.feed(Self.capture)
        #expect(clean.notFrames == nil)
    }

    @Test("JSON lines are cut at newlines whatever the chunks")
    func jsonLines() {
        var splitter = JSONLineSplitter()
        let text = "{\"stream\":\"a\"}\n\n{\"id\":\"x\"}\n{\"err"
        var lines: [String] = []
        for byte in Data(text.utf8) { lines += splitter.feed(Data([byte])).map { String(decoding: $0, as: UTF8.self) } }
        #expect(lines == ["{\"stream\":\"a\"}", "{\"id\":\"x\"}"])
    }
}
