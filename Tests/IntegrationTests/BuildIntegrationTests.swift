import Foundation
import PodmanAPI
import PodstackBuild
import Testing

/// Builds through `POST /libpod/build` on the real test bed, the context streamed from a directory.
@Suite("Building images from a streamed context", .enabled(if: TestBed.enabled))
struct BuildIntegrationTests {
    /// A context whose Dockerfile has two stages, a build arg, and a `.dockerignore` with an exception.
    static func makeContext(dockerfile: String) throws -> String {
        let root = NSTemporaryDirectory() + TestBed.uniqueName("build-ctx")
        try FileManager.default.createDirectory(atPath: root + "/docs", withIntermediateDirectories: true)
        let files = [
            "Dockerfile": dockerfile, ".dockerignore": "docs\n!docs/keep.md\n*.secret\n", "app.txt": "app\n",
            "docs/keep.md": "kept\n", "docs/drop.md": "dropped\n", "token.secret": "hidden\n",
        ]
        for (name, text) in files {
            try Data(text.utf8).write(to: URL(fileURLWithPath: root + "/" + name))
        }
        return root
    }

    /// Builds `root` and collects the output lines and the image ID. A build that meets Podman 4.3's
    /// cache race (an image removed by another test while the cache is looked at, `ImageBuild.cacheRace`)
    /// is sent again, as podstack does.
    static func build(
        _ client: PodmanClient, root: String, options: Podman.BuildOptions, rules: IgnoreRules? = nil
    ) async throws -> (output: [String], imageID: String?) {
        for _ in 1..<3 {
            do {
                return try await buildOnce(client, root: root, options: options, rules: rules)
            } catch let failure as Podman.BuildFailure where failure.message.contains("layer not known") {
                continue
            }
        }
        return try await buildOnce(client, root: root, options: options, rules: rules)
    }

    static func buildOnce(
        _ client: PodmanClient, root: String, options: Podman.BuildOptions, rules: IgnoreRules?
    ) async throws -> (output: [String], imageID: String?) {
        let rules = try rules ?? IgnoreRules.forContext(directory: root, dockerfile: options.dockerfile)
        let archive = try ContextArchive(directory: root, rules: rules)
        let body = Podman.HTTP.BodyStream { try archive.read(into: $0) }
        var output: [String] = []
        var imageID: String?
        for try await event in client.build(context: body, options: options) {
            switch event {
            case .output(let line): output.append(line)
            case .built(let id): imageID = id
            }
        }
        return (output, imageID)
    }

    /// The image's file listing and contents, read by a container that runs once.
    static func read(_ client: PodmanClient, image: String, script: String) async throws -> String {
        let name = TestBed.uniqueName("build-read")
        var spec = Podman.ContainerCreateSpec(name: name, image: image)
        spec.command = ["/bin/sh", "-c", script]
        _ = try await client.createContainer(spec)
        do {
            try await client.startContainer(name)
            _ = try await client.waitContainer(name)
            let lines = try await client.logTail(name, lines: 200).map(\.text)
            try await client.removeContainer(name)
            return lines.joined(separator: "\n")
        } catch {
            try? await client.removeContainer(name)
            throw error
        }
    }

    /// The body's result, kept so that cleanup runs before it is looked at.
    static func attempt<T>(_ body: () async throws -> T) async -> Result<T, any Error> {
        do { return .success(try await body()) } catch { return .failure(error) }
    }

    /// A build step no other test's build has: tests build at once and remove their images, and Podman
    /// removes an image's untagged parents with it, so a layer cached by one test's build must not be one
    /// another test's build is using (4.3 then fails "layer not known", or builds anew).
    static var ownChain: String { "LABEL pstest.chain=\(UUID().uuidString)" }

    static var twoStages: String {
        """
        FROM \(TestBed.genericImage) AS base
        \(ownChain)
        ARG GREETING=unset
        COPY . /ctx
        RUN echo "greeting=$GREETING" > /greeting
        FROM base AS final
        RUN echo final > /stage
        """
    }

    @Test("the ignore file's exception, the build arg and the target stage all show in the built image")
    func buildHonoursIgnoreArgsAndTarget() async throws {
        let client = try TestBed.client()
        let root = try Self.makeContext(dockerfile: Self.twoStages)
        defer { try? FileManager.default.removeItem(atPath: root) }
        let image = "localhost/" + TestBed.uniqueName("build") + ":latest"
        var options = Podman.BuildOptions(tags: [image])
        options.buildArgs = ["GREETING": "from-arg"]
        options.target = "base"
        options.labels = ["io.podstack.test": "build"]
        let built = await Self.attempt { try await Self.build(client, root: root, options: options) }
        let reading = await Self.attempt {
            try await Self.read(
                client, image: image,
                script: "cat /greeting; ls -a /ctx /ctx/docs; test -e /stage && echo has-final-stage; true")
        }
        try? await client.removeImage(image, force: true)
        let (output, imageID) = try built.get()
        #expect(imageID?.count == 64, "\(output)")
        #expect(output.contains { $0.hasPrefix("STEP ") }, "\(output)")
        let seen = try reading.get()
        #expect(seen.contains("greeting=from-arg"), "\(seen)")
        #expect(seen.contains("keep.md"), "\(seen)")
        #expect(seen.contains("app.txt"), "\(seen)")
        #expect(seen.contains(".dockerignore"), "\(seen)")
        #expect(!seen.contains("drop.md"), "\(seen)")
        #expect(!seen.contains("token.secret"), "\(seen)")
        #expect(!seen.contains("has-final-stage"), "\(seen)")
    }

