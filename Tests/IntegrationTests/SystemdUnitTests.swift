import Foundation
import PodstackHost
import Testing

/// `podstack systemd` through the real binary: units that systemd's own checker accepts, whose commands,
/// run exactly as systemd would split them, bring the pod up and down.
@Suite("systemd units checked by systemd-analyze and run as written")
struct SystemdUnitTests {
    static var analyzer: String? { ExportTool.find("systemd-analyze") }

    /// A stack of one served service, and a podstack binary reached through a directory whose name needs
    /// every kind of quoting a unit file has (space, `%`, `$`).
    static func setUp(port: Int) throws -> (stack: ScratchStack, binary: String, envFile: String) {
        let stack = try ScratchStack("unit")
        try stack.write(ScratchStack.service("web", port: port))
        let odd = try PodstackProcess.temporaryDirectory("bin") + "/my tools 100% $HOME"
        try FileManager.default.createDirectory(atPath: odd, withIntermediateDirectories: true)
        try FileManager.default.createSymbolicLink(
            atPath: odd + "/podstack", withDestinationPath: PodstackProcess.binary)
        let envFile = stack.directory + "/extra.env"
        try "UNUSED=1\n".write(toFile: envFile, atomically: true, encoding: .utf8)
        return (stack, odd + "/podstack", envFile)
    }

    /// systemd's splitting of an Exec line (PodstackHost's reader of unit files), then its `%%` and `$$`.
    static func split(_ line: String) -> [String] {
        UnitFileSyntax.words(of: line).map {
            $0.replacingOccurrences(of: "%%", with: "%").replacingOccurrences(of: "$$", with: "$")
        }
    }

    /// `systemd-analyze verify --user` on one unit file. A user manager's checker wants a runtime directory;
    /// a private one works without a running systemd.
    static func verify(_ unit: String, with analyzer: String) async throws -> (status: Int32, output: String) {
        let runtime = try PodstackProcess.temporaryDirectory("xdg")
        chmod(runtime, 0o700)
        var environment = ProcessInfo.processInfo.environment
        environment["XDG_RUNTIME_DIR"] = runtime
        environment["SYSTEMD_LOG_LEVEL"] = "notice"
        return try await ExportTool.run(analyzer, ["verify", "--user", "--man=no", unit], environment: environment)
    }

    @Test(
        "systemd-analyze verify accepts the units, and finds the binary through a path with a space, % and $",
        .enabled(if: analyzer != nil || TestBed.inCI, "systemd-analyze is not installed (apt-get install systemd)"))
    func verify() async throws {
        let analyzer = try #require(Self.analyzer, "systemd-analyze is not installed: apt-get install systemd")
        let (stack, binary, envFile) = try Self.setUp(port: HostNet.freePort())
        let output = try PodstackProcess.temporaryDirectory("units")
        let podstack = try PodstackProcess()
        let run = try await podstack.run([
            "systemd", "--compose-dir", stack.directory, "--env-file", envFile, "--binary", binary, "--output", output,
        ])
        #expect(run.status == 0, "\(run.output)")
        let unit = output + "/podstack-\(stack.pod).service"
        let text = try String(contentsOfFile: unit, encoding: .utf8)
        // systemd expands `$` in arguments but not in the executable's path: there it stays single.
        #expect(text.contains("ExecStart=\"\(binary.replacingOccurrences(of: "%", with: "%%"))\" up"))
        func check(_ path: String) async throws -> (status: Int32, output: String) {
            try await Self.verify(path, with: analyzer)
        }
        let verified = try await check(unit)
        // Unknown keys and bad values are only warnings (exit 0), so any line about the unit counts as a failure.
        let complaints = verified.output.split(separator: "\n").filter { $0.contains("podstack-\(stack.pod)") }
        #expect(verified.status == 0 && complaints.isEmpty, "\(verified.output)\n\(text)")
        // A control: the same unit with the binary gone fails, so the pass above means the path was found.
        let broken = output + "/podstack-broken.service"
        try text.replacingOccurrences(of: "my tools", with: "no such tools").write(
            toFile: broken, atomically: true, encoding: .utf8)
        let control = try await check(broken)
        #expect(control.status != 0 || control.output.contains("not executable"), "\(control.output)")
    }

