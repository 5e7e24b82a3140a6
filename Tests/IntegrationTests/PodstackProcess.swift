import Foundation
import Synchronization
import PodstackTestSupport
import Testing

/// Runs the built `podstack` binary as a user would, against the test bed, and captures what it says.
struct PodstackProcess {
    struct Result {
        var status: Int32
        var stdout: String
        var stderr: String
        var output: String { stdout + stderr }
    }

    /// `.build/<config>/podstack`, beside the test bundle; `PODSTACK_BINARY` overrides.
    static let binary: String = {
        if let explicit = ProcessInfo.processInfo.environment["PODSTACK_BINARY"] { return explicit }
        var directory = Bundle.main.bundleURL
        for _ in 0..<4 {
            let candidate = directory.appendingPathComponent("podstack").path
            if FileManager.default.isExecutableFile(atPath: candidate) { return candidate }
            directory = directory.deletingLastPathComponent()
        }
        return URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().appendingPathComponent(".build/debug/podstack").path
    }()

    /// One copy of the binary that other users (the test bed's unprivileged one) may run: the build
    /// directory may be closed to them. Made once, and written through a close-on-exec descriptor: a child
    /// that another test forks while the copy is open would otherwise keep it open for writing for its whole
    /// life, and every exec of the copy would fail with "Text file busy".
    static let binaryForOtherUsers: String = {
        let directory = NSTemporaryDirectory() + "pstest-bin-\(getpid())"
        mkdir(directory, 0o755)
        chmod(directory, 0o755)
        let copy = directory + "/podstack"
        guard let bytes = FileManager.default.contents(atPath: binary) else { return binary }
        unlink(copy)
        let fd = open(copy, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0o755)
        guard fd >= 0 else { return binary }
        let written = bytes.withUnsafeBytes { write(fd, $0.baseAddress, $0.count) }
        close(fd)
        chmod(copy, 0o755)
        return written == bytes.count ? copy : binary
    }()

    /// A private runtime directory (its own lock) and data directory per test, unless shared on purpose.
    var environment: [String: String]

    init(runtimeDirectory: String? = nil, dataDirectory: String? = nil, extra: [String: String] = [:]) throws {
        var environment = ProcessInfo.processInfo.environment
        environment["CONTAINER_HOST"] = TestBed.url ?? ""
        let runtime = try runtimeDirectory ?? Self.temporaryDirectory("run")
        environment["XDG_RUNTIME_DIR"] = runtime
        environment["PODSTACK_DATA_DIR"] = try dataDirectory ?? Self.temporaryDirectory("data")
        // A full run starts every test at once on two cores: the bed's Podman then keeps a list or an inspect
        // waiting on a container's lock (held through a stop's grace period) for more than the default 30 s.
        // Tests of the timeout itself pass --request-timeout, which wins.
        environment["PODSTACK_REQUEST_TIMEOUT"] = "120"
        for (key, value) in extra { environment[key] = value }
        self.environment = environment
    }

    static func temporaryDirectory(_ label: String) throws -> String {
        let path = NSTemporaryDirectory() + "pstest-\(label)-\(UUID().uuidString.prefix(8))"
        try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
        // The rootless service's user must be able to traverse into data directories made below here.
        chmod(path, 0o755)
        return path
    }

    /// Runs podstack with `arguments`; fails the test if it runs past `limit`.
    @discardableResult
    func run(_ arguments: [String], limit: Duration = .seconds(300)) async throws -> Result {
        let child = try ChildProcess(Self.binary, arguments, environment: environment)
        let result = await child.finish(within: limit)
        return Result(status: result.status, stdout: result.stdout, stderr: result.stderr)
    }
}

/// Compose files written by a test, with pod names unique to it and the generic stand-in image.
struct ScratchStack {
    let directory: String
    let pod: String

    init(_ base: String) throws {
        pod = TestBed.uniqueName(base)
        directory = try PodstackProcess.temporaryDirectory("compose")
    }

    /// Writes `<pod>.yml` with `services` (YAML text indented by four spaces under `services:`).
    @discardableResult
    func write(_ services: String, extra: String = "") throws -> String {
        let path = directory + "/\(pod).yml"
        try ("name: \(pod)\nservices:\n" + services + extra).write(toFile: path, atomically: true, encoding: .utf8)
        return path
    }

    /// A generic stand-in service: `mode` serve/crash/flap/complete/sleep, ready after `delay` seconds.
    /// The health-check timeout of the tests' services (see `service`).
    static let probeTimeout = "10s"

