import Foundation
import PodstackTestSupport
import Testing

/// The files real compose files bring along (env_file, configs, secrets), brought up on the real rootless
/// bed and checked from inside the containers.
@Suite("compose files and their files on the real rootless service", .enabled(if: TestBed.enabled))
struct ComposeFilesIntegrationTests {
    static func podman(_ arguments: [String]) async throws -> String {
        let result = try await ExportTool.podman(arguments)
        return result.output.trimmingCharacters(in: .whitespacesAndNewlines)
    }

    /// `stat -c '%a %u %g'` and `cat` of a file inside a container.
    static func file(_ path: String, in container: String) async throws -> (mode: String, content: String) {
        let mode = try await podman(["exec", container, "stat", "-c", "%a %u %g", path])
        return (mode, try await podman(["exec", container, "cat", path]))
    }

    @Test(
        "configs from a file, content and a variable are files in the container with their target, mode and owner; changed text reaches it"
    )
    func configs() async throws {
        let stack = try ScratchStack("cfg")
        try "from the file\n".write(toFile: stack.directory + "/app.conf", atomically: true, encoding: .utf8)
        chmod(stack.directory + "/app.conf", 0o644)
        func write(_ greeting: String) throws {
            let service = ScratchStack.service(
                "app", mode: "sleep", health: false,
                extra: """
                        configs:
                          - app.conf
                          - {source: app.conf, target: /etc/private.conf, mode: 0400}
                          - {source: inline, target: /etc/inline.txt}
                          - {source: from_env, target: relative.txt, mode: 0440}
                          - {source: inline, target: /etc/owned.txt, uid: "1000", gid: "1001", mode: 0440}

                    """)
            try stack.write(
                service,
                extra: "configs:\n  app.conf: {file: ./app.conf}\n  inline:\n    content: \"say \(greeting)\"\n"
                    + "  from_env: {environment: PSTEST_CONFIG_VALUE}\n")
        }
        try write("hello")
        let podstack = try PodstackProcess(extra: ["PSTEST_CONFIG_VALUE": "from the environment"])
        let container = "\(stack.pod)-app"
        try await withCleanup({ await podstack.down(stack.directory, volumes: true) }) {
            let config = try await podstack.run(["config", "--compose-dir", stack.directory])
            let written = podstack.environment["PODSTACK_DATA_DIR", default: "?"] + "/configs/\(stack.pod)/app/inline"
            #expect(
                config.stdout.contains("config:  \(written) -> /etc/inline.txt (ro)  (up writes it there, mode 0644)"),
                "\(config.output)")
            let up = try await podstack.run(["up", "--compose-dir", stack.directory], limit: .seconds(90))
            try #require(up.status == 0, "\(up.output)")

            #expect(try await Self.file("/app.conf", in: container).content == "from the file")
            let privateCopy = try await Self.file("/etc/private.conf", in: container)
            #expect(privateCopy.content == "from the file")
            #expect(privateCopy.mode.hasPrefix("400 "), "\(privateCopy.mode)")
            let inline = try await Self.file("/etc/inline.txt", in: container)
            #expect(inline.content == "say hello")
            #expect(inline.mode == "644 0 0", "\(inline.mode)")
            let fromEnvironment = try await Self.file("/relative.txt", in: container)
            #expect(fromEnvironment == ("440 0 0", "from the environment"))
            #expect(try await Self.file("/etc/owned.txt", in: container) == ("440 1000 1001", "say hello"))
            let denied = try await ExportTool.podman(["exec", container, "sh", "-c", "echo x > /etc/inline.txt"])
            #expect(denied.status != 0, "a config is mounted read-only")

            try write("again")
            let second = try await podstack.run(["up", "--compose-dir", stack.directory], limit: .seconds(90))
            try #require(second.status == 0, "\(second.output)")
            #expect(try await Self.file("/etc/inline.txt", in: container).content == "say again")
            #expect(try await Self.file("/etc/owned.txt", in: container).content == "say again")
            let down = try await podstack.run(["down", "--volumes", "--compose-dir", stack.directory])
            #expect(down.status == 0, "\(down.output)")
            let secrets = try await Self.podman(["secret", "ls", "--format", "{{.Name}}"])
            #expect(!secrets.contains("\(stack.pod)_config_"), "both texts' secrets are gone: \(secrets)")
        }
    }

    @Test("secrets from a file and from a variable appear at their target with the uid, gid and mode asked")
    func secrets() async throws {
        let stack = try ScratchStack("sec")
        let secretFile = stack.directory + "/password.txt"
        try "file-secret".write(toFile: secretFile, atomically: true, encoding: .utf8)
        chmod(secretFile, 0o600)
        let service = ScratchStack.service(
            "app", mode: "sleep", health: false,
            extra: """
                    secrets:
                      - db_password
                      - {source: api_key, target: api.key, uid: "1000", gid: "1001", mode: 0400}

                """)
        try stack.write(
            service,
            extra: "secrets:\n  db_password: {file: ./password.txt}\n  api_key: {environment: PSTEST_API_KEY}\n")
        let podstack = try PodstackProcess(extra: ["PSTEST_API_KEY": "variable-secret"])
        let container = "\(stack.pod)-app"
        try await withCleanup({ await podstack.down(stack.directory, volumes: true) }) {
            let up = try await podstack.run(["up", "--compose-dir", stack.directory], limit: .seconds(90))
            try #require(up.status == 0, "\(up.output)")
            #expect(try await Self.file("/run/secrets/db_password", in: container).content == "file-secret")
            let key = try await Self.file("/run/secrets/api.key", in: container)
            #expect(key == ("400 1000 1001", "variable-secret"))
        }
    }

    @Test("env_file in its forms: a list, an optional missing file, raw values and interpolation reach the container")
    func envFiles() async throws {
        let stack = try ScratchStack("envf")
        try "BASE=b\nJOINED=${BASE}-${PSTEST_OUTER}\nQUOTED='${BASE}'\n".write(
            toFile: stack.directory + "/app.env", atomically: true, encoding: .utf8)
        try "RAW='kept' $x\n".write(toFile: stack.directory + "/raw.env", atomically: true, encoding: .utf8)
        let service = ScratchStack.service(
            "app", mode: "sleep", health: false,
            extra: """
                    env_file:
                      - app.env
                      - {path: missing.env, required: false}
                      - {path: raw.env, format: raw}

                """)
        try stack.write(service)
        let podstack = try PodstackProcess(extra: ["PSTEST_OUTER": "o"])
        let container = "\(stack.pod)-app"
        try await withCleanup({ await podstack.down(stack.directory) }) {
            let up = try await podstack.run(["up", "--compose-dir", stack.directory], limit: .seconds(90))
            try #require(up.status == 0, "\(up.output)")
            let environment = try await Self.podman(["exec", container, "env"])
            let lines = Set(environment.split(separator: "\n").map(String.init))
            #expect(
                lines.isSuperset(of: ["BASE=b", "JOINED=b-o", "QUOTED=${BASE}", "RAW='kept' $x"]), "\(environment)")
        }
    }

    @Test(
        "depends_on restart: when a dependency is recreated, a dependent with restart: true is restarted, one with false keeps running"
    )
    func dependentRestart() async throws {
        let stack = try ScratchStack("dres")
        func write(_ version: String) throws {
            let dependency = ScratchStack.service(
                "dep", mode: "sleep", health: false, environment: ["PSTEST_VERSION": version])
            let restarted = ScratchStack.service(
                "restarted", mode: "sleep", health: false, extra: "    depends_on:\n      dep: {restart: true}\n")
            let kept = ScratchStack.service(
                "kept", mode: "sleep", health: false, extra: "    depends_on:\n      dep: {restart: false}\n")
            try stack.write(dependency + restarted + kept)
        }
        /// The container's ID and when it last started.
        func state(_ service: String) async throws -> String {
            try await Self.podman(["inspect", "--format", "{{.Id}} {{.State.StartedAt}}", "\(stack.pod)-\(service)"])
        }
        try write("1")
        let podstack = try PodstackProcess()
        try await withCleanup({ await podstack.down(stack.directory) }) {
            let up = try await podstack.run(["up", "--compose-dir", stack.directory], limit: .seconds(90))
            try #require(up.status == 0, "\(up.output)")
            let (dependencyBefore, restartedBefore, keptBefore) = (
                try await state("dep"), try await state("restarted"), try await state("kept")
            )
            try write("2")
            let second = try await podstack.run(["up", "--compose-dir", stack.directory], limit: .seconds(90))
            try #require(second.status == 0, "\(second.output)")
            #expect(try await state("dep").prefix(64) != dependencyBefore.prefix(64), "dep was recreated")
            let restartedAfter = try await state("restarted")
            #expect(restartedAfter.prefix(64) == restartedBefore.prefix(64), "restarted, not recreated")
            #expect(restartedAfter != restartedBefore, "restart: true restarts the dependent")
            #expect(try await state("kept") == keptBefore, "restart: false leaves the dependent running")
        }
    }

    @Test("an anonymous volume keeps its data when the container is made anew, and down --volumes removes it")
    func anonymousVolume() async throws {
        let stack = try ScratchStack("anon")
        func write(_ version: String) throws {
            try stack.write(
                ScratchStack.service(
                    "app", mode: "sleep", health: false, environment: ["PSTEST_VERSION": version],
                    extra: "    volumes:\n      - /data\n"))
        }
        try write("1")
        let podstack = try PodstackProcess()
        let container = "\(stack.pod)-app"
        let volume = "\(stack.pod)_app_data"
        try await withCleanup({ await podstack.down(stack.directory, volumes: true) }) {
            let up = try await podstack.run(["up", "--compose-dir", stack.directory], limit: .seconds(90))
            try #require(up.status == 0, "\(up.output)")
            _ = try await Self.podman(["exec", container, "sh", "-c", "echo kept > /data/marker"])
            let firstID = try await Self.podman(["inspect", "--format", "{{.Id}}", container])
            try write("2")
            let second = try await podstack.run(["up", "--compose-dir", stack.directory], limit: .seconds(90))
            try #require(second.status == 0, "\(second.output)")
            #expect(try await Self.podman(["inspect", "--format", "{{.Id}}", container]) != firstID, "recreated")
            #expect(try await Self.podman(["exec", container, "cat", "/data/marker"]) == "kept")
            let down = try await podstack.run(["down", "--volumes", "--compose-dir", stack.directory])
            #expect(down.status == 0, "\(down.output)")
            let left = try await ExportTool.podman(["volume", "exists", volume])
            #expect(left.status != 0, "down --volumes removes \(volume)")
        }
    }

    @Test("podstack kube exports a config up wrote as a hostPath File, and podman kube play mounts it")
    func configPlaysInKube() async throws {
        let stack = try ScratchStack("kcfg")
        try stack.write(
            ScratchStack.service(
                "app", mode: "sleep", health: false, extra: "    configs: [{source: inline, target: /etc/inline.txt}]\n"
            ),
            extra: "configs:\n  inline: {content: played}\n")
        let podstack = try PodstackProcess()
        let manifest = stack.directory + "/kube.yaml"
        try await withCleanup({
            _ = try? await ExportTool.podman(["kube", "down", manifest])
            await podstack.down(stack.directory)
        }) {
            let up = try await podstack.run(["up", "--compose-dir", stack.directory], limit: .seconds(90))
            try #require(up.status == 0, "\(up.output)")
            #expect(try await podstack.run(["down", "--compose-dir", stack.directory]).status == 0)
            let kube = try await podstack.run(["kube", "--compose-dir", stack.directory])
            try #require(kube.status == 0, "\(kube.output)")
            #expect(kube.stdout.contains("type: File"), "\(kube.stdout)")
            try kube.stdout.write(toFile: manifest, atomically: true, encoding: .utf8)
            let play = try await ExportTool.podman(["kube", "play", manifest])
            try #require(play.status == 0, "podman kube play failed:\n\(play.output)\n\(kube.stdout)")
            #expect(try await Self.file("/etc/inline.txt", in: "\(stack.pod)-app").content == "played")
        }
    }
}
