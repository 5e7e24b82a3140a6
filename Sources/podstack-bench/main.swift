// podstack-bench: drives PodmanAPI's client for scripts/bench-client.sh.
//
//   podstack-bench ping --socket PATH --count N --concurrency C [--warmup W]
//
// Sends N `GET /_ping` requests through `PodmanClient.ping()` from C concurrent callers (a task group; each
// caller sends its share one after another, so concurrency 1 is sequential) and prints one JSON line:
// {"requests":N,"seconds":S,"rate":R}. Before the clock starts, every caller sends W pings (default 20) so
// that the worker threads and their keep-alive connections exist, as the C loop opens its connections
// before timing; the timed part is the steady state the comparison is about.
import Foundation
import PodmanAPI

struct PingOptions {
    var socket = ""
    var count = 3000
    var concurrency = 1
    var warmup = 20
    /// Callers run with the client's executor as their preference, as podstack's commands do; `--pool`
    /// runs them on Swift's cooperative pool instead (two thread hops per request).
    var onClientExecutor = true
}

enum BenchUsage: Error, CustomStringConvertible {
    case invalid(String)
    var description: String {
        switch self {
        case .invalid(let why):
            return "\(why)\nusage: podstack-bench ping --socket PATH [--count N] [--concurrency C] [--warmup W]"
        }
    }
}

func parsePing(_ arguments: ArraySlice<String>) throws -> PingOptions {
    var options = PingOptions()
    var rest = arguments
    while let flag = rest.popFirst() {
        if flag == "--pool" {
            options.onClientExecutor = false
            continue
        }
        guard let value = rest.popFirst() else { throw BenchUsage.invalid("\(flag) needs a value") }
        switch flag {
        case "--socket": options.socket = value.hasPrefix("unix://") ? String(value.dropFirst(7)) : value
        case "--count", "--concurrency", "--warmup":
            guard let number = Int(value), number >= (flag == "--warmup" ? 0 : 1) else {
                throw BenchUsage.invalid("\(flag) wants a positive whole number, not '\(value)'")
            }
            if flag == "--count" {
                options.count = number
            } else if flag == "--concurrency" {
                options.concurrency = number
            } else {
                options.warmup = number
            }
        default: throw BenchUsage.invalid("unknown option \(flag)")
        }
    }
    guard !options.socket.isEmpty else { throw BenchUsage.invalid("--socket is required") }
    guard options.concurrency <= options.count else { throw BenchUsage.invalid("--concurrency exceeds --count") }
    return options
}

/// Runs `total` pings split over `callers` concurrent tasks, each sending its share in sequence.
func pings(_ client: PodmanClient, total: Int, callers: Int) async throws {
    try await withThrowingTaskGroup(of: Void.self) { group in
        for caller in 0..<callers {
            let share = total / callers + (caller < total % callers ? 1 : 0)
            group.addTask {
                for _ in 0..<share { _ = try await client.ping() }
            }
        }
        try await group.waitForAll()
    }
}

func runPing(_ options: PingOptions) async throws {
    let client = PodmanClient(socketPath: options.socket)
    guard options.onClientExecutor else { return try await timedPings(client, options) }
    try await withTaskExecutorPreference(client.executor) { try await timedPings(client, options) }
}

func timedPings(_ client: PodmanClient, _ options: PingOptions) async throws {
    if options.warmup > 0 {
        try await pings(client, total: options.warmup * options.concurrency, callers: options.concurrency)
    }
    let clock = ContinuousClock()
    let start = clock.now
    try await pings(client, total: options.count, callers: options.concurrency)
    let elapsed = clock.now - start
    let seconds = Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18
    let rate = Double(options.count) / seconds
    print(String(format: "{\"requests\":%d,\"seconds\":%.6f,\"rate\":%.1f}", options.count, seconds, rate))
}

/// Exit status of the run, set by the task and read after it has signalled.
final class Outcome: @unchecked Sendable {
    var status: Int32 = 0
}

// A synchronous main that blocks on a semaphore instead of an async main: an async main ends in
// dispatch_main(), whose sigsuspend loop makes valgrind 3.19 (Debian 12) die, and this driver exists to be
// profiled with callgrind as well as timed. Detached: top-level code is on the main actor, which the
// blocked main thread would never serve.
let arguments = Array(CommandLine.arguments.dropFirst())
let finished = DispatchSemaphore(value: 0)
let outcome = Outcome()
Task.detached {
    do {
        guard arguments.first == "ping" else { throw BenchUsage.invalid("unknown command '\(arguments.first ?? "")'") }
        try await runPing(try parsePing(arguments.dropFirst()))
    } catch let usage as BenchUsage {
        FileHandle.standardError.write(Data("podstack-bench: \(usage)\n".utf8))
        outcome.status = 64
    } catch {
        FileHandle.standardError.write(Data("podstack-bench: \(error)\n".utf8))
        outcome.status = 1
    }
    finished.signal()
}
finished.wait()
exit(outcome.status)
