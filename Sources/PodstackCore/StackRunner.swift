import Foundation
import PodmanAPI
import PodstackCompose
import PodstackPreflight

/// The commands' logic, given a loaded stack and a checked connection.
public struct StackRunner: Sendable {
    public let connection: PodmanConnection
    public let stack: Stack
    public let environment: [String: String]
    public let events: StackEventSink

    public init(
        connection: PodmanConnection, stack: Stack, environment: [String: String], events: @escaping StackEventSink
    ) {
        self.connection = connection
        self.stack = stack
        self.environment = environment
        self.events = events
    }

    var client: PodmanClient { connection.client }

    /// The pods named on the command line, or all of them; an unknown name is an error.
    public static func select(_ names: [String], from stack: Stack) throws -> [PodDefinition] {
        if names.isEmpty { return stack.pods }
        return try names.map { name in
            guard let pod = stack.pod(named: name) else {
                throw PodstackError.unknownName(kind: "pod", name: name, known: stack.pods.map(\.name))
            }
            return pod
        }
    }
}
