import Foundation
import PodmanAPI
import PodstackTestSupport
import Testing

/// Every key of `build:` on the real bed, through `podstack build`: each shows in the built image.
@Suite("build: keys reach Podman's build", .enabled(if: TestBed.enabled))
struct BuildKeysIntegrationTests {
    /// A stack of one service `built` whose `build:` is `build` (YAML under `build:`, indented six spaces).
    static func stack(build: String, extra: String = "") throws -> (ScratchStack, image: String) {
        let stack = try ScratchStack("build-keys")
        try FileManager.default.createDirectory(atPath: stack.directory + "/context", withIntermediateDirectories: true)
        try "from the context\n".write(toFile: stack.directory + "/context/app.txt", atomically: true, encoding: .utf8)
        // Ignored by the inline Dockerfile, which stands for it.
        try "FROM scratch\n".write(toFile: stack.directory + "/context/Dockerfile", atomically: true, encoding: .utf8)
        try stack.write("  built:\n    build:\n" + build, extra: extra)
        return (stack, "localhost/\(stack.pod)-built")
    }

    /// What a build made: podstack's result, what `script` printed in a container of the image, the
    /// container's labels, and whether every name of `alsoRemove` named an image too.
    struct Outcome {
        var build: PodstackProcess.Result
        var seen = ""
        var labels: [String: String] = [:]
        var otherNamesPresent = false
    }

    /// Runs `podstack build` for `stack`, then `script` in a container of `image`; removes the images.
    static func buildAndRead(
        _ stack: ScratchStack, image: String, alsoRemove: [String] = [], script: String
    ) async throws -> Outcome {
        let podstack = try PodstackProcess()
        let client = try TestBed.client()
        return try await withCleanup({
            for name in [image] + alsoRemove { try? await client.removeImage(name, force: true) }
        }) {
            let build = try await podstack.run(["build", "--compose-dir", stack.directory])
            guard build.status == 0 else { return Outcome(build: build, seen: build.stderr) }
            var present = true
            for name in alsoRemove where try await !client.imageExists(name) { present = false }
            let name = TestBed.uniqueName("build-keys-read")
            var spec = Podman.ContainerCreateSpec(name: name, image: image)
            spec.command = ["/bin/sh", "-c", script]
            _ = try await client.createContainer(spec)
            return try await withCleanup({ try? await client.removeContainer(name) }) {
                try await client.startContainer(name)
                _ = try await client.waitContainer(name)
                let labels = try await client.inspectContainer(name).config?.labels ?? [:]
                let lines = try await client.logTail(name, lines: 100).map(\.text)
                return Outcome(
                    build: build, seen: lines.joined(separator: "\n"), labels: labels, otherNamesPresent: present)
            }
        }
    }

    @Test("dockerfile_inline, args, target, labels, tags, secrets, extra_hosts, shm_size and network all show in the image")
    func everyKeyShows() async throws {
        let secretFile = try PodstackProcess.temporaryDirectory("build-secret") + "/token"
        try Data("0123456789abc".utf8).write(to: URL(fileURLWithPath: secretFile))
        chmod(secretFile, 0o600)
        defer { try? FileManager.default.removeItem(atPath: (secretFile as NSString).deletingLastPathComponent) }
        let tag = "localhost/" + TestBed.uniqueName("build-keys-tag") + ":v1"
        // `$$` is a dollar sign to compose's interpolation, as in any compose file.
        let dockerfile = """
            FROM \(TestBed.genericImage) AS base
            \(BuildIntegrationTests.ownChain)
            ARG GREETING=unset
            COPY . /ctx
            RUN echo "greeting=$$GREETING" > /greeting
            RUN --mount=type=secret,id=api_token wc -c < /run/secrets/api_token > /secret-size
            RUN grep db-host /etc/hosts > /hosts-line
            RUN df -k /dev/shm | tail -1 | awk '{print "shm=" $$2}' > /shm
            RUN ls /sys/class/net | tr '\\n' ' ' > /interfaces
            FROM base AS final
            RUN echo final > /stage
            """
        let inline = dockerfile.split(separator: "\n").map { "        " + $0 }.joined(separator: "\n")
        let (stack, image) = try Self.stack(
            build: """
                      context: ./context
                      dockerfile_inline: |
                \(inline)
                      args: {GREETING: from-arg}
                      target: base
                      labels: {org.example.test: build-keys}
                      tags: ["\(tag)"]
                      secrets: [api_token]
                      extra_hosts: ["db-host:10.11.12.13"]
                      shm_size: 96m
                      network: host

                """,
            extra: "secrets:\n  api_token:\n    file: \(secretFile)\n")
        let outcome = try await Self.buildAndRead(
            stack, image: image, alsoRemove: [tag],
            script: "cat /greeting /secret-size /hosts-line /shm /interfaces; echo; ls -a /ctx; "
                + "test -e /stage && echo has-final-stage; test -e /run/secrets/api_token && echo secret-left; true")
        let (build, seen, labels) = (outcome.build, outcome.seen, outcome.labels)
        #expect(build.status == 0, "\(build.output)")
        #expect(outcome.otherNamesPresent, "the image is tagged \(tag) too")
        #expect(seen.contains("greeting=from-arg"), "\(seen)")
        #expect(seen.contains("\n13\n") || seen.hasPrefix("13\n") || seen.contains("greeting=from-arg\n13"), "\(seen)")
        #expect(seen.contains("10.11.12.13"), "\(seen)")
        #expect(seen.contains("shm=98304"), "\(seen)")
        // network: host: the RUN steps see this host's interfaces, not a namespace of their own.
        let hostInterfaces = try FileManager.default.contentsOfDirectory(atPath: "/sys/class/net").filter { $0 != "lo" }
        #expect(hostInterfaces.allSatisfy { seen.contains($0 + " ") }, "\(hostInterfaces) in \(seen)")
        #expect(seen.contains("app.txt"), "\(seen)")
        #expect(!seen.contains(".podstack-build-secret"), "the secret's file is moved out of the context: \(seen)")
        #expect(!seen.contains("has-final-stage") && !seen.contains("secret-left"), "\(seen)")
        #expect(labels["org.example.test"] == "build-keys", "\(labels)")
    }

