import Foundation
import PodmanAPI
import PodstackCompose

/// `podstack logs`: a service's output, found by its name in the stack.
public enum ServiceLogs {
    /// One line of a container's output, and whether it was written to stderr.
    public struct Line: Sendable, Equatable {
        public var isError: Bool
        public var text: String
    }

    /// The container of the service called `name` (`SERVICE`, `POD/SERVICE` or the container's own name).
    public static func container(for name: String, in stack: Stack) throws -> String {
        let parts = name.split(separator: "/", maxSplits: 1).map(String.init)
        let matches = stack.services.filter { service in
            parts.count == 2
                ? service.podName == parts[0] && service.name == parts[1]
                : service.name == name || service.containerName == name
        }
        guard matches.count == 1, let match = matches.first else {
            throw PodstackError.unknownName(
                kind: matches.isEmpty ? "service" : "unambiguous service (give POD/SERVICE)", name: name,
                known: stack.services.map { "\($0.podName)/\($0.name)" })
        }
        return match.containerName
    }

    /// Hands each line of `container`'s log to `print`; with `follow`, until the container exits. A container
    /// that does not exist is `PodstackError.serviceNotCreated`, named as `service` was asked for.
    public static func read(
        _ container: String, service: String, tail: Int?, follow: Bool, connection: PodmanConnection,
        print: (Line) -> Void
    ) async throws {
        do {
            for try await line in connection.client.logs(container, tail: tail, follow: follow) {
                print(Line(isError: line.stream == .stderr, text: line.text))
            }
        } catch let error as PodmanError where error.isNotFound {
            throw PodstackError.serviceNotCreated(service: service, container: container)
        } catch let error as PodmanError {
            try PodstackError.rethrow(error, during: "reading the log of \(container)")
        }
    }
}
