
extension NodeReader {
    /// Returns the check with compose's defaults filled in, and whether the file switched checks off.
    mutating func healthcheck(_ node: ComposeNode, context: String) -> (HealthCheck?, Bool) {
        let what = "healthcheck of \(context)"
        guard let entries = mapping(node, what) else { return (nil, false) }
        let keys = knownEntries(
            entries, allowed: ComposeKeys.healthcheck, unsupported: ComposeKeys.unsupportedHealthcheck, context: what)
        if let node = keys["disable"]?.value, bool(node, "disable of \(what)") == true { return (nil, true) }
        guard let testNode = keys["test"]?.value else {
            report(
                node, "\(what) has no test",
                hint: "podstack passes the whole check to Podman, which takes no timings without a test; write the "
                    + "test, or disable: true")
            return (nil, false)
        }
        guard let test = healthTest(testNode, what: what) else { return (nil, false) }
        if test == ["NONE"] { return (nil, true) }
        var check = HealthCheck(test: test)
        if let node = keys["interval"]?.value, let seconds = positiveDuration(node, "interval of \(what)") {
            check.intervalSeconds = seconds
        }
        if let node = keys["timeout"]?.value, let seconds = positiveDuration(node, "timeout of \(what)") {
            check.timeoutSeconds = seconds
        }
        if let node = keys["start_period"]?.value, let seconds = durationSeconds(node, "start_period of \(what)") {
            check.startPeriodSeconds = seconds
        }
        if let node = keys["retries"]?.value, let retries = int(node, "retries of \(what)", range: 1...1000) {
            check.retries = retries
        }
        return (check, false)
    }

    /// A zero interval or timeout would mean "never" to Podman, so they must be positive.
    private mutating func positiveDuration(_ node: ComposeNode, _ what: String) -> Double? {
        guard let seconds = durationSeconds(node, what) else { return nil }
        guard seconds > 0 else {
            report(node, "\(what) must be longer than zero")
            return nil
        }
        return seconds
    }

    /// Normalizes to `["CMD", ...]` or `["CMD-SHELL", script]`; a string is a shell script, as in compose.
    private mutating func healthTest(_ node: ComposeNode, what: String) -> [String]? {
        if case .scalar = node.kind {
            guard let script = nonEmptyString(node, "test of \(what)") else { return nil }
            return ["CMD-SHELL", script]
        }
        guard let words = words(node, "test of \(what)", splitting: false) else { return nil }
        switch words.first {
        case "NONE" where words.count == 1:
            return ["NONE"]
        case "CMD" where words.count >= 2:
            return words
        case "CMD-SHELL" where words.count == 2:
            return words
        case "CMD-SHELL" where words.count > 2:
            report(node, "test of \(what) with CMD-SHELL takes one script", hint: "join the words into one string")
        default:
            report(
                node, "test of \(what) must start with CMD, CMD-SHELL or NONE, followed by the command",
                hint: "for example [\"CMD\", \"ollama\", \"list\"]")
        }
        return nil
    }

    mutating func dependencies(_ node: ComposeNode, service: String, context: String) -> [Dependency] {
        let what = "depends_on of \(context)"
        if case .sequence(let list) = node.kind {
            return list.compactMap { item in
                guard let name = nonEmptyString(item, "each item of \(what)") else { return nil }
                dependencyLocations[DependencyKey(service: service, dependency: name)] = location(item)
                return Dependency(service: name)
            }
        }
        guard let entries = mapping(node, what) else { return [] }
        return entries.compactMap { entry in
            var dependency = Dependency(service: entry.key)
            dependencyLocations[DependencyKey(service: service, dependency: entry.key)] = location(entry.keyNode)
            if Self.isNull(entry.value) { return dependency }
            guard let options = mapping(entry.value, "depends_on '\(entry.key)' of \(context)") else { return nil }
            let keys = knownEntries(
                options, allowed: ComposeKeys.dependency,
                unsupported: ["restart": "podstack does not restart dependents when a dependency restarts; remove it"],
                context: "depends_on '\(entry.key)' of \(context)")
            if let node = keys["condition"]?.value, let text = string(node, "condition of \(what)") {
                guard let condition = Dependency.Condition(rawValue: text) else {
                    report(
                        node,
                        "condition '\(text.prefix(40))' in \(what) is not one of service_started, service_healthy, "
                            + "service_completed_successfully")
                    return nil
                }
                dependency.condition = condition
            }
            if let node = keys["required"]?.value, let required = bool(node, "required of \(what)") {
                dependency.required = required
            }
            return dependency
        }
    }

    mutating func secretReferences(_ node: ComposeNode, context: String, pod: PodContext) -> [SecretReference] {
        let what = "secrets of \(context)"
        guard let items = sequence(node, what) else { return [] }
        return items.compactMap { item -> SecretReference? in
            var reference: SecretReference
            if case .mapping = item.kind {
                guard let entries = mapping(item, "each item of \(what)") else { return nil }
                let keys = knownEntries(entries, allowed: ComposeKeys.secretReference, context: what)
                guard let sourceNode = keys["source"]?.value,
                    let source = nonEmptyString(sourceNode, "source of \(what)")
                else {
                    if keys["source"] == nil { report(item, "a secret in \(what) needs a source") }
                    return nil
                }
                reference = SecretReference(source: source)
                if let node = keys["target"]?.value, let target = nonEmptyString(node, "target of \(what)") {
                    reference.target = target.hasPrefix("/") ? target : "/run/secrets/\(target)"
                }
                reference.uid = keys["uid"].flatMap { nonEmptyString($0.value, "uid of \(what)") }
                reference.gid = keys["gid"].flatMap { nonEmptyString($0.value, "gid of \(what)") }
                if let node = keys["mode"]?.value { reference.mode = fileMode(node, "mode of \(what)") }
            } else {
                guard let source = nonEmptyString(item, "each item of \(what)") else { return nil }
                reference = SecretReference(source: source)
            }
            guard pod.secrets[reference.source] != nil else {
                report(
                    item,
                    "secret '\(reference.source.prefix(80))' in \(what) is not declared under the top-level secrets:",
                    hint: "declare it with file: PATH or environment: VARIABLE")
                return nil
            }
            return reference
        }
    }

    /// Octal when written with a leading zero (`0440`, `0o440`), as people write file modes.
    private mutating func fileMode(_ node: ComposeNode, _ what: String) -> Int? {
        guard let text = string(node, what) else { return nil }
        let octal = text.hasPrefix("0o") ? String(text.dropFirst(2)) : text.hasPrefix("0") ? text : nil
        guard let mode = octal.map({ Int($0, radix: 8) }) ?? Int(text), (0...0o7777).contains(mode) else {
            report(node, "\(what) '\(text.prefix(20))' is not a file mode", hint: "write it in octal, like 0440")
            return nil
        }
        return mode
    }
}