    @Test(
        "a compose directory named with a newline and a directive gives the unit no new line: systemd-analyze verify and the parsed unit agree",
        .enabled(if: analyzer != nil || TestBed.inCI, "systemd-analyze is not installed (apt-get install systemd)"))
    func newlineInComposePath() async throws {
        let analyzer = try #require(Self.analyzer, "systemd-analyze is not installed: apt-get install systemd")
        let (stack, binary, _) = try Self.setUp(port: HostNet.freePort())
        // Read as a unit line, the injected command names a binary that does not exist: verify would say so.
        let hostile = try PodstackProcess.temporaryDirectory("nl") + "/x\n[Service]\nExecStartPost=/nonexistent-pstest/pwned"
        try FileManager.default.createDirectory(atPath: hostile, withIntermediateDirectories: true)
        let file = hostile + "/\(stack.pod).yml"
        try FileManager.default.copyItem(atPath: stack.directory + "/\(stack.pod).yml", toPath: file)
        let output = try PodstackProcess.temporaryDirectory("units")
        let run = try await PodstackProcess().run(["systemd", "-f", file, "--binary", binary, "--output", output])
        #expect(run.status == 0, "\(run.output)")
        let unit = output + "/podstack-\(stack.pod).service"
        let text = try String(contentsOfFile: unit, encoding: .utf8)
        let assignments = UnitFileSyntax.assignments(in: text)
        #expect(!assignments.contains { $0.key == "ExecStartPost" }, "\(text)")
        #expect(Set(assignments.map(\.section)) == ["Unit", "Service", "Install"], "\(text)")
        let start = try #require(assignments.first { $0.key == "ExecStart" })
        #expect(Self.split(start.value).contains(file), "\(start.value)")
        let verified = try await Self.verify(unit, with: analyzer)
        #expect(verified.status == 0 && !verified.output.contains("pstest/pwned"), "\(verified.output)\n\(text)")
    }

    @Test(
        "the unit's own command lines, run as systemd splits them, check, bring the pod up and take it down",
        .enabled(if: TestBed.enabled, "no Podman test bed (scripts/testbed.sh up)"))
    func commandsWork() async throws {
        let port = HostNet.freePort()
        let (stack, binary, envFile) = try Self.setUp(port: port)
        let podstack = try PodstackProcess()
        let printed = try await podstack.run([
            "systemd", "-f", stack.directory + "/\(stack.pod).yml", "--env-file", envFile, "--binary", binary,
        ])
        #expect(printed.status == 0, "\(printed.output)")
        let lines = printed.stdout.split(separator: "\n").map(String.init)
        func command(_ key: String) throws -> [String] {
            let line = try #require(lines.first { $0.hasPrefix(key + "=") }, "no \(key) in\n\(printed.stdout)")
            return Self.split(String(line.dropFirst(key.count + 1)))
        }
        let (start, pre, stop) = (try command("ExecStart"), try command("ExecStartPre"), try command("ExecStop"))
        #expect(start.first == binary && start.last == stack.pod)
        #expect(start.contains(envFile) && start.contains("-f"))
        // The unit names the test bed's socket, since CONTAINER_HOST was set when it was written.
        #expect(lines.contains("Environment=\"CONTAINER_HOST=\(TestBed.url ?? "")\""))
        let process = podstack
        try await withCleanup({ _ = try? await process.run(Array(stop.dropFirst())) }) {
            #expect(try await process.run(Array(pre.dropFirst())).status == 0)
            let up = try await process.run(Array(start.dropFirst()))
            #expect(up.status == 0, "\(up.output)")
            #expect(HostNet.httpGet(port: port, path: "/health")?.contains("200") == true)
            let down = try await process.run(Array(stop.dropFirst()))
            #expect(down.status == 0, "\(down.output)")
            #expect(HostNet.httpGet(port: port, path: "/health") == nil)
        }
    }

    @Test("--install writes into $XDG_CONFIG_HOME/systemd/user and says how to enable and linger, running neither")
    func install() async throws {
        let (stack, binary, _) = try Self.setUp(port: HostNet.freePort())
        let config = try PodstackProcess.temporaryDirectory("config")
        let podstack = try PodstackProcess(extra: ["XDG_CONFIG_HOME": config, "USER": "tester"])
        let run = try await podstack.run(["systemd", "--compose-dir", stack.directory, "--binary", binary, "--install"])
        #expect(run.status == 0, "\(run.output)")
        let name = "podstack-\(stack.pod).service"
        #expect(FileManager.default.fileExists(atPath: config + "/systemd/user/" + name))
        #expect(run.stdout.contains("systemctl --user enable --now \(name)"))
        #expect(run.stdout.contains("systemctl --user enable --now podman.socket"))
        #expect(run.stdout.contains("loginctl enable-linger tester"))
        let both = try await podstack.run([
            "systemd", "--compose-dir", stack.directory, "--install", "--output", config,
        ])
        #expect(both.status == 64, "\(both.output)")
    }
}
