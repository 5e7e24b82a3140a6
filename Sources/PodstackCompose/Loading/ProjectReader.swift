import Foundation
import Yams

/// Reads the files of one project into one node tree: each file parsed, its `include:` pulled in, the
/// files merged in order, then every `extends:` resolved. What goes wrong is collected in `issues`, each
/// at the file and line it concerns.
struct ProjectReader {
    /// `include:` and `extends: {file:}` may nest this deep; deeper is surely a loop of files.
    static let maximumFileDepth = 16

    var issues: [StackIssue] = []
    var warnings: [StackIssue] = []
    /// Files in compose's first format that `extends` read (ProjectReader+Extends), each warned of once.
    var firstFormatFiles: Set<String> = []
    /// Services whose `extends` could not be resolved (the reason is in `issues`): what they lack from
    /// their base, such as the image, is not a problem of its own.
    var servicesWithBrokenExtends: Set<String> = []
    /// How many files pulled in by `extends` or `include` are being read right now, one inside another.
    /// Includes and extends may point at each other in any order, so this, not each chain alone, bounds the
    /// recursion.
    var nestedFiles = 0
    /// The files whose includes are being read, outermost first: one of them named again is a loop.
    var openFiles: [String] = []
    /// Files read for `extends: {file:}`, by path, each read once with the variables of the first file that
    /// names it.
    private var extendedFiles: [String: ComposeNode] = [:]

    /// The project's tree, or nil when no file could be read at all.
    mutating func read(files: [URL], directory: String, interpolator: Interpolator) -> ComposeNode? {
        var roots: [ComposeNode] = []
        for file in files {
            let origin = NodeOrigin(file: file.path, directory: directory, interpolator: interpolator)
            guard let root = parse(file, origin: origin) else { continue }
            roots.append(resolvingIncludes(root))
        }
        return merged(roots)
    }

    /// Files read and included, merged in order, `extends` resolved, and then the merge tags put to rest.
    mutating func merged(_ roots: [ComposeNode]) -> ComposeNode? {
        guard let first = roots.first else { return nil }
        let merged = ComposeMerger.merge(first, Array(roots.dropFirst()))
        return ComposeMerger.resolvingTags(resolvingExtends(merged))
    }

    /// One file's tree; nil (with the reason in `issues`) when it cannot be read or is not YAML. An empty
    /// file is a null node, which the pod reader reports as such.
    mutating func parse(_ file: URL, origin: NodeOrigin) -> ComposeNode? {
        guard let text = StackLoader.read(file, issues: &issues) else { return nil }
        let node: Node?
        do {
            node = try Yams.compose(yaml: text)
        } catch {
            issues.append(StackLoader.issue(for: error, file: file.path, text: text))
            return nil
        }
        guard let node else {
            return ComposeNode(kind: .scalar("", isNull: true), origin: origin, line: 1, column: 1)
        }
        var builder = ComposeNodeBuilder(origin: origin)
        let built = builder.build(node)
        issues += builder.issues
        return built
    }

    /// False (with the reason reported) when files already nest as deep as they may.
    mutating func enterNestedFile(at node: ComposeNode) -> Bool {
        guard nestedFiles < Self.maximumFileDepth else {
            report(
                node, "extends and include nest deeper than \(Self.maximumFileDepth) files here",
                hint: "files probably extend or include each other in a loop")
            return false
        }
        nestedFiles += 1
        return true
    }

    mutating func report(_ node: ComposeNode, _ message: String, hint: String? = nil) {
        issues.append(StackIssue(location: node.location, message: message, hint: hint))
    }

    /// A file named by `extends: {file:}`, read once; its relative paths resolve against its own directory.
    mutating func extendedFile(
        _ path: String, interpolator: Interpolator, at extends: ComposeNode
    ) -> ComposeNode? {
        if let cached = extendedFiles[path] { return cached }
        if openFiles.contains(path) {
            report(
                extends,
                "extends of \(path) comes back to a file being read: " + (openFiles + [path]).joined(separator: " -> "),
                hint: "move the service to extend into a file of its own")
            return nil
        }
        guard enterNestedFile(at: extends) else { return nil }
        defer { nestedFiles -= 1 }
        let origin = NodeOrigin(
            file: path, directory: URL(fileURLWithPath: path).deletingLastPathComponent().path,
            interpolator: interpolator)
        guard let root = parse(URL(fileURLWithPath: path), origin: origin) else { return nil }
        let resolved = resolvingIncludes(root)
        extendedFiles[path] = resolved
        return resolved
    }
}
