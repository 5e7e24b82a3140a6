import Foundation
import Testing

@testable import PodmanAPI

/// The build's JSON-line output, cut at every possible byte, read into events as a whole stream is.
@Suite("Build output")
struct BuildOutputTests {
    static let id = String(repeating: "ab", count: 32)

    static func read(_ text: String, cutAt cut: Int) throws -> (events: [Podman.BuildEvent], id: String?) {
        let data = Data(text.utf8)
        var reader = BuildOutputReader()
        var events = try reader.feed(data.prefix(cut), route: "POST /build")
        events += try reader.feed(data.dropFirst(cut), route: "POST /build")
        events += reader.finish()
        return (events, reader.imageID)
    }

    @Test("output lines and the libpod ID line come out the same wherever the chunks are cut")
    func libpodStream() throws {
        let text = """
            {"stream":"STEP 1/2: FROM x\\n"}
            {"stream":"STEP 2/2: RUN echo "}
            {"stream":"hi\\nhi\\n"}
            {"stream":"\(Self.id)\\n"}

            """
        for cut in 0...text.utf8.count {
            let (events, id) = try Self.read(text, cutAt: cut)
            #expect(events == [.output("STEP 1/2: FROM x"), .output("STEP 2/2: RUN echo hi"), .output("hi")])
            #expect(id == Self.id)
        }
    }

    @Test("the compat aux ID is taken without its sha256: prefix")
    func auxID() throws {
        let (_, id) = try Self.read("{\"aux\":{\"ID\":\"sha256:\(Self.id)\"}}\n", cutAt: 5)
        #expect(id == Self.id)
    }

    @Test("an error line, string or object, is a BuildFailure with the last step and its output (CRLF or not)")
    func errorLine() throws {
        for error in ["\"boom\"", "{\"message\":\"boom\"}"] {
            let text = """
                {"stream":"STEP 2/4: COPY a b\\n"}
                {"stream":"STEP 3/4: RUN false\\r\\n"}
                {"stream":"said this\\r\\n"}
                {"error":\(error)}

                """
            let failure = Podman.BuildFailure(
                message: "boom", lastStep: "STEP 3/4: RUN false", stepOutput: ["said this"])
            #expect(throws: failure) {
                _ = try Self.read(text, cutAt: 0)
            }
        }
    }
}
