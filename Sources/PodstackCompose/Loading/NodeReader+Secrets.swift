extension NodeReader {
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
                reference.uid = keys["uid"].flatMap { numericID($0.value, "uid of \(what)") }
                reference.gid = keys["gid"].flatMap { numericID($0.value, "gid of \(what)") }
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

    /// A user or group ID as Podman takes it for a secret: a number, not a name.
    mutating func numericID(_ node: ComposeNode, _ what: String) -> String? {
        guard let text = nonEmptyString(node, what) else { return nil }
        guard let id = Int(text.trimmingWhitespace), id >= 0 else {
            report(node, "\(what) '\(text.prefix(20))' is not a number", hint: "give the numeric ID, like 1000")
            return nil
        }
        return String(id)
    }

    /// Octal when written with a leading zero (`0440`, `0o440`), as people write file modes.
    mutating func fileMode(_ node: ComposeNode, _ what: String) -> Int? {
        guard let text = string(node, what) else { return nil }
        let octal = text.hasPrefix("0o") ? String(text.dropFirst(2)) : text.hasPrefix("0") ? text : nil
        guard let mode = octal.map({ Int($0, radix: 8) }) ?? Int(text), (0...0o7777).contains(mode) else {
            report(node, "\(what) '\(text.prefix(20))' is not a file mode", hint: "write it in octal, like 0440")
            return nil
        }
        return mode
    }
}