    @Test("a second build of an unchanged context comes from the cache: the same image ID")
    func unchangedRebuildKeepsID() async throws {
        let client = try TestBed.client()
        let root = try Self.makeContext(dockerfile: Self.twoStages)
        defer { try? FileManager.default.removeItem(atPath: root) }
        let image = "localhost/" + TestBed.uniqueName("build-twice") + ":latest"
        var options = Podman.BuildOptions(tags: [image])
        options.buildArgs = ["GREETING": "twice"]
        let builds = await Self.attempt {
            [try await Self.build(client, root: root, options: options), try await Self.build(client, root: root, options: options)]
        }
        try? await client.removeImage(image, force: true)
        let (first, second) = try (builds.get()[0], builds.get()[1])
        #expect(first.imageID?.count == 64, "\(first.output)")
        #expect(second.imageID == first.imageID, "\(second.output)")
        #expect(second.output.contains { $0.contains("Using cache") }, "\(second.output)")
    }

    @Test("what the rules leave out never reaches Podman: excluded files are not sent at all")
    func excludedFilesAreNotSent() async throws {
        let client = try TestBed.client()
        let root = try Self.makeContext(dockerfile: "FROM \(TestBed.genericImage)\n\(Self.ownChain)\nCOPY . /ctx\n")
        defer { try? FileManager.default.removeItem(atPath: root) }
        // Podman applies a .dockerignore it finds in the context too: without one there, what is missing
        // from the image is missing because podstack did not send it.
        try FileManager.default.removeItem(atPath: root + "/.dockerignore")
        let rules = try IgnoreRules(text: "docs\n!docs/keep.md\n*.secret\n", file: "rules")
        let image = "localhost/" + TestBed.uniqueName("build-sent") + ":latest"
        let built = await Self.attempt {
            try await Self.build(client, root: root, options: Podman.BuildOptions(tags: [image]), rules: rules)
        }
        let reading = await Self.attempt {
            try await Self.read(client, image: image, script: "ls -a /ctx /ctx/docs; true")
        }
        try? await client.removeImage(image, force: true)
        _ = try built.get()
        let seen = try reading.get()
        #expect(seen.contains("keep.md") && seen.contains("app.txt"), "\(seen)")
        #expect(!seen.contains("drop.md") && !seen.contains("token.secret"), "\(seen)")
    }

    @Test("a build that fails at a RUN step reports that step, and tags no image")
    func failingStepIsNamed() async throws {
        let client = try TestBed.client()
        let dockerfile = """
            FROM \(TestBed.genericImage)
            \(Self.ownChain)
            COPY app.txt /app.txt
            RUN echo about-to-fail && exit 3
            RUN echo never
            """
        let root = try Self.makeContext(dockerfile: dockerfile)
        defer { try? FileManager.default.removeItem(atPath: root) }
        let image = "localhost/" + TestBed.uniqueName("build-fail") + ":latest"
        let failure = await #expect(throws: Podman.BuildFailure.self) {
            _ = try await Self.build(client, root: root, options: Podman.BuildOptions(tags: [image]))
        }
        #expect(failure?.message.contains("RUN echo about-to-fail && exit 3") == true, "\(String(describing: failure))")
        #expect(failure?.lastStep?.contains("STEP 4/5") == true, "\(String(describing: failure))")
        #expect(failure?.stepOutput.contains("about-to-fail") == true, "\(String(describing: failure))")
        #expect(try await client.imageExists(image) == false)
    }

    @Test("a context that fails while it is sent stops the build with the producer's error, not libcurl's")
    func producerFailureIsReported() async throws {
        let client = try TestBed.client()
        let root = try Self.makeContext(dockerfile: "FROM \(TestBed.genericImage)\n\(Self.ownChain)\nCOPY . /ctx\n")
        defer { try? FileManager.default.removeItem(atPath: root) }
        // A file that cannot be read mid-way is hard to make for root (the tests run as root in CI): the
        // producer fails itself once part of the archive is out, as `ContextArchive` does on a read error.
        let archive = try ContextArchive(directory: root, rules: .empty)
        let body = Podman.HTTP.BodyStream { buffer in
            guard archive.bytesProduced < 1024 else {
                throw BuildContextError.unreadable(path: "locked.txt", reason: "Permission denied")
            }
            return try archive.read(into: UnsafeMutableRawBufferPointer(rebasing: buffer.prefix(512)))
        }
        let image = "localhost/" + TestBed.uniqueName("build-unreadable") + ":latest"
        let error = await #expect(throws: BuildContextError.self) {
            for try await _ in client.build(context: body, options: Podman.BuildOptions(tags: [image])) {}
        }
        #expect(error == .unreadable(path: "locked.txt", reason: "Permission denied"))
        #expect(try await client.imageExists(image) == false)
        // The aborted upload's handle is idle again (the pool hands out the last idle worker first): an
        // ordinary POST after it sends its own body, not the stream's leftovers.
        let volume = TestBed.uniqueName("build-vol")
        let created = try await client.createVolume(Podman.VolumeCreateSpec(name: volume, labels: ["after": "build"]))
        try await client.removeVolume(volume, force: true)
        #expect(created.name == volume && created.labels?["after"] == "build")
    }
}
