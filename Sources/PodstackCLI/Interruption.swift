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
