import Foundation
import PodmanAPI
import PodstackCompose
import PodstackPreflight

/// Everything that can stop a podstack command, by category. The CLI turns each into a sentence and an
/// exit code; nothing here is matched on text.
public enum PodstackError: Error, Sendable {
    /// The stack files are invalid (exit 65). Nothing was changed.
    case invalidStack(StackLoadError)
    /// The command line names something the stack does not have (exit 64).
    case unknownName(kind: String, name: String, known: [String])
    /// The service named on the command line has no container: the stack is not up (exit 64).
    case serviceNotCreated(service: String, container: String)
    /// The Podman service cannot be reached, or went away (exit 69).
    case podmanUnavailable(PodmanFailure)
    /// The service is older than podstack supports (exit 69, as for a service that cannot be used).
    case unsupportedPodman(socketPath: String, version: String, minimum: String)
    /// The service runs as root and `--allow-rootful` was not given (exit 77).
    case rootfulRefused(socketPath: String)
    /// A port is taken (exit 3). Nothing was changed.
    case preflightRefused(PreflightReport)
    /// An image is missing and could not be pulled (exit 5). No pod was created.
    case imagesUnavailable([ImageProblem])
    /// The image of a service with `build:` failed to build (exit 9). No pod was created.
    case buildFailed(BuildProblem)
    /// A service did not become ready (exit 4); the report has every service's outcome.
    case servicesFailed(StackRunReport)
    /// Another podstack run holds the lock (exit 75).
    case lockHeld(path: String, holderPID: Int32?)
    /// SIGINT or SIGTERM arrived (exit 128 + signal).
    case interrupted(signal: Int32)
    /// Podman refused a request podstack had to make (exit 1).
    case podman(PodmanFailure, during: String)
    /// A pod or container of that name exists and is not podstack's; podstack will not touch it (exit 1).
    case nameTaken(kind: String, name: String)
    /// Something the file declares `external: true` (made elsewhere) does not exist (exit 1). Nothing was
    /// changed. `create` is the command that makes it.
    case externalMissing(kind: String, name: String, create: String)
    /// Podman's storage holds a container of that name that Podman's own lists do not show (what a create
    /// cut short by Podman's death leaves, or another tool's container); podstack leaves it alone (exit 1).
    case nameHeldInStorage(name: String)
    /// A service's container_name is its pod's name, which Podman before 5.0 refuses ("name is in use: pod
    /// already exists") after the pod is made; checked first, so nothing was changed (exit 1).
    case containerNamedAsPod(service: String, location: String, podmanVersion: String)
    /// A secret's value cannot be had (exit 1).
    case secretUnavailable(key: String, problem: SecretProblem)
    /// A variable the command needs is not set (or not an absolute path where one is needed) (exit 1).
    case variableNotSet(name: String, consequence: String)
    /// A local file operation failed (exit 1).
    case hostFile(path: String, reason: String)
    /// `down`: the pod holds containers podstack did not make, which removing the pod would remove too
    /// (exit 8). Nothing was changed.
    case foreignContainers(pod: String, names: [String])
}

/// An image that could not be had, with the variable that chooses it.
public struct ImageProblem: Sendable, Codable {
    public var image: String
    public var services: [String]
    public var variable: String?
    public var reason: String
}

extension PodstackError {
    /// Throws `error` as what it means to the command, met while `step`. Used once the connection has been
    /// made, so a socket that is now missing or refusing means the service went away in the middle of the
    /// run. A client error becomes its PodstackError category; a cancelled request is thrown as
    /// `CancellationError`, since cancellation is no failure (task groups and `Interruption` rely on it);
    /// any other error is thrown as it is.
    public static func rethrow(_ error: any Error, during step: String) throws -> Never {
        guard let podman = error as? PodmanError else { throw error }
        guard case .transport(let failure, let path) = podman else {
            throw PodstackError.podman(PodmanFailure(podman), during: step)
        }
        switch failure {
        case .cancelled:
            throw CancellationError()
        case .connectionRefused, .socketMissing:
            let now = failure == .socketMissing ? "is gone" : "refuses connections"
            throw PodstackError.podmanUnavailable(
                PodmanFailure(.transport(.connectionLost("while \(step): the socket \(now) now"), socketPath: path)))
        case .permissionDenied, .timedOut, .connectionLost, .notPodman, .noCurlHandle, .optionRefused, .other:
            throw PodstackError.podmanUnavailable(PodmanFailure(podman))
        }
    }
}
