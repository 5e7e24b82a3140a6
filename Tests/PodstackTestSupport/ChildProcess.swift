import Foundation
import Synchronization
import Testing

/// A child process whose output goes to files rather than pipes, spawned with posix_spawn and reaped
/// with waitpid, awaited by polling.
///
/// Foundation's `Process` went wrong under the tests' parallelism, more than once: it learns that a child
/// ended only when a socket the child inherited closes, so a child that another test forked at the same
/// moment could keep that socket (or a pipe) open and a wait would last forever (`waitUntilExit` hung a
/// whole test run); it failed to launch with EBADF; and blocking pipe reads starved the cooperative pool
/// (two threads here). Here every descriptor above stderr is closed in the child, output goes to files,
/// and the exit is learnt from waitpid on the child's own pid.
public final class ChildProcess: Sendable {
    public let pid: pid_t
    public let outputPath: String
    public let errorPath: String
    public let command: String
    /// The exit status once reaped: the exit code, or 128 + the signal that ended it.
    private let exitStatus = Mutex<Int32?>(nil)

    public init(_ executable: String, _ arguments: [String], environment: [String: String]? = nil) throws {
        let directory = NSTemporaryDirectory() + "pstest-child-\(UUID().uuidString.prefix(8))"
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        outputPath = directory + "/stdout"
        errorPath = directory + "/stderr"
        command = ([executable] + arguments).joined(separator: " ")
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0)
        posix_spawn_file_actions_addopen(&actions, 1, outputPath, O_WRONLY | O_CREAT | O_TRUNC, 0o644)
        posix_spawn_file_actions_addopen(&actions, 2, errorPath, O_WRONLY | O_CREAT | O_TRUNC, 0o644)
        if let closeFrom = Self.addCloseFrom { _ = closeFrom(&actions, 3) }
        let argv = ([executable] + arguments).map { strdup($0) } + [nil]
        let env = (environment ?? ProcessInfo.processInfo.environment).map { strdup("\($0.key)=\($0.value)") } + [nil]
        defer { (argv + env).forEach { free($0) } }
        // The spawning thread may block or ignore signals (the test runner's threads do); the child starts
        // with none blocked and every signal at its default, as from a shell, so podstack's own SIGINT and
        // SIGTERM handling is what the signal tests see.
        var attributes = posix_spawnattr_t()
        posix_spawnattr_init(&attributes)
        defer { posix_spawnattr_destroy(&attributes) }
        var noSignals = sigset_t()
        sigemptyset(&noSignals)
        var allSignals = sigset_t()
        sigfillset(&allSignals)
        posix_spawnattr_setsigmask(&attributes, &noSignals)
        posix_spawnattr_setsigdefault(&attributes, &allSignals)
        posix_spawnattr_setflags(&attributes, Int16(POSIX_SPAWN_SETSIGMASK | POSIX_SPAWN_SETSIGDEF))
        var pid: pid_t = 0
        let spawned = posix_spawn(&pid, executable, &actions, &attributes, argv, env)
        guard spawned == 0 else { throw POSIXError(POSIXErrorCode(rawValue: spawned) ?? .EINVAL) }
        self.pid = pid
    }

    /// glibc's `posix_spawn_file_actions_addclosefrom_np` (2.34 and later; Debian 12 has 2.36), looked up at
    /// run time because Swift's Glibc module does not declare it.
    private static let addCloseFrom:
        (@convention(c) (UnsafeMutablePointer<posix_spawn_file_actions_t>, Int32) -> Int32)? = {
            guard let symbol = dlsym(dlopen(nil, RTLD_NOW), "posix_spawn_file_actions_addclosefrom_np") else {
                return nil
            }
            return unsafeBitCast(
                symbol, to: (@convention(c) (UnsafeMutablePointer<posix_spawn_file_actions_t>, Int32) -> Int32).self)
        }()

    /// Reaps the child if it has ended; whether it still runs.
    public var isRunning: Bool {
        exitStatus.withLock { status in
            if status != nil { return false }
            var raw: Int32 = 0
            guard waitpid(pid, &raw, WNOHANG) == pid else { return true }
            // WIFEXITED/WEXITSTATUS are macros Swift cannot see: exit code in bits 8-15, signal in the low 7.
            status = (raw & 0x7F) == 0 ? (raw >> 8) & 0xFF : 128 + (raw & 0x7F)
            return false
        }
    }

    /// Waits for the child to end (killing it after `limit`, which fails the test) and reads its output.
    public func finish(within limit: Duration = .seconds(300)) async -> (status: Int32, stdout: String, stderr: String)
    {
        var watch = Deadline(limit: limit)
        while isRunning {
            watch.killIfPast(self)
            try? await Task.sleep(for: .milliseconds(50))
        }
        return result
    }

    /// `finish` for synchronous callers, for children that end in moments (`ss`, `sha256sum`): it blocks
    /// its thread while it waits, so it is not for anything that may take long.
    public func finishNow(within limit: Duration = .seconds(30)) -> (status: Int32, stdout: String, stderr: String) {
        var watch = Deadline(limit: limit)
        while isRunning {
            watch.killIfPast(self)
            usleep(5_000)
        }
        return result
    }

    /// The bound of a wait: past it the child is killed once, and the test fails.
    private struct Deadline {
        let limit: Duration
        let end: ContinuousClock.Instant
        var killed = false

        init(limit: Duration) {
            self.limit = limit
            end = ContinuousClock.now + limit
        }

        mutating func killIfPast(_ child: ChildProcess) {
            guard !killed, ContinuousClock.now > end else { return }
            kill(child.pid, SIGKILL)
            killed = true
            Issue.record("\(child.command) ran past \(limit)")
        }
    }

    /// The exit status (once reaped) and the output files' text.
    private var result: (status: Int32, stdout: String, stderr: String) {
        (
            exitStatus.withLock { $0 } ?? -1, (try? String(contentsOfFile: outputPath, encoding: .utf8)) ?? "",
            (try? String(contentsOfFile: errorPath, encoding: .utf8)) ?? ""
        )
    }

    /// Kills the child (SIGKILL) and reaps it.
    public func killAndReap() {
        kill(pid, SIGKILL)
        _ = finishNow(within: .seconds(10))
    }
}
