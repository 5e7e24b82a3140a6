/// A scalar after interpolation, with the node it came from (for its location).
struct InterpolatedScalar {
    var value: String
    var substitutions: [Interpolator.Substitution]
    var node: ComposeNode

    /// The outermost variable whose output covers the given UTF-8 offsets, if any.
    func variable(covering offsets: Range<Int>) -> String? {
        substitutions.first { $0.range.overlaps(offsets) || ($0.range.isEmpty && offsets.isEmpty) }?.variable
    }
}

struct DependencyKey: Hashable {
    var service: String
    var dependency: String
}

/// Reads compose nodes into typed values, collecting a located issue for each thing that is wrong instead of
/// stopping at the first. Each accessor returns nil when it has reported a problem.
struct NodeReader {
    /// The project's first file: where a problem of the whole project (no services:) is reported. Every
    /// other issue is reported at its node, which knows its own file.
    let file: String
    private(set) var issues: [StackIssue] = []
    var warnings: [StackIssue] = []
    /// Where each depends_on entry is written, so that the stack-wide checks can point at the entry.
    var dependencyLocations: [DependencyKey: SourceLocation] = [:]
    /// Where each service wrote its addressing keys (hostname, networks, extra_hosts...).
    var addressingLocations: [AddressingKey: SourceLocation] = [:]
    /// The networks each service is on: `default` unless it names others.
    var serviceNetworks: [String: [String]] = [:]
    /// The service whose network namespace a service joins with `network_mode: service:NAME`.
    var sharedNetworkService: [String: String] = [:]
    /// What each service wrote under `networks.<key>` (aliases, ipv4_address, ipv6_address), by service and
    /// network key: used when its pod's services get network namespaces of their own (NodeReader+OwnNetworks).
    var serviceNetworkOptions: [String: [String: NetworkAttachment]] = [:]
    /// The aliases `links: [db:database]` gives a service (db), by the service they name.
    var linkAliases: [String: [String]] = [:]
    /// Services with `deploy.replicas` (or `scale`) above 1: how many, and where it is written.
    var serviceReplicas: [String: (count: Int, location: SourceLocation)] = [:]
    /// Each replica's service, by the replica's name (`web-2` -> `web`).
    var replicaOf: [String: String] = [:]
    /// The top-level networks as declared, by key (`default` when not declared).
    var declaredNetworks: [String: DeclaredNetwork] = [:]
    /// The Podman secrets that hold configs given a uid or gid, one per config text.
    var configSecrets: [SecretDefinition] = []
    /// The volumes made for anonymous volumes (`- /data`), one per service and target, in file order.
    var anonymousVolumes: [VolumeDefinition] = []
    /// Services whose `extends` failed (already reported): a missing image is not reported again.
    var servicesWithBrokenExtends: Set<String> = []

    init(file: String) {
        self.file = file
    }

    func location(_ node: ComposeNode) -> SourceLocation {
        node.location
    }

    mutating func report(_ node: ComposeNode?, _ message: String, hint: String? = nil) {
        issues.append(StackIssue(location: node?.location, message: message, hint: hint))
    }

    mutating func report(at location: SourceLocation?, _ message: String, hint: String? = nil) {
        issues.append(StackIssue(location: location, message: message, hint: hint))
    }

    static func isNull(_ node: ComposeNode) -> Bool {
        node.isNull
    }

    static func kind(of node: ComposeNode) -> String {
        node.kindDescription
    }

    /// The entries of a mapping (merge keys were expanded when the file was read). Keys are taken as
    /// written: compose does not interpolate keys.
    mutating func mapping(_ node: ComposeNode, _ what: String) -> [MappingEntry]? {
        guard let entries = node.entries else {
            report(node, "\(what) must be a mapping, not \(Self.kind(of: node))")
            return nil
        }
        return entries
    }

    mutating func sequence(_ node: ComposeNode, _ what: String) -> [ComposeNode]? {
        guard let items = node.items else {
            report(node, "\(what) must be a list, not \(Self.kind(of: node))")
            return nil
        }
        return items
    }

