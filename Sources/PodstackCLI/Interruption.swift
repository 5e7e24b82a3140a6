import Foundation
import PodstackCore
import Synchronization

/// How a command answers SIGINT and SIGTERM: the first cancels the work under way (in-flight requests are
/// cancelled, no new work starts) and the command ends with `PodstackError.interrupted` (exit 130 or 143);
/// a second, or one before any work started (nothing has changed yet), ends the process at once.
///
/// One instance is made at the program's entry point (`PodstackCommand.run`) and handed to the command in
/// its `CommandContext`; the state a command reads is this instance's. What stays process-wide is what the
/// kernel keeps per process, the signals' disposition: `installSignalHandlers` routes them to one instance.
final class Interruption: Sendable {
    /// What the signal handler is to do with a signal.
    enum Response: Equatable, Sendable {
        /// Work is under way and has been told to stop; the command ends with 130/143 once it has.
        case cancelling
        /// Nothing was under way yet: the process ends now, with `128 + signal`.
        case exitBeforeChanging
        /// A second signal: the process ends now, with `128 + signal`.
        case exitAtOnce
    }

    private struct State {
        var received: Int32?
        var cancelWork: (@Sendable () -> Void)?
    }

    private let state = Mutex(State())

    init() {}

    /// The signal that arrived, if one did.
    var received: Int32? { state.withLock { $0.received } }

    /// Takes a signal: records the first, cancels the work under way, and says what is left to do.
    func receive(_ signalNumber: Int32) -> Response {
        let (first, cancelWork) = state.withLock { current -> (Bool, (@Sendable () -> Void)?) in
            if current.received != nil { return (false, nil) }
            current.received = signalNumber
            return (true, current.cancelWork)
        }
        guard first else { return .exitAtOnce }
        guard let cancelWork else { return .exitBeforeChanging }
        cancelWork()
        return .cancelling
    }

    /// Routes the process's SIGINT and SIGTERM to this instance, saying on stderr what happens, and ends
    /// the process when `receive` says to. Only the first call in a process installs (`SignalPipe`).
    func installSignalHandlers() {
        SignalPipe.install { [self] signalNumber in
            let name = signalNumber == SIGINT ? "SIGINT" : "SIGTERM"
            switch receive(signalNumber) {
            case .cancelling: Console.error("podstack: stopping (\(name)); press Ctrl-C again to quit at once")
            case .exitBeforeChanging:
                Console.error("podstack: interrupted by \(name) before changing anything.")
                exit(128 + signalNumber)
            case .exitAtOnce: exit(128 + signalNumber)
            }
        }
    }

    /// Runs `body`; a signal cancels it and the command ends with `PodstackError.interrupted`.
    func run<T: Sendable>(_ body: @escaping @Sendable () async throws -> T) async throws -> T {
        let task = Task { try await body() }
        let alreadyReceived = state.withLock { current -> Bool in
            current.cancelWork = { task.cancel() }
            return current.received != nil
        }
        if alreadyReceived { task.cancel() }
        do {
            return try await task.value
        } catch {
            if let signalNumber = received { throw PodstackError.interrupted(signal: signalNumber) }
            throw error
        }
    }
}
