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

    @Option(help: "Seconds an ordinary API request may take.")
    var requestTimeout: Int = 30

    /// Resolves the socket, pings it and reads /info; refuses a rootful service unless allowed.
    func connect(host: HostContext) async throws -> PodmanConnection {
        try await PodmanConnection.open(
            explicitURL: url, host: host,
            requestTimeout: .seconds(requestTimeout), allowRootful: allowRootful)
    }
}

/// `--json` for commands that can print machine-readable output.
struct OutputOptions: ParsableArguments {
    @Flag(help: "Print JSON instead of a table.")
    var json = false
}
