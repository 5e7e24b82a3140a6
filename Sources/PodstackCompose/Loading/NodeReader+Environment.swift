import Foundation

extension NodeReader {
    /// `env_file:` entries first, in order, then `environment:` over them, as compose does. A variable named
    /// without a value takes the value podstack sees (process environment, `.env`, `--env-file`), and is
    /// left out when that is unset. With `readingEnvFiles` false, `env_file:` is left unread.
    mutating func environment(
        _ keys: [String: MappingEntry], context: String, pod: PodContext, readingEnvFiles: Bool = true
    ) -> [String: String] {
        var environment: [String: String] = [:]
        if let node = keys["env_file"]?.value {
            if readingEnvFiles {
                environment = envFileVariables(node, context: context, pod: pod)
            } else {
                checkEnvFileEntries(node, context: context)
            }
        }
        guard let node = keys["environment"]?.value else { return environment }
        for item in keyValues(node, "environment of \(context)") ?? [] {
            guard !item.key.isEmpty, !item.key.contains(where: \.isWhitespace) else {
                report(item.node, "environment variable name '\(item.key.prefix(40))' of \(context) is not valid")
                continue
            }
            if let value = item.value ?? item.node.origin.interpolator.variables[item.key] {
                environment[item.key] = value
            } else {
                environment[item.key] = nil
            }
        }
        return environment
    }
}

/// Turns paths written in compose files into absolute host paths.
enum PathResolution {
    /// `~` and `~/x` expand to HOME; relative paths resolve against `directory`; the result is normalized
    /// (no `.`, `..` or doubled slashes). Nil when the path needs HOME and there is none, or names another
    /// user's home (`~alice`).
    static func resolve(_ path: String, against directory: String, home: String?) -> String? {
        let absolute: String
        if path == "~" || path.hasPrefix("~/") {
            guard let home, home.hasPrefix("/") else { return nil }
            absolute = home + "/" + path.dropFirst(1)
        } else if path.hasPrefix("~") {
            return nil
        } else if path.hasPrefix("/") {
            absolute = path
        } else {
            absolute = directory + "/" + path
        }
        return normalize(absolute)
    }

    static func normalize(_ path: String) -> String {
        var components: [Substring] = []
        for component in path.split(separator: "/") {
            switch component {
            case ".": continue
            case "..": _ = components.popLast()
            default: components.append(component)
            }
        }
        return "/" + components.joined(separator: "/")
    }
}
