import PodmanAPI

/// A failure of the Podman service, or of one request to it: the client's error, with what a caller needs
/// to choose its advice. The CLI sees only this, never the client's own types.
public struct PodmanFailure: Error, Sendable, CustomStringConvertible {
    /// What the user can do about it.
    public enum Remedy: Sendable, Equatable {
        /// The service went away in the middle of the run: start it again and rerun.
        case restartAndRerun
        /// The socket is not the user's to open.
        case useOwnSocket(path: String)
        /// The service is up but does not answer in time.
        case waitOrRaiseTimeout
        /// The URL given is not a Unix socket URL.
        case fixSocketURL
        /// No service answers there: start one, or point at another.
        case startService
        /// libcurl could not make the request (an option it refused, no handle): nothing reached the service.
        case clientFailed
    }

    let error: PodmanError

    init(_ error: PodmanError) { self.error = error }

    public var description: String { "\(error)" }

    /// The answer was not what Podman sends (garbage JSON): whatever listens there is not a working Podman
    /// service, so the command ends as for an unavailable one (exit 69), with the error's short excerpt.
    public var isMalformedAnswer: Bool {
        if case .decoding = error { return true }
        return false
    }

    public var remedy: Remedy {
        switch error {
        case .transport(.connectionLost, _): .restartAndRerun
        case .transport(.permissionDenied, let path): .useOwnSocket(path: path)
        case .transport(.timedOut, _): .waitOrRaiseTimeout
        case .invalidSocketURL: .fixSocketURL
        case .transport(.optionRefused, _), .transport(.noCurlHandle, _): .clientFailed
        default: .startService
        }
    }
}
