import Foundation
import PodmanAPI
import PodstackTestSupport
import Testing

/// `up` of services with `build:` on the real bed: the image is built before anything is created, a built
/// image is not built again, and a failed build exits 8 having created nothing.
@Suite("up builds images", .enabled(if: TestBed.enabled))
struct BuildUpIntegrationTests {
    /// A stack of `plain` (the stand-in image) and `built` (built FROM it, in `context` beside the file).
    static func stack(dockerfile: String) throws -> (ScratchStack, image: String) {
        let stack = try ScratchStack("build-up")
        let context = stack.directory + "/context"
        try FileManager.default.createDirectory(atPath: context, withIntermediateDirectories: true)
        try dockerfile.write(toFile: context + "/Containerfile", atomically: true, encoding: .utf8)
        try "one\n".write(toFile: context + "/source.txt", atomically: true, encoding: .utf8)
        let built = ScratchStack.service("built", health: false, extra: "    build: ./context\n")
            .replacingOccurrences(of: "    image: \(TestBed.genericImage)\n", with: "")
        try stack.write(ScratchStack.service("plain", health: false) + built)
        return (stack, "localhost/\(stack.pod)-built")
    }

    @Test("up builds the missing image, then runs both services; a second up builds and recreates nothing")
    func buildsThenKeeps() async throws {
        let (stack, image) = try Self.stack(dockerfile: "FROM \(TestBed.genericImage)\nCOPY source.txt /source.txt\n")
        let podstack = try PodstackProcess()
        let client = try TestBed.client()
        try await withCleanup({
            await podstack.down(stack.directory)
            try? await client.removeImage(image, force: true)
        }) {
            let up = try await podstack.run(["up", "--compose-dir", stack.directory])
            #expect(up.status == 0, "\(up.output)")
            #expect(up.stderr.contains("build \(image): STEP"), "\(up.stderr)")
            #expect(try await client.imageExists(image))
            let first = try await client.inspectContainer("\(stack.pod)-built").id
            let plain = try await client.inspectContainer("\(stack.pod)-plain").id
            let again = try await podstack.run(["up", "--compose-dir", stack.directory])
            #expect(again.status == 0, "\(again.output)")
            #expect(!again.stderr.contains("building \(image)"), "\(again.stderr)")
            #expect(try await client.inspectContainer("\(stack.pod)-built").id == first)
            #expect(try await client.inspectContainer("\(stack.pod)-plain").id == plain)
        }
    }

    @Test("a failing build exits 8 with its step and output, and creates no pod")
    func failingBuild() async throws {
        let (stack, image) = try Self.stack(
            dockerfile: "FROM \(TestBed.genericImage)\nRUN echo build-broke-here && false\n")
        let podstack = try PodstackProcess()
        let client = try TestBed.client()
        try await withCleanup({
            await podstack.down(stack.directory)
            try? await client.removeImage(image, force: true)
        }) {
            let up = try await podstack.run(["up", "--compose-dir", stack.directory])
            #expect(up.status == 8, "\(up.output)")
            #expect(up.stderr.contains("did not build"), "\(up.stderr)")
            #expect(up.stderr.contains("build-broke-here"), "\(up.stderr)")
            #expect(up.stderr.contains("No pod was created"))
            #expect(try await client.podExists(stack.pod) == false)
            #expect(try await client.imageExists(image) == false)
        }
    }
}