    @Test("network: none leaves the RUN steps only the loopback interface")
    func networkNone() async throws {
        let (stack, image) = try Self.stack(
            build: """
                      context: ./context
                      dockerfile_inline: |
                        FROM \(TestBed.genericImage)
                        \(BuildIntegrationTests.ownChain)
                        RUN cat /proc/net/dev > /interfaces
                      network: none

                """)
        let outcome = try await Self.buildAndRead(stack, image: image, script: "cat /interfaces")
        let (build, seen) = (outcome.build, outcome.seen)
        #expect(build.status == 0, "\(build.output)")
        // The namespace's interfaces, one per line after two header lines: "lo:" only.
        let interfaces = seen.split(separator: "\n").dropFirst(2).compactMap { $0.split(separator: ":").first }
        #expect(interfaces.map { $0.trimmingCharacters(in: .whitespaces) } == ["lo"], "\(seen)")
    }

    @Test("cache_to pushes the steps' layers to the registry on Podman 5, cache_from accepted beside it; both refused on Podman 4")
    func cacheRepositories() async throws {
        let registry = try #require(TestBed.environment["PODSTACK_TEST_REGISTRY"])
        let cache = "\(registry)/pstest/\(TestBed.uniqueName("build-cache"))"
        let (stack, image) = try Self.stack(
            build: """
                      context: ./context
                      dockerfile_inline: |
                        FROM \(TestBed.genericImage)
                        \(BuildIntegrationTests.ownChain)
                        COPY app.txt /app.txt
                      no_cache: true
                      cache_to: ["type=registry,ref=\(cache)"]
                      cache_from: ["\(cache)"]

                """)
        let outcome = try await Self.buildAndRead(stack, image: image, script: "cat /app.txt")
        let (build, seen) = (outcome.build, outcome.seen)
        if TestBed.podmanMajor == "4" {
            #expect(build.status == 65, "\(build.output)")
            #expect(build.stderr.contains("cache_from and cache_to are not used by Podman 4"), "\(build.stderr)")
        } else {
            #expect(build.status == 0, "\(build.output)")
            #expect(build.stderr.contains("Pushing cache [\(cache)]"), "\(build.stderr)")
            #expect(seen.contains("from the context"), "\(seen)")
        }
    }

    @Test("pull: true pulls a base image that is here; without it, the one here is used")
    func pullBaseImage() async throws {
        let base = try await PullPolicyIntegrationTests.ownRegistryImage("build-base")
        let client = try TestBed.client()
        for try await _ in client.pullImage(base) {}
        try await withCleanup({ try? await client.removeImage(base, force: true) }) {
            try await Self.buildsPulling(base)
        }
    }

    /// Builds `FROM base` with `pull: false`, then `pull: true`: only the second pulls.
    static func buildsPulling(_ base: String) async throws {
        for pull in [false, true] {
            let (stack, image) = try Self.stack(
                build: """
                          context: ./context
                          dockerfile_inline: |
                            FROM \(base)
                            \(BuildIntegrationTests.ownChain)
                          pull: \(pull)

                    """)
            let outcome = try await Self.buildAndRead(stack, image: image, script: "true")
            #expect(outcome.build.status == 0, "\(outcome.build.output)")
            #expect(outcome.build.stderr.contains("Trying to pull \(base)") == pull, "\(outcome.build.stderr)")
        }
    }

    @Test("host-gateway in build extra_hosts: resolved on Podman 5, refused at its line on Podman 4")
    func hostGateway() async throws {
        let (stack, image) = try Self.stack(
            build: """
                      context: ./context
                      dockerfile_inline: |
                        FROM \(TestBed.genericImage)
                        \(BuildIntegrationTests.ownChain)
                        RUN grep gw-host /etc/hosts > /gw
                      extra_hosts: ["gw-host:host-gateway"]

                """)
        let outcome = try await Self.buildAndRead(stack, image: image, script: "cat /gw")
        let (build, seen) = (outcome.build, outcome.seen)
        if TestBed.podmanMajor == "4" {
            #expect(build.status == 65, "\(build.output)")
            #expect(build.stderr.contains("host-gateway, which Podman 4"), "\(build.stderr)")
            #expect(build.stderr.contains("\(stack.pod).yml:4"), "\(build.stderr)")
        } else {
            #expect(build.status == 0, "\(build.output)")
            #expect(seen.contains("gw-host") && !seen.contains("host-gateway"), "\(seen)")
        }
    }
}
