import ArgumentParser
import Foundation
import PodstackCore
import Testing

@testable import PodstackCLI

/// The context a command runs in, made at the entry point: an interruption of its own and the host as given.
@Suite("A command's interruption and host are the instance it is given")
struct CommandContextTests {
    /// Whether `error` is `PodstackError.interrupted` with this signal.
    static func isInterrupted(_ error: any Error, by signal: Int32) -> Bool {
        if case PodstackError.interrupted(signal) = error { return true }
        return false
    }

    @Test("a signal before any work ends the process unchanged; a second signal ends it at once")
    func signalBeforeWork() {
        let interruption = Interruption()
        #expect(interruption.receive(SIGINT) == .exitBeforeChanging)
        #expect(interruption.receive(SIGTERM) == .exitAtOnce)
        #expect(interruption.received == SIGINT)
    }

    @Test("a signal while work runs cancels it, and the run ends as interrupted by that signal")
    func signalDuringWork() async throws {
        let interruption = Interruption()
        let (started, startedSignal) = AsyncStream<Void>.makeStream()
        let run = Task {
            try await interruption.run {
                startedSignal.yield()
                // Ends only by cancellation: the test has no timing of its own.
                try await Task.sleep(for: .seconds(3600))
                return 0
            }
        }
        for await _ in started { break }
        #expect(interruption.receive(SIGTERM) == .cancelling)
        do {
            _ = try await run.value
            Issue.record("the run was not cancelled")
        } catch {
            #expect(Self.isInterrupted(error, by: SIGTERM), "\(error)")
        }
    }

    @Test("work started after a signal is cancelled before it does anything")
    func signalBeforeRun() async {
        let interruption = Interruption()
        _ = interruption.receive(SIGINT)
        do {
            _ = try await interruption.run { () async throws -> Int in
                try Task.checkCancellation()
                return 1
            }
            Issue.record("the work ran")
        } catch {
            #expect(Self.isInterrupted(error, by: SIGINT), "\(error)")
        }
    }

    @Test("two interruptions share nothing: a signal to one leaves the other's work alone")
    func instancesAreIndependent() async throws {
        let first = Interruption()
        let second = Interruption()
        _ = first.receive(SIGINT)
        #expect(second.received == nil)
        #expect(try await second.run { 42 } == 42)
    }

    @Test("a command reads the environment of the context it is given, not the process's")
    func hostFromContext() async throws {
        let directory = try PodstackProcess.temporaryDirectory("context")
        let variable = "PODSTACK_CONTEXT_TEST_IMAGE"
        #expect(ProcessInfo.processInfo.environment[variable] == nil)
        try "name: ctx\nservices:\n  a:\n    image: ${\(variable):?set it}\n"
            .write(toFile: directory + "/ctx.yml", atomically: true, encoding: .utf8)
        let command = try #require(
            try PodstackCommand.parseAsRoot(["config", "--compose-dir", directory, "--json"]) as? ConfigCommand)
        var context = CommandContext.current()
        context.host.environment[variable] = "busybox"
        try await command.run(in: context)
        // The same command in the process's own context does not have the variable: the file is refused.
        await #expect(throws: (any Error).self) { try await command.run(in: .current()) }
    }

    @Test("the run lock refuses a file that is not the context's user's, whoever the process runs as")
    func lockOwnerFromContext() async throws {
        let path = try PodstackProcess.temporaryDirectory("lock") + "/run.lock"
        let someoneElse = geteuid() &+ 1
        do {
            _ = try await RunLock.acquire(path: path, owner: someoneElse, wait: .zero, onWait: { _ in })
            Issue.record("a lock file of uid \(geteuid()) was taken for uid \(someoneElse)")
        } catch PodstackError.hostFile(_, let reason) {
            #expect(reason.contains("not by you (uid \(someoneElse))"), "\(reason)")
        }
        let own = try await RunLock.acquire(path: path, owner: geteuid(), wait: .zero, onWait: { _ in })
        withExtendedLifetime(own) {}
    }
}
