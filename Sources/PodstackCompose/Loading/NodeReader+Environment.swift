import Foundation

extension NodeReader {
    /// `env_file:` entries first, in order, then `environment:` over them, as compose does. A variable named
    /// without a value takes the value podstack sees (process environment, `.env`, `--env-file`), and is
    /// left out when that is unset.
    mutating func environment(_ keys: [String: MappingEntry], context: String, pod: PodContext) -> [String: String] {
        var environment: [String: String] = [:]
        if let node = keys["env_file"]?.value {
            for file in envFiles(node, context: context) {
                let path = PathResolution.resolve(file.path, against: file.node.origin.directory, home: pod.home)
                guard let path, let data = FileManager.default.contents(atPath: path) else {
                    if file.required {
                        report(
                            file.node, "env_file '\(file.path.prefix(80))' of \(context) cannot be read",
                            hint: "create it, or mark it optional with required: false")
                    }
                    continue
                }
                do {
                    let variables = try EnvFile.variables(String(decoding: data, as: UTF8.self))
                    environment.merge(variables) { _, new in new }
                } catch {
                    report(file.node, "env_file '\(file.path.prefix(80))' of \(context), \(error.description)")
                }
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

    private mutating func envFiles(
        _ node: ComposeNode, context: String
    ) -> [(path: String, required: Bool, node: ComposeNode)] {
        let what = "env_file of \(context)"
        let items: [ComposeNode] = if case .sequence(let list) = node.kind { Array(list) } else { [node] }
        return items.compactMap { item in
            if case .mapping = item.kind {
                guard let entries = mapping(item, what) else { return nil }
                let keys = knownEntries(entries, allowed: ComposeKeys.envFile, context: what)
                guard let pathNode = keys["path"]?.value else {
                    report(item, "\(what) needs a path")
                    return nil
                }
                if let format = keys["format"]?.value, let text = string(format, "format of \(what)"), text != "raw" {
                    report(format, "format '\(text.prefix(20))' of \(what) is not supported", hint: "leave it out")
                }
                guard let path = nonEmptyString(pathNode, "path of \(what)") else { return nil }
                let required = keys["required"].flatMap { bool($0.value, "required of \(what)") } ?? true
                return (path, required, pathNode)
            }
            return nonEmptyString(item, what).map { ($0, true, item) }
        }
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

    /// Whether a relative path climbs out of its directory (`../x`, `a/../../x`).
    static func escapesUpward(_ relativePath: String) -> Bool {
        var depth = 0
        for component in relativePath.split(separator: "/") {
            switch component {
            case ".": continue
            case "..": depth -= 1
            default: depth += 1
            }
            if depth < 0 { return true }
        }
        return false
    }
}
