/// The name of a project whose files have no `name:`, found as compose finds it: `-p/--project-name`, else
/// `COMPOSE_PROJECT_NAME`, else the directory's name for the standard file names, else the file's stem (one
/// pod per `<pod>.yml` in a compose directory).
public enum ProjectName {
    /// The file names compose reads in a directory without `-f`, in its order of preference.
    public static let standardFiles = ["compose.yaml", "compose.yml", "docker-compose.yaml", "docker-compose.yml"]

    /// The override file compose reads beside each standard file.
    static func overrideFile(of standard: String) -> String {
        let dot = standard.lastIndex(of: ".") ?? standard.endIndex
        return standard[..<dot] + ".override" + standard[dot...]
    }

    static var standardOverrideFiles: [String] { standardFiles.map(overrideFile) }

    /// Compose's normalisation of a name it derives (not of one written in `name:` or given with `-p`,
    /// which it refuses instead): lowercase, only `[a-z0-9_-]` kept, leading `_` and `-` dropped.
    public static func normalize(_ name: String) -> String {
        let kept = name.lowercased().unicodeScalars.filter { scalar in
            scalar.isASCII
                && (("a"..."z").contains(scalar) || ("0"..."9").contains(scalar) || scalar == "_"
                    || scalar == "-")
        }
        return String(String.UnicodeScalarView(kept).drop { $0 == "_" || $0 == "-" })
    }

    /// Whether compose accepts a name given with `-p` or `COMPOSE_PROJECT_NAME` as it is.
    public static func isValid(_ name: String) -> Bool {
        !name.isEmpty && normalize(name) == name
    }

    /// The name a file's location gives its project: the directory's for the standard names and their
    /// overrides, otherwise the file's stem without `.override`.
    static func derived(fromFile path: String) -> String {
        let components = path.split(separator: "/")
        let fileName = components.last.map(String.init) ?? path
        if standardFiles.contains(fileName) || standardOverrideFiles.contains(fileName) {
            return normalize(components.dropLast().last.map(String.init) ?? "")
        }
        return normalize(stem(of: fileName))
    }

    /// `gpu.override.yml` -> `gpu`, `local-ai.yml` -> `local-ai`.
    static func stem(of fileName: String) -> String {
        var stem = fileName
        for suffix in [".yml", ".yaml"] where stem.hasSuffix(suffix) { stem.removeLast(suffix.count) }
        if stem.hasSuffix(".override") { stem.removeLast(".override".count) }
        return stem
    }

    static func isOverride(_ fileName: String) -> Bool {
        fileName.hasSuffix(".override.yml") || fileName.hasSuffix(".override.yaml")
    }
}