    /// A scalar, interpolated. Null is refused: a key written with no value is almost always a mistake.
    mutating func scalar(_ node: ComposeNode, _ what: String) -> InterpolatedScalar? {
        guard let text = node.text else {
            report(node, "\(what) must be a single value, not \(Self.kind(of: node))")
            return nil
        }
        do {
            let output = try node.origin.interpolator.interpolate(text)
            for variable in output.unsetVariables {
                warnings.append(
                    StackIssue(
                        location: location(node),
                        message: "variable \(variable) is not set; using an empty string",
                        hint: "set it, or give a default: ${\(variable):-value}"))
            }
            return InterpolatedScalar(value: output.value, substitutions: output.substitutions, node: node)
        } catch {
            report(node, "\(what): \(error.message)", hint: error.hint)
            return nil
        }
    }

    mutating func string(_ node: ComposeNode, _ what: String) -> String? {
        scalar(node, what)?.value
    }

    /// A string that must not be empty after interpolation.
    mutating func nonEmptyString(_ node: ComposeNode, _ what: String, hint: String? = nil) -> String? {
        guard let value = string(node, what) else { return nil }
        guard !value.trimmingWhitespace.isEmpty else {
            report(node, "\(what) is empty", hint: hint)
            return nil
        }
        return value
    }

    mutating func int(_ node: ComposeNode, _ what: String, range: ClosedRange<Int>) -> Int? {
        guard let text = string(node, what) else { return nil }
        let trimmed = text.trimmingWhitespace
        guard let value = Int(trimmed) else {
            let isNumeral = !trimmed.isEmpty && trimmed.allSatisfy(\.isASCIIDigit)
            report(
                node,
                isNumeral
                    ? "\(what) \(trimmed.prefix(40)) is out of range \(range.lowerBound)-\(range.upperBound)"
                    : "\(what) must be a whole number, not '\(text.prefix(40))'")
            return nil
        }
        guard range.contains(value) else {
            report(node, "\(what) \(value) is out of range \(range.lowerBound)-\(range.upperBound)")
            return nil
        }
        return value
    }

    mutating func bool(_ node: ComposeNode, _ what: String) -> Bool? {
        guard let text = string(node, what) else { return nil }
        switch text.lowercased() {
        case "true": return true
        case "false": return false
        default:
            report(node, "\(what) must be true or false, not '\(text.prefix(40))'")
            return nil
        }
    }

    mutating func durationSeconds(_ node: ComposeNode, _ what: String) -> Double? {
        guard let text = string(node, what) else { return nil }
        do {
            return try ComposeDuration.seconds(text)
        } catch {
            report(node, "\(what): \(error.message)")
            return nil
        }
    }

    /// A list of strings, or (when `splitting` is set) one string split into words the way a shell would.
    mutating func words(_ node: ComposeNode, _ what: String, splitting: Bool) -> [String]? {
        if case .scalar = node.kind, splitting {
            guard let text = string(node, what) else { return nil }
            guard let words = ShellWords.split(text) else {
                report(node, "\(what) has an unclosed quote", hint: "or write it as a list: [\"a\", \"b\"]")
                return nil
            }
            return words
        }
        guard let items = sequence(node, what) else { return nil }
        let values = items.map { string($0, "each item of \(what)") }
        return values.count == items.count && !values.contains(nil) ? values.compactMap { $0 } : nil
    }

    /// `KEY: value` mappings or `KEY=value` lists (environment, labels). A missing value is nil.
    mutating func keyValues(_ node: ComposeNode, _ what: String) -> [(key: String, value: String?, node: ComposeNode)]?
    {
        if case .scalar = node.kind {
            report(node, "\(what) must be a mapping (KEY: value) or a list (- KEY=value), not \(Self.kind(of: node))")
            return nil
        }
        if case .sequence(let list) = node.kind {
            return list.compactMap { item -> (key: String, value: String?, node: ComposeNode)? in
                guard let text = string(item, "each item of \(what)") else { return nil }
                guard let equals = text.firstIndex(of: "=") else { return (text, nil, item) }
                return (String(text[..<equals]), String(text[text.index(after: equals)...]), item)
            }
        }
        guard let entries = mapping(node, what) else { return nil }
        return entries.compactMap { entry in
            if Self.isNull(entry.value) { return (entry.key, nil, entry.keyNode) }
            guard let value = string(entry.value, "\(what) '\(entry.key)'") else { return nil }
            return (entry.key, value, entry.value)
        }
    }
}

extension String {
    var trimmingWhitespace: String {
        String(drop { $0.isWhitespace }.reversed().drop { $0.isWhitespace }.reversed())
    }
}
