import Foundation

/// The one error type of the client. Each failure is its own case, grouped by category (no answer, an
/// answer refusing the request, an answer that could not be read, a socket URL that is not one), so that
/// callers choose both the message and the exit code without matching on text.
public enum PodmanError: Error, Sendable, Equatable {
    /// The request never got a complete HTTP answer: the socket is missing, refused, unreadable, timed out,
    /// the server went away in the middle of the response, or libcurl could not set the request up.
    case transport(TransportFailure, socketPath: String)
    /// The server answered with a status the route does not accept. `body` is Podman's decoded error
    /// model when the body was one (404/405 from the router are plain text, so it can be nil).
    case http(status: Int, route: String, body: Body?, rawBody: String)
    /// A pull answered 200 and then reported in its stream that the image could not be had.
    case pullFailed(reference: String, message: String)
    /// The status was fine but the body did not decode into the wire type. `excerpt` is the body's start
    /// (`excerptLength` bytes at most), enough to see what came instead.
    case decoding(route: String, reason: String, excerpt: String)
    /// `--url`/`CONTAINER_HOST` could not be understood as a Unix socket.
    case invalidSocketURL(String)

    /// Why a request did not get an answer.
    public enum TransportFailure: Sendable, Equatable {
        case socketMissing
        case connectionRefused
        case permissionDenied
        case timedOut(milliseconds: Int)
        /// The connection closed before a complete response arrived (service killed, half-written reply).
        case connectionLost(String)
        case cancelled
        /// An HTTP server answered, but not as Podman does.
        case notPodman(String)
        /// libcurl could not make an easy handle (it is out of memory).
        case noCurlHandle
        /// libcurl refused an option while the request was set up (`option` is its name, e.g. CURLOPT_URL).
        case optionRefused(option: String, code: Int, message: String)
        /// Any other libcurl failure, with its code and libcurl's sentence.
        case other(code: Int, message: String)
    }

    /// Podman's error model: `{"cause": ..., "message": ..., "response": ...}`.
    public struct Body: Codable, Sendable, Equatable {
        public var cause: String?
        public var message: String?
        public var response: Int?
    }

    /// How much of an undecodable body `decoding` keeps.
    public static let excerptLength = 200

    /// The start of `body` as text, at most `excerptLength` bytes, marked when cut.
    static func excerpt(of body: Data) -> String {
        guard body.count > excerptLength else { return String(decoding: body, as: UTF8.self) }
        return String(decoding: body.prefix(excerptLength), as: UTF8.self) + "… (\(body.count) bytes)"
    }
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
        switch self {
        case .http(_, _, let body, let raw):
            return body?.message ?? body?.cause
                ?? (raw.isEmpty ? nil : raw.trimmingCharacters(in: .whitespacesAndNewlines))
        case .pullFailed(_, let message):
            return message
        case .transport, .decoding, .invalidSocketURL:
            return nil
        }
    }
}

extension PodmanError: CustomStringConvertible {
    public var description: String {
        switch self {
        case .transport(let failure, let path):
            return Self.describe(failure, socketPath: path)
        case .http(let status, let route, _, _):
            return "Podman answered \(status) to \(route): \(serverMessage ?? "no message")"
        case .pullFailed(let reference, let message):
            return "Podman could not pull \(reference): \(message)"
        case .decoding(let route, let reason, let excerpt):
            return "could not read Podman's answer to \(route): \(reason); body: \(excerpt)"
        case .invalidSocketURL(let url):
            return "'\(url)' is not a Unix socket URL (expected unix:///path/to/podman.sock)"
        }
    }

    private static func describe(_ failure: TransportFailure, socketPath path: String) -> String {
        switch failure {
        case .socketMissing: "no Podman socket at \(path)"
        case .connectionRefused: "the Podman socket at \(path) refused the connection"
        case .permissionDenied: "permission denied opening the Podman socket at \(path)"
        case .timedOut(let ms): "the Podman service at \(path) did not answer within \(ms) ms"
        case .connectionLost(let detail): "the Podman service at \(path) went away mid-request (\(detail))"
        case .cancelled: "the request to \(path) was cancelled"
        case .notPodman(let detail): "the server at \(path) is not a Podman service (\(detail))"
        case .noCurlHandle: "libcurl could not make a handle for a request to \(path) (out of memory)"
        case .optionRefused(let option, let code, let message):
            "libcurl refused \(option) for a request to \(path): \(message) (curl \(code))"
        case .other(let code, let message): "talking to \(path) failed: \(message) (curl \(code))"
        }
    }
}
