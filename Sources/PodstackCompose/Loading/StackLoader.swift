import Foundation
import Yams

/// Loads compose files into a `Stack`: reads the variables, parses each file into one pod, and checks the
/// stack as a whole. Every problem of a load is reported together in one `StackLoadError`.
public struct StackLoader: Sendable {
    /// Files larger than this are refused before parsing: no real compose file comes close, and a
    /// stray multi-gigabyte file should give a sentence, not exhaust memory.
    public static let maximumFileBytes = 4 << 20
    /// More issues than this are summarized: after a hundred, the file is probably not a compose file.
    public static let maximumIssues = 100

    public var environment: [String: String]
    public var envFiles: [URL]
    public var profiles: [String]

    /// - Parameters:
    ///   - environment: the process environment; it wins over every file.
    ///   - envFiles: `--env-file` files, later ones winning over earlier ones and over `.env`.
    ///   - profiles: active profiles; a service with profiles is loaded only if one of them is active.
    public init(environment: [String: String], envFiles: [URL] = [], profiles: [String] = []) {
        self.environment = environment
        self.envFiles = envFiles
        self.profiles = profiles
    }

    /// Loads a compose directory's files: one project per pod, where a project is a file, the files that
    /// name the same pod, and its override files (`<pod>.override.yml`, `compose.override.yaml`), merged.
    /// `projectName` (`-p`, else `COMPOSE_PROJECT_NAME`) names the project when there is only one.
    public func load(files: [URL]) throws(StackLoadError) -> Stack {
        try load(files: files, projectName: nil)
    }

    public func load(files: [URL], projectName: String?) throws(StackLoadError) -> Stack {
        try load(
            groups: { variables in ProjectGrouping.group(files, variables: variables) }, files: files,
            projectName: projectName)
    }

    /// Loads files named with `-f`: merged in order into one pod, as compose does, except that a file whose
    /// `name:` differs from its project's starts another pod (`ProjectGrouping.groupInOrder`).
    public func load(projectFiles files: [URL], projectName: String? = nil) throws(StackLoadError) -> Stack {
        try load(
            groups: { variables in ProjectGrouping.groupInOrder(files, variables: variables) }, files: files,
            projectName: projectName)
    }

    private func load(
        groups: ([String: String]) -> [[URL]], files: [URL], projectName: String?
    ) throws(StackLoadError) -> Stack {
        guard let first = files.first else {
            throw StackLoadError(StackIssue(location: nil, message: "no compose files to load"))
        }
        let variables = try variables(composeDirectory: first.deletingLastPathComponent().path)
        let projects = groups(variables)
        var issues: [StackIssue] = []
        let givenName = try Self.givenName(
            projectName, environmentName: variables["COMPOSE_PROJECT_NAME"], projects: projects.count)
        var warnings: [StackIssue] = []
        var parsed: [ParsedPod] = []
        for project in projects {
            guard let main = project.first else { continue }
            let directory = PathResolution.normalize(main.deletingLastPathComponent().path)
            var projectReader = ProjectReader()
            let root = projectReader.read(
                files: project, directory: directory, interpolator: Interpolator(variables: variables))
            issues += projectReader.issues
            warnings += projectReader.warnings
            guard let root else { continue }
            var reader = NodeReader(file: main.path)
            reader.servicesWithBrokenExtends = projectReader.servicesWithBrokenExtends
            let pods = reader.pods(
                root: root,
                defaultName: givenName ?? ProjectName.derived(fromFile: main.path),
                home: variables["HOME"], activeProfiles: Set(profiles))
            issues += reader.issues
            warnings += reader.warnings
            parsed += pods
        }
        let validated = StackValidator.validate(parsed)
        issues += validated.issues
        guard issues.isEmpty else { throw StackLoadError(issues: Self.ordered(issues, files: files)) }
        var seenWarnings = Set<String>()
        let uniqueWarnings = warnings.filter { seenWarnings.insert($0.message).inserted }
        return Stack(pods: validated.pods, warnings: uniqueWarnings, activeProfiles: profiles)
    }

    /// `-p` names one project; `COMPOSE_PROJECT_NAME` names the project when there is one and is left
    /// alone for a directory of several pods (it is often set for some other project). Compose refuses a
    /// given name that its rules would have to change.
    private static func givenName(
        _ projectName: String?, environmentName: String?, projects: Int
    ) throws(StackLoadError) -> String? {
        if let projectName {
            guard ProjectName.isValid(projectName) else {
                throw StackLoadError(
                    StackIssue(
                        location: nil, message: "project name '\(projectName.prefix(60))' is not valid",
                        hint: "use lowercase letters, digits, '_' and '-', starting with a letter or digit"))
            }
            guard projects <= 1 else {
                throw StackLoadError(
                    StackIssue(
                        location: nil, message: "-p names one project, but the files hold \(projects) pods",
                        hint: "name the files of one project with -f, or leave -p out"))
            }
            return projectName
        }
        guard projects == 1, let environmentName, !environmentName.isEmpty else { return nil }
        guard ProjectName.isValid(environmentName) else {
            throw StackLoadError(
                StackIssue(
                    location: nil,
                    message: "COMPOSE_PROJECT_NAME '\(environmentName.prefix(60))' is not a valid project name",
                    hint: "use lowercase letters, digits, '_' and '-', starting with a letter or digit"))
        }
        return environmentName
    }

