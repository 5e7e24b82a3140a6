import Foundation
import PodmanAPI
import PodstackTestSupport
import Testing

/// `up` of services with `build:` on the real bed: the image is built before anything is created, a built
/// image is not built again, and a failed build exits 9 having created nothing.
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

    /// A stack of one service `built` (with `extra` keys), built from `files` in `context` beside the file.
    static func builtStack(
        _ base: String, files: [String: String], extra: String = ""
    ) throws -> (ScratchStack, image: String) {
        let stack = try ScratchStack(base)
        let context = stack.directory + "/context"
        for (name, text) in files {
            let path = context + "/" + name
            try FileManager.default.createDirectory(
                atPath: (path as NSString).deletingLastPathComponent, withIntermediateDirectories: true)
            try text.write(toFile: path, atomically: true, encoding: .utf8)
        }
        let built = ScratchStack.service("built", health: false, extra: "    build: ./context\n" + extra)
            .replacingOccurrences(of: "    image: \(TestBed.genericImage)\n", with: "")
        try stack.write(built)
        return (stack, "localhost/\(stack.pod)-built")
    }

    /// Runs `body` with podstack and a client, then takes the stack down and removes its built image.
    static func withStack(
        _ stack: ScratchStack, image: String, _ body: (PodstackProcess, PodmanClient) async throws -> Void
    ) async throws {
        let podstack = try PodstackProcess()
        let client = try TestBed.client()
        try await withCleanup({
            await podstack.down(stack.directory)
            try? await client.removeImage(image, force: true)
        }) { try await body(podstack, client) }
    }

    @Test("up builds the missing image; a source change and up --build recreate exactly that service; unchanged, nothing")
    func buildsAndRebuilds() async throws {
        let (stack, image) = try Self.stack(dockerfile: "FROM \(TestBed.genericImage)\n\(BuildIntegrationTests.ownChain)\nCOPY source.txt /source.txt\n")
        try await Self.withStack(stack, image: image) { podstack, client in
            func ids() async throws -> [String] {
                [
                    try await client.inspectContainer("\(stack.pod)-built").id,
                    try await client.inspectContainer("\(stack.pod)-plain").id,
                ]
            }
            let up = try await podstack.run(["up", "--compose-dir", stack.directory])
            #expect(up.status == 0, "\(up.output)")
            #expect(up.stderr.contains("build \(image): STEP"), "\(up.stderr)")
            let first = try await ids()
            let again = try await podstack.run(["up", "--compose-dir", stack.directory])
            #expect(again.status == 0, "\(again.output)")
            #expect(!again.stderr.contains("building \(image)"), "\(again.stderr)")
            #expect(try await ids() == first)

            try "two\n".write(toFile: stack.directory + "/context/source.txt", atomically: true, encoding: .utf8)
            let rebuilt = try await podstack.run(["up", "--build", "--compose-dir", stack.directory])
            #expect(rebuilt.status == 0, "\(rebuilt.output)")
            let second = try await ids()
            #expect(second[0] != first[0], "the built service is made anew from its new image")
            #expect(second[1] == first[1], "the other service is kept")

            try "three\n".write(toFile: stack.directory + "/context/source.txt", atomically: true, encoding: .utf8)
            let build = try await podstack.run(["build", "built", "--compose-dir", stack.directory])
            #expect(build.status == 0, "\(build.output)")
            #expect(build.stdout.hasPrefix(image), "\(build.stdout)")
            #expect(try await ids() == second, "podstack build creates and replaces nothing")
            let upAfterBuild = try await podstack.run(["up", "--compose-dir", stack.directory])
            #expect(upAfterBuild.status == 0, "\(upAfterBuild.output)")
            let third = try await ids()
            #expect(third[0] != second[0] && third[1] == second[1], "up makes the built service anew, only it")
            let unknown = try await podstack.run(["build", "plain", "--compose-dir", stack.directory])
            #expect(unknown.status == 64, "plain has no build: \(unknown.output)")

        }
    }

    @Test("pull_policy: build builds on every up; unchanged, from cache, so up --build and up recreate nothing")
    func buildPolicyRebuildsFromCache() async throws {
        let (stack, image) = try Self.builtStack(
            "build-policy",
            files: [
                "Containerfile": "FROM \(TestBed.genericImage)\n\(BuildIntegrationTests.ownChain)\nCOPY source.txt /source.txt\nRUN cat /source.txt > /copy\n",
                "source.txt": "one\n",
            ], extra: "    pull_policy: build\n")
        try await Self.withStack(stack, image: image) { podstack, client in
            let up = try await podstack.run(["up", "--compose-dir", stack.directory])
            #expect(up.status == 0, "\(up.output)")
            let first = try await client.inspectContainer("\(stack.pod)-built").id
            let firstImage = try await client.imageID(image + ":latest")
            for arguments in [["up"], ["up", "--build"]] {
                let again = try await podstack.run(arguments + ["--compose-dir", stack.directory])
                #expect(again.status == 0, "\(again.output)")
                #expect(again.stderr.contains("building \(image)"), "pull_policy build builds again: \(again.stderr)")
                #expect(again.stderr.contains("Using cache"), "\(again.stderr)")
                #expect(try await client.imageID(image + ":latest") == firstImage)
                #expect(try await client.inspectContainer("\(stack.pod)-built").id == first, "nothing recreated")
            }
        }
    }

    @Test("a failing build exits 9 with its step and output, and creates no pod")
    func failingBuild() async throws {
        let (stack, image) = try Self.stack(
            dockerfile: "FROM \(TestBed.genericImage)\n\(BuildIntegrationTests.ownChain)\nRUN echo build-broke-here && false\n")
        try await Self.withStack(stack, image: image) { podstack, client in
            let up = try await podstack.run(["up", "--compose-dir", stack.directory])
            #expect(up.status == 9, "\(up.output)")
            #expect(up.stderr.contains("did not build"), "\(up.stderr)")
            #expect(up.stderr.contains("build-broke-here"), "\(up.stderr)")
            #expect(up.stderr.contains("No pod was created"))
            #expect(try await client.podExists(stack.pod) == false)
            #expect(try await client.imageExists(image) == false)
        }
    }
}
