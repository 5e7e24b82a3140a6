import Foundation

/// One entry of `env_file:`, in any of its forms.
private struct EnvFileEntry {
    var path: String
    var required = true
    /// `format: raw`: values as written, with no quotes or interpolation.
    var raw = false
    var node: ComposeNode
}

extension NodeReader {
    /// The variables of a service's `env_file:` (a path, a list of paths, or entries with `path`,
    /// `required` and `format`), later files over earlier ones. Relative paths resolve against the
    /// directory of the file that wrote them. A missing file with `required: false` is skipped, as compose
    /// does; a missing required one is an error.
    mutating func envFileVariables(_ node: ComposeNode, context: String, pod: PodContext) -> [String: String] {
        var environment: [String: String] = [:]
        for file in envFileEntries(node, context: context) {
            let path = PathResolution.resolve(file.path, against: file.node.origin.directory, home: pod.home)
            guard let path, let data = FileManager.default.contents(atPath: path) else {
                if file.required {
                    report(
                        file.node, "env_file '\(file.path.prefix(80))' of \(context) cannot be read",
                        hint: "create it, or mark it optional with required: false")
                }
                continue
            }
            let text = String(decoding: data, as: UTF8.self)
            do throws(EnvFile.Failure) {
                let entries = file.raw ? try EnvFile.raw(text) : try EnvFile.parse(text)
                for entry in entries {
                    environment[entry.key] =
                        file.raw || entry.literal
                        ? entry.value
                        : try interpolated(entry, over: environment, interpolator: file.node.origin.interpolator)
                }
            } catch {
                report(file.node, "env_file '\(file.path.prefix(80))' of \(context), \(error.description)")
            }
        }
        return environment
    }

    /// Compose interpolates an env_file's unquoted and double-quoted values: with the variables the file
    /// set before this line first, then the ones the compose file sees (process environment, `.env`).
    private func interpolated(
        _ entry: EnvFile.Entry, over earlier: [String: String], interpolator: Interpolator
    ) throws(EnvFile.Failure) -> String {
        let lookup = Interpolator(variables: interpolator.variables.merging(earlier) { _, file in file })
        do {
            return try lookup.interpolate(entry.value).value
        } catch {
            throw EnvFile.Failure(line: entry.line, message: error.message)
        }
    }

    /// The entries' forms checked (paths, `required`, `format`), no file opened: a service outside the
    /// active profiles.
    mutating func checkEnvFileEntries(_ node: ComposeNode, context: String) {
        _ = envFileEntries(node, context: context)
    }

    private mutating func envFileEntries(_ node: ComposeNode, context: String) -> [EnvFileEntry] {
        let what = "env_file of \(context)"
        let items: [ComposeNode] = if case .sequence(let list) = node.kind { Array(list) } else { [node] }
        return items.compactMap { item in
            guard case .mapping = item.kind else {
                return nonEmptyString(item, what).map { EnvFileEntry(path: $0, node: item) }
            }
            guard let entries = mapping(item, what) else { return nil }
            let keys = knownEntries(entries, allowed: ComposeKeys.envFile, context: what)
            guard let pathNode = keys["path"]?.value else {
                report(item, "\(what) needs a path")
                return nil
            }
            guard let path = nonEmptyString(pathNode, "path of \(what)") else { return nil }
            var entry = EnvFileEntry(path: path, node: pathNode)
            entry.required = keys["required"].flatMap { bool($0.value, "required of \(what)") } ?? true
            if let format = keys["format"]?.value, let text = string(format, "format of \(what)") {
                guard text == "raw" else {
                    report(
                        format, "format '\(text.prefix(20))' of \(what) is not one compose knows",
                        hint: "use raw, or leave it out")
                    return nil
                }
                entry.raw = true
            }
            return entry
        }
    }
}
