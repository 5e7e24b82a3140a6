import Foundation

/// Finds the compose files to load, in this order of precedence: files named with `-f`; the directory
/// named with `--compose-dir`; `PODSTACK_COMPOSE_DIR`; `./compose` when it exists; and
/// `$XDG_CONFIG_HOME/podstack/compose` (`~/.config/podstack/compose`).
///
/// A directory stands for every `*.yml` and `*.yaml` file in it, sorted by name, hidden files excluded.
public enum ComposeDirectory {
    public static func resolve(
        explicitDirectory: String?, files: [String], environment: [String: String], currentDirectory: String
    ) throws(StackLoadError) -> [URL] {
        let home = environment["HOME"]
        if !files.isEmpty {
            var urls: [URL] = []
            var issues: [StackIssue] = []
            for file in files {
                guard let path = PathResolution.resolve(file, against: currentDirectory, home: home),
                    isFile(path)
                else {
                    issues.append(StackIssue(location: nil, message: "compose file '\(file)' does not exist"))
                    continue
                }
                urls.append(URL(fileURLWithPath: path))
            }
            guard issues.isEmpty else { throw StackLoadError(issues: issues) }
            return urls
        }
        if let explicitDirectory, !explicitDirectory.isEmpty {
            return try composeFiles(
                in: explicitDirectory, from: "--compose-dir", currentDirectory: currentDirectory, home: home)
        }
        if let directory = environment["PODSTACK_COMPOSE_DIR"], !directory.isEmpty {
            return try composeFiles(
                in: directory, from: "PODSTACK_COMPOSE_DIR", currentDirectory: currentDirectory, home: home)
        }
        let local = PathResolution.normalize(currentDirectory + "/compose")
        if isDirectory(local) {
            return try composeFiles(in: local, from: "./compose", currentDirectory: currentDirectory, home: home)
        }
        guard let configHome = configHome(environment) else {
            throw StackLoadError(
                StackIssue(
                    location: nil, message: "no compose directory: ./compose does not exist and HOME is not set",
                    hint: "name one with --compose-dir or PODSTACK_COMPOSE_DIR"))
        }
        return try composeFiles(
            in: configHome + "/podstack/compose", from: "the default location", currentDirectory: currentDirectory,
            home: home)
    }

    static func configHome(_ environment: [String: String]) -> String? {
        if let configHome = environment["XDG_CONFIG_HOME"], configHome.hasPrefix("/") { return configHome }
        guard let home = environment["HOME"], home.hasPrefix("/") else { return nil }
        return PathResolution.normalize(home + "/.config")
    }

    private static func composeFiles(
        in directory: String, from origin: String, currentDirectory: String, home: String?
    ) throws(StackLoadError) -> [URL] {
        guard let path = PathResolution.resolve(directory, against: currentDirectory, home: home), isDirectory(path)
        else {
            throw StackLoadError(
                StackIssue(
                    location: nil, message: "compose directory '\(directory)' (from \(origin)) does not exist",
                    hint: "create it, or name another with --compose-dir or -f"))
        }
        let names = (try? FileManager.default.contentsOfDirectory(atPath: path)) ?? []
        let composeFiles = names.filter { name in
            !name.hasPrefix(".") && (name.hasSuffix(".yml") || name.hasSuffix(".yaml")) && isFile(path + "/" + name)
        }.sorted()
        guard !composeFiles.isEmpty else {
            throw StackLoadError(
                StackIssue(
                    location: nil, message: "compose directory '\(path)' (from \(origin)) has no .yml or .yaml files",
                    hint: "put one compose file per pod there"))
        }
        return composeFiles.map { URL(fileURLWithPath: path + "/" + $0) }
    }

    private static func isDirectory(_ path: String) -> Bool {
        var isDirectory: ObjCBool = false
        return FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory) && isDirectory.boolValue
    }

    private static func isFile(_ path: String) -> Bool {
        var isDirectory: ObjCBool = false
        return FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory) && !isDirectory.boolValue
    }
}
