import Foundation
import Yams

/// Which files of a compose directory form one project: the files that name the same pod (`name:`, else
/// the name their location gives), with each override file (`<pod>.override.yml`, `compose.override.yaml`)
/// after the file it overrides, as compose reads `compose.override.yaml` beside `compose.yaml`.
enum ProjectGrouping {
    static func group(_ files: [URL], variables: [String: String]) -> [[URL]] {
        var order: [String] = []
        var bases: [String: [URL]] = [:]
        var overrides: [String: [URL]] = [:]
        let interpolator = Interpolator(variables: variables)
        for file in files {
            let key = declaredName(file, interpolator: interpolator) ?? ProjectName.derived(fromFile: file.path)
            if bases[key] == nil, overrides[key] == nil { order.append(key) }
            if ProjectName.isOverride(file.lastPathComponent) {
                overrides[key, default: []].append(file)
            } else {
                bases[key, default: []].append(file)
            }
        }
        return order.map { (bases[$0] ?? []) + (overrides[$0] ?? []) }
    }

    /// Files named with `-f`, in their order: compose makes them all one project, and so does podstack,
    /// except that a file whose `name:` differs from the one its project already has starts another
    /// project. `-f base.yml -f gpu.yml` is one pod; `-f local-ai.yml -f aidb.yml` stays two, as before
    /// files merged.
    static func groupInOrder(_ files: [URL], variables: [String: String]) -> [[URL]] {
        let interpolator = Interpolator(variables: variables)
        var groups: [(name: String?, files: [URL])] = []
        for file in files {
            let name = declaredName(file, interpolator: interpolator)
            if let last = groups.last, last.name == nil || name == nil || last.name == name {
                groups[groups.count - 1].files.append(file)
                groups[groups.count - 1].name = last.name ?? name
            } else {
                groups.append((name, [file]))
            }
        }
        return groups.map(\.files)
    }

    /// The file's top-level `name:`, interpolated; nil when it has none or cannot be read (the load then
    /// reports why).
    static func declaredName(_ file: URL, interpolator: Interpolator) -> String? {
        guard let data = FileManager.default.contents(atPath: file.path), data.count <= StackLoader.maximumFileBytes,
            let text = String(data: data, encoding: .utf8),
            case .mapping(let mapping)? = try? Yams.compose(yaml: text),
            case .scalar(let name)? = mapping["name"]
        else { return nil }
        return (try? interpolator.interpolate(name.string).value) ?? name.string
    }
}
