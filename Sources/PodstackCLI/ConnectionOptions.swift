import ArgumentParser
import Foundation
import PodstackCore

/// How to reach Podman; shared by every command that talks to it.
struct ConnectionOptions: ParsableArguments {
    @Option(
        name: .customLong("url"),
        help: ArgumentHelp(
            "Podman socket, unix:///path (default: $CONTAINER_HOST, else $XDG_RUNTIME_DIR/podman/podman.sock).",
            valueName: "url"))
    var url: String?

    @Flag(help: "Accept a rootful Podman service (podstack expects the user's rootless one).")
    var allowRootful = false

    @Option(help: "Seconds an ordinary API request may take (default: $PODSTACK_REQUEST_TIMEOUT, else 30).")
    var requestTimeout: Int?

    /// A busy Podman (many containers starting on few cores) can take longer; the variable sets it once for
    /// every command, as the integration tests do.
    mutating func validate() throws {
        if let requestTimeout, requestTimeout < 1 {
            throw ValidationError("--request-timeout \(requestTimeout): give a whole number of seconds above 0.")
        }
        guard requestTimeout == nil, let text = ProcessInfo.processInfo.environment["PODSTACK_REQUEST_TIMEOUT"],
            !text.isEmpty
        else { return }
        guard let seconds = Int(text), seconds > 0 else {
            throw ValidationError("PODSTACK_REQUEST_TIMEOUT='\(text)': give a whole number of seconds above 0.")
        }
        requestTimeout = seconds
    }

    /// Resolves the socket, pings it and reads /info; refuses a rootful service unless allowed.
    func connect(host: HostContext) async throws -> PodmanConnection {
        try await PodmanConnection.open(
            explicitURL: url, host: host,
            requestTimeout: .seconds(requestTimeout ?? 30), allowRootful: allowRootful)
    }
}

/// `--json` for commands that can print machine-readable output.
struct OutputOptions: ParsableArguments {
    @Flag(help: "Print JSON instead of a table.")
    var json = false
}

/// `--parallel` of the commands that build images (`build`, `up`).
struct BuildOptions: ParsableArguments {
    @Option(help: "How many images to build at once.")
    var parallel: Int = 2

    func validate() throws {
        if parallel < 1 { throw ValidationError("--parallel \(parallel): build at least one image at a time.") }
    }
}
