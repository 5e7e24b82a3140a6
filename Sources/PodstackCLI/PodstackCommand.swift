import ArgumentParser
import PodstackBuildInfo

/// `podstack`: the root command. Subcommands live one per file under Commands/.
public struct PodstackCommand: AsyncParsableCommand {
    public static let configuration = CommandConfiguration(
        commandName: "podstack",
        abstract: "Run a local AI stack as rootless Podman pods: in dependency order, after checking its ports.",
        discussion: """
            Exit codes: 0 success; 1 unexpected error; 3 preflight refused (a port is taken); \
            4 a service did not become ready; 5 an image could not be had; 64 bad command line; \
            65 invalid stack file; 69 Podman service unavailable; 75 another podstack run holds the lock; \
            77 rootful Podman service refused; 130/143 interrupted by SIGINT/SIGTERM.
            """,
        version: "\(version) (commit \(String(cString: podstack_build_commit())))",
        subcommands: [
            UpCommand.self, BuildCommand.self, DownCommand.self, PreflightCommand.self, PsCommand.self, LogsCommand.self,
            ConfigCommand.self, InfoCommand.self, SystemdCommand.self, KubeCommand.self, MigrateCommand.self,
        ]
    )

    /// The release number; `--version` adds the commit the build scripts stamped in ("unknown" after a
    /// plain `swift build`). scripts/package-deb.sh reads the package version from `--version`.
    public static let version = "0.1.0"

    public init() {}
}
