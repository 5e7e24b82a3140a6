import Foundation

/// `include:` as compose has it: each entry names files (relative to the including project's directory) that
/// form a project of their own, with their own directory for relative paths (`project_directory`, else the
/// first file's) and their own variables (`env_file`, else a `.env` in that directory, over the including
/// project's). Their services, volumes, secrets, configs and networks join the including file; a name
/// defined on both sides is an error, as in compose.
extension ProjectReader {
    static let includedSections = ["services", "volumes", "secrets", "configs", "networks"]

    mutating func resolvingIncludes(_ root: ComposeNode) -> ComposeNode {
        guard let includeNode = root["include"] else { return root }
        openFiles.append(root.origin.file)
        defer { openFiles.removeLast() }
        var resolved = root.removing(keys: ["include"])
        guard let items = includeNode.items ?? (includeNode.text != nil ? [includeNode] : nil) else {
            report(includeNode, "include must be a list of files, not \(includeNode.kindDescription)")
            return resolved
        }
        for item in items {
            guard let included = includedProject(item, from: root.origin) else { continue }
            resolved = adding(included, to: resolved, at: item)
        }
        return resolved
    }

    private mutating func includedProject(
        _ item: ComposeNode, from origin: NodeOrigin
    ) -> ComposeNode? {
        guard let entry = IncludeEntry(item, reader: &self) else { return nil }
        let paths = entry.paths.map { written in
            let path = (try? origin.interpolator.interpolate(written).value) ?? written
            return PathResolution.resolve(path, against: origin.directory, home: origin.interpolator.variables["HOME"])
                ?? path
        }
        if let looping = paths.first(where: openFiles.contains) {
            report(
                item, "include of \(looping) makes a loop: " + (openFiles + [looping]).joined(separator: " -> "),
                hint: "a file cannot include itself, directly or through others")
            return nil
        }
        guard let first = paths.first, enterNestedFile(at: item) else { return nil }
        defer { nestedFiles -= 1 }
        let directory =
            entry.projectDirectory.map { PathResolution.resolve($0, against: origin.directory, home: nil) ?? $0 }
            ?? URL(fileURLWithPath: first).deletingLastPathComponent().path
        guard let variables = includedVariables(entry, item: item, base: origin, directory: directory) else {
            return nil
        }
        let interpolator = Interpolator(variables: variables)
        var roots: [ComposeNode] = []
        for path in paths {
            let fileOrigin = NodeOrigin(file: path, directory: directory, interpolator: interpolator)
            guard FileManager.default.fileExists(atPath: path) else {
                report(item, "included file '\(path.prefix(120))' does not exist")
                continue
            }
            guard let root = parse(URL(fileURLWithPath: path), origin: fileOrigin) else { continue }
            roots.append(resolvingIncludes(root))
        }
        return merged(roots)
    }

    private mutating func includedVariables(
        _ entry: IncludeEntry, item: ComposeNode, base: NodeOrigin, directory: String
    ) -> [String: String]? {
        var variables = base.interpolator.variables
        let dotEnv = directory + "/.env"
        let envFiles =
            entry.envFiles.map { files in
                files.map { PathResolution.resolve($0, against: base.directory, home: nil) ?? $0 }
            }
            ?? (FileManager.default.fileExists(atPath: dotEnv) ? [dotEnv] : [])
        for path in envFiles {
            guard let text = StackLoader.read(URL(fileURLWithPath: path), issues: &issues) else { return nil }
            do {
                variables.merge(try EnvFile.variables(text)) { _, new in new }
            } catch {
                report(item, "env_file '\(path.prefix(120))' of this include, \(error.description)")
                return nil
            }
        }
        return variables
    }

    /// The included project's sections added to the including file's. Its `name` and `version` mean
    /// nothing here, as in compose; anything else is reported rather than left out without a word.
    private mutating func adding(_ included: ComposeNode, to root: ComposeNode, at item: ComposeNode) -> ComposeNode {
        for entry in included.entries ?? []
        where !(Self.includedSections + ["name", "version"]).contains(entry.key) && !ComposeKeys.isExtension(entry.key)
        {
            report(
                entry.keyNode, "'\(entry.key.prefix(40))' in an included file is not supported by podstack",
                hint: "an included file gives services, volumes, secrets, configs and networks")
        }
        var entries = root.entries ?? []
        for section in Self.includedSections {
            guard let addedEntries = included[section]?.entries, !addedEntries.isEmpty else { continue }
            guard let index = entries.firstIndex(where: { $0.key == section }) else {
                if let node = included[section] {
                    entries.append(MappingEntry(key: section, keyNode: item, value: node))
                }
                continue
            }
            var existing = entries[index].value.entries ?? []
            for added in addedEntries {
                if let clash = existing.first(where: { $0.key == added.key }) {
                    report(
                        clash.keyNode,
                        "\(section) '\(added.key)' is also defined by the included file \(added.keyNode.location)",
                        hint: "rename one of them, or extend the included one with extends:")
                    continue
                }
                existing.append(added)
            }
            entries[index].value = entries[index].value.with(.mapping(existing))
        }
        return root.with(.mapping(entries))
    }
}

/// One entry of `include:`: a path, or `path` (one or a list), `project_directory` and `env_file`.
struct IncludeEntry {
    var paths: [String]
    var projectDirectory: String?
    var envFiles: [String]?

    init?(_ item: ComposeNode, reader: inout ProjectReader) {
        if let text = item.text {
            paths = [text]
            return
        }
        guard let entries = item.entries else {
            reader.report(item, "each include must be a file or a mapping with path:, not \(item.kindDescription)")
            return nil
        }
        for entry in entries where !["path", "project_directory", "env_file"].contains(entry.key) {
            reader.report(
                entry.keyNode, "unknown key '\(entry.key.prefix(40))' in include",
                hint: "use path, project_directory or env_file")
        }
        guard let path = item["path"], let list = Self.strings(path), !list.isEmpty else {
            reader.report(item, "an include needs path: (a file or a list of files)")
            return nil
        }
        paths = list
        projectDirectory = item["project_directory"]?.text
        envFiles = item["env_file"].flatMap(Self.strings)
    }

    private static func strings(_ node: ComposeNode) -> [String]? {
        if let text = node.text { return [text] }
        let texts = node.items?.compactMap(\.text)
        return texts?.count == node.items?.count ? texts : nil
    }
}
