import Foundation
import PodstackCompose
import PodstackCore

/// What `up` and `down` share: load the stack, take the per-user lock, then connect and run under signal
/// handling. Nothing changes before the lock is held, and a signal at any point ends with 130/143.
struct ChangingRun {
    let context: CommandContext
    let stack: StackOptions
    let connection: ConnectionOptions
    let pods: [String]
    let lockTimeout: Int

    func perform<T: Sendable>(
        _ work: @escaping @Sendable (StackRunner, [PodDefinition]) async throws -> T
    ) async throws -> T {
        let host = context.host
        let (definition, variables) = try stack.loadWithVariables(environment: host.environment)
        for warning in definition.warnings { Console.error(warning.formatted(severity: "warning")) }
        let selected = try StackRunner.select(pods, from: definition)
        let lock = try await RunLock.acquire(
            path: RunLock.defaultPath(host: host, explicitURL: connection.url), owner: host.effectiveUID,
            wait: .seconds(lockTimeout),
            onWait: { pid in
                Console.error("waiting for another podstack run\(pid.map { " (pid \($0))" } ?? "") to finish...")
            })
        defer { withExtendedLifetime(lock) {} }
        let connection = self.connection
        return try await context.interruption.run {
            let podman = try await connection.connect(host: host)
            let runner = StackRunner(
                connection: podman, stack: definition, environment: variables, events: ProgressPrinter().sink)
            return try await podman.onClientExecutor { try await work(runner, selected) }
        }
    }
}