    static func service(
        _ name: String, mode: String = "serve", delay: Int = 0, port: Int? = nil, internalPort: Int? = nil,
        dependsOn: [(String, String)] = [], health: Bool = true, interval: String = "1s", retries: Int = 3,
        environment: [String: String] = [:], extra: String = ""
    ) -> String {
        // Services of a pod share one network namespace, so each listens on a port of its own.
        let internalPort = internalPort ?? 10_000 + name.unicodeScalars.reduce(0) { ($0 * 31 + Int($1.value)) % 20_000 }
        var text = "  \(name):\n    image: \(TestBed.genericImage)\n    stop_grace_period: 2s\n"
        var env = [
            "STANDIN_MODE": mode, "STANDIN_PORT": "\(internalPort)", "STANDIN_READY_DELAY": "\(delay)",
            "STANDIN_DELAY": "\(delay)",
        ]
        for (key, value) in environment { env[key] = value }
        text += "    environment:\n" + env.keys.sorted().map { "      \($0): \"\(env[$0] ?? "")\"\n" }.joined()
        if let port { text += "    ports:\n      - \"\(port):\(internalPort)\"\n" }
        if health {
            // The timeout bounds one probe and costs nothing while probes pass. Idle probes take 45-85 ms, but in
            // full runs on 2 cores Podman 5.4's exec-based probes of a healthy service overran 2 s again and again.
            text +=
                "    healthcheck:\n      test: [\"CMD\", \"standin-health\"]\n      interval: \(interval)\n      timeout: \(ScratchStack.probeTimeout)\n      retries: \(retries)\n"
        }
        if !dependsOn.isEmpty {
            text += "    depends_on:\n" + dependsOn.map { "      \($0.0):\n        condition: \($0.1)\n" }.joined()
        }
        return text + extra
    }
}

extension PodstackProcess {
    /// What a scenario saw: podstack's exit status as a shell reports it (128 + signal when a signal ended
    /// it), the seconds from the action to podstack's exit, and its output.
    struct ScenarioResult {
        var status: Int32
        var secondsAfterAction: Double
        var stdout: String
        var stderr: String
    }

    /// Runs podstack in a shell, waits for a moment (a line matching `waitForPattern` on its stderr, or a
    /// fixed delay), runs `action` (a shell command; `$PODSTACK_PID` is podstack's pid), and waits for
    /// podstack to end. All of it happens in the shell, so the moment and the action are on time even when
    /// this test process is slow to be scheduled (two cores, many tests at once).
    func scenario(
        _ arguments: [String], waitForPattern: String? = nil, delay: Double = 0, action: String,
        limit: Duration = .seconds(120)
    ) async throws -> ScenarioResult {
        let directory = try Self.temporaryDirectory("scenario")
        let (out, err, result) = (directory + "/out", directory + "/err", directory + "/result")
        let quoted = ([Self.binary] + arguments).map { "'" + $0.replacingOccurrences(of: "'", with: "'\\''") + "'" }
            .joined(separator: " ")
        let waiting =
            waitForPattern.map {
                "for i in $(seq 600); do grep -qE '\($0)' '\(err)' && break; sleep 0.05; done"
            } ?? "sleep \(delay)"
        // Job control, so that the background podstack does not start with SIGINT ignored.
        let script = """
            set -m
            \(quoted) >'\(out)' 2>'\(err)' &
            export PODSTACK_PID=$!
            \(waiting)
            \(action)
            start=$(date +%s.%N)
            wait $PODSTACK_PID
            status=$?
            end=$(date +%s.%N)
            echo "$status $(awk "BEGIN { print $end - $start }")" >'\(result)'
            """
        var runner = self
        runner.environment["PODSTACK_SCENARIO"] = "1"
        let shell = try ChildProcess("/bin/bash", ["-c", script], environment: runner.environment)
        _ = await shell.finish(within: limit)
        let fields = ((try? String(contentsOfFile: result, encoding: .utf8)) ?? "").split(separator: " ")
        return ScenarioResult(
            status: Int32(fields.first.map { String($0).trimmingCharacters(in: .whitespacesAndNewlines) } ?? "") ?? -1,
            secondsAfterAction: Double(
                fields.dropFirst().first.map { String($0).trimmingCharacters(in: .whitespacesAndNewlines) } ?? "")
                ?? -1,
            stdout: (try? String(contentsOfFile: out, encoding: .utf8)) ?? "",
            stderr: (try? String(contentsOfFile: err, encoding: .utf8)) ?? "")
    }
}
