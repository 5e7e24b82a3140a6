import ArgumentParser
import Foundation
import PodstackCompose
import PodstackCore

/// Which stack: compose files or directory, env files, profiles. Shared by every command that reads it.
struct StackOptions: ParsableArguments {
    @Option(
        help: ArgumentHelp(
            "Directory of compose files, a project per file (default: $PODSTACK_COMPOSE_DIR, else ./compose, else ~/.config/podstack/compose).",
            valueName: "dir"))
    var composeDir: String?

    @Option(
        name: [.customShort("f"), .customLong("file")],
        help: ArgumentHelp("A compose file (repeatable); overrides --compose-dir.", valueName: "file"))
    var files: [String] = []

    @Option(
        help: ArgumentHelp(
            "A file of VAR=value lines (repeatable); the process environment still wins.", valueName: "file"))
    var envFile: [String] = []

    @Option(help: ArgumentHelp("Activate a compose profile (repeatable).", valueName: "name"))
    var profile: [String] = []

    @Option(
        name: [.customShort("p"), .customLong("project-name")],
        help: ArgumentHelp(
            "The pod's name when the files give none (default: $COMPOSE_PROJECT_NAME, else the directory's or file's name).",
            valueName: "name"))
    var projectName: String?

    /// Loads and validates the whole stack; nothing is changed anywhere when this throws.
    func load(environment: [String: String]) throws -> Stack {
        try loadWithVariables(environment: environment).stack
    }

    /// The stack, and the variables it was read with (`.env`, `--env-file`, then the environment), which is
    /// where a secret taken from a variable gets its value.
    func loadWithVariables(
        environment: [String: String]
    ) throws -> (stack: Stack, variables: [String: String]) {
        let currentDirectory = FileManager.default.currentDirectoryPath
        do throws(StackLoadError) {
            let urls = try ComposeDirectory.resolve(
                explicitDirectory: composeDir, files: files, environment: environment,
                currentDirectory: currentDirectory)
            let envFiles = envFile.map { path in
                URL(fileURLWithPath: path.hasPrefix("/") ? path : currentDirectory + "/" + path)
            }
            let loader = StackLoader(environment: environment, envFiles: envFiles, profiles: profile)
            // Files named with -f are one project, merged in order, as in compose; a directory holds one per pod.
            let stack =
                files.isEmpty
                ? try loader.load(files: urls, projectName: projectName)
                : try loader.load(projectFiles: urls, projectName: projectName)
            let composeDirectory = urls.first?.deletingLastPathComponent().path ?? currentDirectory
            return (stack, try loader.variables(composeDirectory: composeDirectory))
        } catch {
            throw PodstackError.invalidStack(error)
        }
    }
}

extension StackOptions {
    /// The same stack for another process that starts elsewhere and with another environment (a systemd
    /// unit, a command run under sudo): every file as given or found, the env files made absolute, the
    /// profiles, and the project name, which the files may not give (`-p`, else `COMPOSE_PROJECT_NAME`).
    func absoluteArguments(environment: [String: String]) throws -> [String] {
        let currentDirectory = FileManager.default.currentDirectoryPath
        let resolved: [URL]
        do throws(StackLoadError) {
            resolved = try ComposeDirectory.resolve(
                explicitDirectory: composeDir, files: files, environment: environment,
                currentDirectory: currentDirectory)
        } catch {
            throw PodstackError.invalidStack(error)
        }
        var arguments: [String]
        if files.isEmpty, let directory = resolved.first?.deletingLastPathComponent().path {
            arguments = ["--compose-dir", directory]
        } else {
            arguments = resolved.flatMap { ["-f", $0.path] }
        }
        if let name = projectName ?? environment["COMPOSE_PROJECT_NAME"].flatMap({ $0.isEmpty ? nil : $0 }) {
            arguments += ["-p", name]
        }
        arguments += envFile.flatMap { ["--env-file", Self.absolute($0)] }
        arguments += profile.flatMap { ["--profile", $0] }
        return arguments
    }

    /// `path` from the current directory, standardized.
    static func absolute(_ path: String) -> String {
        let full = path.hasPrefix("/") ? path : FileManager.default.currentDirectoryPath + "/" + path
        return URL(fileURLWithPath: full).standardizedFileURL.path
    }
}

/// Output as JSON, keys sorted, dates as ISO 8601.
enum JSONOutput {
    static func print<T: Encodable>(_ value: T) throws {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        encoder.dateEncodingStrategy = .iso8601
        let data = try encoder.encode(value)
        Swift.print(String(decoding: data, as: UTF8.self))
    }
}

/// Plain text tables: columns padded to their widest cell.
enum TextTable {
    static func render(header: [String], rows: [[String]]) -> String {
        let all = [header] + rows
        let widths = header.indices.map { column in
            all.map { $0.indices.contains(column) ? $0[column].count : 0 }.max() ?? 0
        }
        return all.map { row in
            row.enumerated().map { index, cell in
                index == row.count - 1 ? cell : cell.padding(toLength: widths[index], withPad: " ", startingAt: 0)
            }.joined(separator: "  ")
        }.joined(separator: "\n")
    }
}

/// Lines for the person watching, on stderr so that stdout stays clean for tables and JSON.
enum Console {
    static func error(_ text: String) {
        FileHandle.standardError.write(Data((text + "\n").utf8))
    }

    static var stderrIsTerminal: Bool { isatty(STDERR_FILENO) == 1 }
}
