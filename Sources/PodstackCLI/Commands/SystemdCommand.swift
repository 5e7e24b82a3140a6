import ArgumentParser
import Foundation
import PodstackCompose
import PodstackCore
import PodstackExport

/// `podstack systemd`: user units that bring pods up at login or boot, preflight first.
struct SystemdCommand: ContextualCommand {
    static let configuration = CommandConfiguration(
        commandName: "systemd",
        abstract: "Write systemd user units (podstack-POD.service) that run preflight, then up; down to stop.",
        discussion: """
            Prints the units unless --output or --install says where to write them. --install writes to \
            $XDG_CONFIG_HOME/systemd/user and says how to enable them; it never runs systemctl or sudo. \
            See docs/systemd-and-kubernetes.md.
            """)

    @Argument(help: "Pods to write units for (default: every pod of the stack).")
    var pods: [String] = []

    @OptionGroup var stack: StackOptions

    @Flag(help: "Write the units to $XDG_CONFIG_HOME/systemd/user (~/.config/systemd/user).")
    var install = false

    @Option(help: ArgumentHelp("Write the units to this directory.", valueName: "dir"))
    var output: String?

    @Option(help: ArgumentHelp("The podstack executable the units run (default: this one).", valueName: "path"))
    var binary: String?

    @Option(
        help: ArgumentHelp(
            "NAME=VALUE, or NAME to take its value from here, to set in the units (repeatable).", valueName: "var"))
    var setenv: [String] = []

    @Option(help: "Seconds systemd allows for preflight and up together (first starts pull images).")
    var startTimeout = SystemdUnit.defaultStartTimeoutSeconds

    func validate() throws {
        if install && output != nil {
            throw ValidationError("--install and --output both say where to write; give one.")
        }
        for item in setenv where item.split(separator: "=", maxSplits: 1).first.map({ $0.isEmpty }) ?? true {
            throw ValidationError("--setenv '\(item)' has no variable name.")
        }
    }

    func run(in context: CommandContext) async throws {
        try await CommandErrors.reporting {
            let host = context.host
            let environment = host.environment
            let (definition, variables) = try stack.loadWithVariables(environment: environment)
            for warning in definition.warnings { Console.error(warning.formatted(severity: "warning")) }
            let selected = try StackRunner.select(pods, from: definition)
            let executable = binary.map { Self.absolute($0) } ?? Self.currentExecutable()
            if executable.contains("/.build") {
                Console.error(
                    "warning: the units run \(executable), a build directory; install podstack and rerun, or pass --binary."
                )
            }
            if host.isRoot {
                Console.error("warning: these are user units, for the user who runs the stack; you are root.")
            }
            var carried: [(name: String, value: String)] = []
            if let dataDirectory = variables["PODSTACK_DATA_DIR"] {
                carried.append(("PODSTACK_DATA_DIR", dataDirectory))
            }
            for item in setenv {
                let parts = item.split(separator: "=", maxSplits: 1).map(String.init)
                carried.append((parts[0], parts.count == 2 ? parts[1] : environment[parts[0]] ?? ""))
            }
            let arguments = try stack.absoluteArguments(environment: environment)
            let units = selected.map { pod in
                SystemdUnit(
                    pod: pod, binary: executable, stackArguments: arguments,
                    containerHost: environment["CONTAINER_HOST"],
                    environment: carried, startTimeoutSeconds: startTimeout,
                    version: PodstackCommand.configuration.version,
                    devicePaths: StackRunner.hostDeviceNodes(of: pod))
            }
            guard let directory = try destination(environment: environment) else {
                print(units.map { "# \($0.fileName)\n" + $0.render() }.joined(separator: "\n"), terminator: "")
                return
            }
            try Self.write(units, to: directory)
            if install { print(Self.instructions(units, directory: directory, environment: environment)) }
        }
    }

    func destination(environment: [String: String]) throws -> String? {
        if let output { return Self.absolute(output) }
        guard install else { return nil }
        if let configHome = environment["XDG_CONFIG_HOME"], configHome.hasPrefix("/") {
            return configHome + "/systemd/user"
        }
        guard let home = environment["HOME"], home.hasPrefix("/") else {
            throw PodstackError.variableNotSet(
                name: "HOME", consequence: "there is no ~/.config/systemd/user; use --output")
        }
        return home + "/.config/systemd/user"
    }

    static func write(_ units: [SystemdUnit], to directory: String) throws {
        do {
            try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        } catch {
            throw PodstackError.hostFile(path: directory, reason: "cannot create it: \(error.localizedDescription)")
        }
        for unit in units {
            let path = directory + "/" + unit.fileName
            do {
                try unit.render().write(toFile: path, atomically: true, encoding: .utf8)
            } catch {
                throw PodstackError.hostFile(path: path, reason: "cannot write it: \(error.localizedDescription)")
            }
            Console.error("wrote \(path)")
        }
    }

    static func instructions(_ units: [SystemdUnit], directory: String, environment: [String: String]) -> String {
        let names = units.map(\.fileName).joined(separator: " ")
        let user = environment["USER"] ?? environment["LOGNAME"] ?? "$USER"
        let lingering = FileManager.default.fileExists(atPath: "/var/lib/systemd/linger/\(user)")
        return """
            Installed \(names) in \(directory). To start them now and at every login:
              systemctl --user daemon-reload
              systemctl --user enable --now podman.socket
              systemctl --user enable --now \(names)
            Follow a start with: journalctl --user -u \(units.first?.fileName ?? "podstack-POD.service") -f
            """
                + (lingering
                    ? "\nLingering is on for \(user): they start at boot, before you log in."
                    : "\nTo start them at boot, before you log in (podstack runs neither this nor sudo for you):\n"
                        + "  loginctl enable-linger \(user)    (as root, or with sudo, where polkit does not let you)")
    }

    /// This process's executable, through /proc/self/exe, so that a unit never depends on PATH.
    static func currentExecutable() -> String {
        if let resolved = try? FileManager.default.destinationOfSymbolicLink(atPath: "/proc/self/exe") {
            return resolved
        }
        return absolute(CommandLine.arguments.first ?? "podstack")
    }

    static func absolute(_ path: String) -> String { StackOptions.absolute(path) }
}
