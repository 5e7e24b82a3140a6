import Foundation
import PodstackCore
import Synchronization

/// Runs a command so that SIGINT and SIGTERM cancel it cleanly: in-flight requests are cancelled, no new
/// work starts, and the command ends with `PodstackError.interrupted` (exit 130 or 143). A second
/// signal exits at once.
enum Interruption {
    /// The signal that arrived, and how to cancel the work under way.
    private static let state = Mutex<(received: Int32?, cancelWork: (@Sendable () -> Void)?, installed: Bool)>(
        (nil, nil, false))

    /// Catches SIGINT/SIGTERM from here on. Before `run` starts (loading, waiting for the lock) nothing has
    /// changed, so a signal then only ends the process, with the same exit code as later.
    static func installEarly() {
        let alreadyInstalled = state.withLock { current -> Bool in
            defer { current.installed = true }
            return current.installed
        }
        if alreadyInstalled { return }
        SignalPipe.install { signalNumber in
            let (first, cancelWork) = state.withLock { current -> (Bool, (@Sendable () -> Void)?) in
                if current.received != nil { return (false, nil) }
                current.received = signalNumber
                return (true, current.cancelWork)
            }
            let name = signalNumber == SIGINT ? "SIGINT" : "SIGTERM"
            if !first { exit(128 + signalNumber) }
            guard let cancelWork else {
                Console.error("podstack: interrupted by \(name) before changing anything.")
                exit(128 + signalNumber)
            }
            Console.error("podstack: stopping (\(name)); press Ctrl-C again to quit at once")
            cancelWork()
        }
    }

    /// Runs `body`; a signal cancels it (in-flight requests are cancelled, no new work starts) and the
    /// command ends with `PodstackError.interrupted` (exit 130 or 143).
    static func run<T: Sendable>(_ body: @escaping @Sendable () async throws -> T) async throws -> T {
        installEarly()
        let task = Task { try await body() }
        let alreadyReceived = state.withLock { current -> Bool in
            current.cancelWork = { task.cancel() }
            return current.received != nil
        }
        if alreadyReceived { task.cancel() }
        do {
            return try await task.value
        } catch {
            if let signalNumber = state.withLock({ $0.received }) {
                throw PodstackError.interrupted(signal: signalNumber)
            }
            throw error
        }
    }
}

/// The self-pipe trick: the C signal handler only writes the signal's number to a pipe (all it may
/// safely do), and a thread of its own reads the pipe and acts. That thread unblocks SIGINT and SIGTERM
/// for itself: a parent may start podstack with them blocked (Foundation's `Process` does), and a blocked
/// signal would stay pending forever. `UpResilienceTests.interrupted` caught exactly that.
private nonisolated(unsafe) var signalPipeWriteEnd: Int32 = -1

enum SignalPipe {
    static func install(_ handler: @escaping @Sendable (Int32) -> Void) {
        var ends: [Int32] = [0, 0]
        guard pipe(&ends) == 0 else { return }
        signalPipeWriteEnd = ends[1]
        let readEnd = ends[0]
        let thread = Thread {
            var unblock = sigset_t()
            sigemptyset(&unblock)
            sigaddset(&unblock, SIGINT)
            sigaddset(&unblock, SIGTERM)
            pthread_sigmask(SIG_UNBLOCK, &unblock, nil)
            var byte: UInt8 = 0
            while read(readEnd, &byte, 1) == 1 { handler(Int32(byte)) }
        }
        thread.name = "podstack-signals"
        thread.start()
        for signalNumber in [SIGINT, SIGTERM] {
            signal(signalNumber) { number in
                var byte = UInt8(truncatingIfNeeded: number)
                _ = write(signalPipeWriteEnd, &byte, 1)
            }
        }
    }
}

/// Prints progress events as lines: one per service change, pull progress folded into one updating line
/// on a terminal and thinned to a line per step elsewhere.
final class ProgressPrinter: Sendable {
    private let startedAt = ContinuousClock.now
    private let lastPull = Mutex<[String: String]>([:])
    private let terminal = Console.stderrIsTerminal

    var sink: StackEventSink {
        { [self] event in handle(event) }
    }

    private func handle(_ event: StackEvent) {
        let elapsed = ContinuousClock.now - startedAt
        let stamp = String(
            format: "%6.1fs", Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18)
        switch event {
        case .step(let text):
            Console.error("\(stamp)  \(text)")
        case .warning(let text):
            Console.error("\(stamp)  warning: \(text)")
        case .pull(let image, let progress):
            if terminal {
                FileHandle.standardError.write(Data("\r\u{1B}[2K\(stamp)  pull \(image): \(progress.prefix(100))".utf8))
                if progress.hasPrefix("pulled") { FileHandle.standardError.write(Data("\n".utf8)) }
            } else {
                let changed = lastPull.withLock { seen -> Bool in
                    defer { seen[image] = progress }
                    return seen[image] != progress
                }
                if changed { Console.error("\(stamp)  pull \(image): \(progress)") }
            }
        case .service(let pod, let service, let phase, let detail):
            // Padded to line the phases up, never cut: `padding(toLength:)` would truncate a long name.
            let plain = "\(pod)/\(service)"
            let name = plain.count < 26 ? plain.padding(toLength: 26, withPad: " ", startingAt: 0) : plain
            Console.error("\(stamp)  \(name) \(phase.rawValue)" + (detail.map { "  (\($0))" } ?? ""))
        }
    }
}
