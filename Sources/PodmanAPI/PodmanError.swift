import Foundation

/// The one error type of the client. Each case keeps its category so that callers can choose both the
/// message and the exit code without matching on text.
public enum PodmanError: Error, Sendable, Equatable {
    /// The request never got an HTTP answer: the socket is missing, refused, unreadable, timed out,
    /// or the server went away in the middle of the response.
    case transport(TransportFailure, socketPath: String)
    /// The server answered with a status the route does not accept. `body` is Podman's decoded error
    /// model when the body was one (404/405 from the router are plain text, so it can be nil).
    case http(status: Int, route: String, body: PodmanErrorBody?, rawBody: String)
    /// The status was fine but the body did not decode into the wire type; the raw body is kept.
    case decoding(route: String, reason: String, rawBody: String)
    /// `--url`/`CONTAINER_HOST` could not be understood as a Unix socket.
    case invalidSocketURL(String)
}

/// Why a request did not get an answer.
public enum TransportFailure: Sendable, Equatable {
    case socketMissing
    case connectionRefused
    case permissionDenied
    case timedOut(milliseconds: Int)
    /// The connection closed before a complete response arrived (service killed, half-written reply).
    case connectionLost(String)
    case cancelled
    case notPodman(String)
    case other(code: Int, message: String)
}

/// Podman's error model: `{"cause": ..., "message": ..., "response": ...}`.
public struct PodmanErrorBody: Codable, Sendable, Equatable {
    public var cause: String?
    public var message: String?
    public var response: Int?
}

extension PodmanError {
    public var httpStatus: Int? {
        if case .http(let status, _, _, _) = self { return status }
        return nil
    }
    public var isNotFound: Bool { httpStatus == 404 }
    public var isConflict: Bool { httpStatus == 409 }
    public var isTransport: Bool {
        if case .transport = self { return true }
        return false
    }

    /// The most specific sentence Podman gave, for reports.
    public var serverMessage: String? {
        guard case .http(_, _, let body, let raw) = self else { return nil }
        return body?.message ?? body?.cause ?? (raw.isEmpty ? nil : raw.trimmingCharacters(in: .whitespacesAndNewlines))
    }
}

extension PodmanError: CustomStringConvertible {
    public var description: String {
        switch self {
        case .transport(let failure, let path):
            switch failure {
            case .socketMissing: return "no Podman socket at \(path)"
            case .connectionRefused: return "the Podman socket at \(path) refused the connection"
            case .permissionDenied: return "permission denied opening the Podman socket at \(path)"
            case .timedOut(let ms): return "the Podman service at \(path) did not answer within \(ms) ms"
            case .connectionLost(let detail): return "the Podman service at \(path) went away mid-request (\(detail))"
            case .cancelled: return "the request to \(path) was cancelled"
            case .notPodman(let detail): return "the server at \(path) is not a Podman service (\(detail))"
            case .other(let code, let message): return "talking to \(path) failed: \(message) (curl \(code))"
            }
        case .http(let status, let route, _, _):
            return "Podman answered \(status) to \(route): \(serverMessage ?? "no message")"
        case .decoding(let route, let reason, let raw):
            return "could not read Podman's answer to \(route): \(reason); body: \(raw.prefix(300))"
        case .invalidSocketURL(let url):
            return "'\(url)' is not a Unix socket URL (expected unix:///path/to/podman.sock)"
        }
    }
}