    /// The variables interpolation sees, lowest precedence first: podstack's built-in defaults, `.env` in
    /// the compose directory, each `--env-file` in order, then the process environment.
    public func variables(composeDirectory: String) throws(StackLoadError) -> [String: String] {
        var variables: [String: String] = [:]
        var issues: [StackIssue] = []
        let dotEnv = URL(fileURLWithPath: composeDirectory).appendingPathComponent(".env")
        if FileManager.default.fileExists(atPath: dotEnv.path) {
            variables.merge(Self.readEnvFile(dotEnv, issues: &issues)) { _, new in new }
        }
        for file in envFiles {
            variables.merge(Self.readEnvFile(file, issues: &issues)) { _, new in new }
        }
        variables.merge(environment) { _, new in new }
        if let dataDirectory = variables["PODSTACK_DATA_DIR"], !dataDirectory.hasPrefix("/") {
            // Empty, it would put every service's data at the filesystem root; relative, wherever podstack runs.
            issues.append(
                StackIssue(
                    location: nil,
                    message: "PODSTACK_DATA_DIR is "
                        + (dataDirectory.isEmpty ? "set but empty" : "'\(dataDirectory.prefix(80))', a relative path"),
                    hint: "set it to an absolute path, or unset it for $XDG_DATA_HOME/podman-ai-stack"))
        }
        guard issues.isEmpty else { throw StackLoadError(issues: issues) }
        if variables["PODSTACK_DATA_DIR"] == nil, let dataHome = Self.dataHome(variables) {
            variables["PODSTACK_DATA_DIR"] = dataHome + "/podman-ai-stack"
        }
        return variables
    }

    /// `$XDG_DATA_HOME`, or `$HOME/.local/share` as the XDG spec says when it is unset or empty.
    static func dataHome(_ variables: [String: String]) -> String? {
        if let dataHome = variables["XDG_DATA_HOME"], dataHome.hasPrefix("/") { return dataHome }
        guard let home = variables["HOME"], home.hasPrefix("/") else { return nil }
        return PathResolution.normalize(home + "/.local/share")
    }

    private static func readEnvFile(_ file: URL, issues: inout [StackIssue]) -> [String: String] {
        guard let text = read(file, issues: &issues) else { return [:] }
        do {
            return try EnvFile.variables(text)
        } catch {
            issues.append(
                StackIssue(
                    location: SourceLocation(file: file.path, line: error.line, column: 1), message: error.message))
            return [:]
        }
    }

    static func read(_ file: URL, issues: inout [StackIssue]) -> String? {
        let path = file.path
        let size = (try? FileManager.default.attributesOfItem(atPath: path))?[.size] as? Int
        guard let size else {
            issues.append(StackIssue(location: nil, message: "cannot read \(path)", hint: "check that the file exists"))
            return nil
        }
        guard size <= maximumFileBytes else {
            issues.append(
                StackIssue(
                    location: nil,
                    message: "\(path) is larger than \(maximumFileBytes >> 20) MiB; is it a compose file?"))
            return nil
        }
        guard let data = FileManager.default.contents(atPath: path) else {
            issues.append(StackIssue(location: nil, message: "cannot read \(path)", hint: "check its permissions"))
            return nil
        }
        guard let text = String(data: data, encoding: .utf8) else {
            issues.append(StackIssue(location: nil, message: "\(path) is not UTF-8 text"))
            return nil
        }
        return text
    }

    /// Yams' errors carry libyaml's 1-based line and column.
    static func issue(for error: any Error, file: String, text: String) -> StackIssue {
        guard let yamlError = error as? YamlError else {
            return StackIssue(
                location: SourceLocation(file: file, line: 1, column: 1), message: "invalid YAML: \(error)")
        }
        switch yamlError {
        case .scanner(let context, let problem, let mark, _), .parser(let context, let problem, let mark, _),
            .composer(let context, let problem, let mark, _):
            // libyaml's context names the construct it was reading and where it began, which is often the
            // line to fix when the problem itself is only found at the end of the file.
            var message = "invalid YAML: \(problem)"
            if let context, !context.text.isEmpty {
                message += " \(context.text)"
                if context.mark.line != mark.line { message += " that starts at line \(context.mark.line)" }
            }
            return StackIssue(
                location: SourceLocation(file: file, line: mark.line, column: mark.column), message: message)
        case .duplicatedKeysInMapping(let duplicates, let context):
            return StackIssue(
                location: SourceLocation(file: file, line: context.mark.line, column: context.mark.column),
                message: "key '\(duplicates.joined(separator: "', '").prefix(80))' appears twice in one mapping",
                hint: "keep one of them")
        case .reader(let problem, let offset, _, _):
            let line = offset.map { offset in text.prefix(offset).filter(\.isNewline).count + 1 } ?? 1
            return StackIssue(
                location: SourceLocation(file: file, line: line, column: 1), message: "invalid YAML: \(problem)")
        default:
            return StackIssue(
                location: SourceLocation(file: file, line: 1, column: 1), message: "invalid YAML: \(yamlError)")
        }
    }

    /// Issues in file order, then line and column; at most `maximumIssues`.
    private static func ordered(_ issues: [StackIssue], files: [URL]) -> [StackIssue] {
        let fileIndex = Dictionary(files.enumerated().map { ($1.path, $0) }, uniquingKeysWith: { first, _ in first })
        let sorted = issues.enumerated().sorted { left, right in
            let leftKey =
                left.element.location.map { (fileIndex[$0.file] ?? files.count, $0.line, $0.column) } ?? (-1, 0, 0)
            let rightKey =
                right.element.location.map { (fileIndex[$0.file] ?? files.count, $0.line, $0.column) } ?? (-1, 0, 0)
            return leftKey == rightKey ? left.offset < right.offset : leftKey < rightKey
        }.map(\.element)
        guard sorted.count > maximumIssues else { return sorted }
        return Array(sorted.prefix(maximumIssues))
            + [StackIssue(location: nil, message: "\(sorted.count - maximumIssues) more problems not shown")]
    }
}
