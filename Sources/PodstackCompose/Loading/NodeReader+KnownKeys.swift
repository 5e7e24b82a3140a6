extension NodeReader {
    /// Reports every key of `entries` that is not in `allowed`: unsupported ones with their reason, others as
    /// unknown. Returns the allowed entries.
    mutating func knownEntries(
        _ entries: [MappingEntry], allowed: Set<String>, unsupported: [String: String] = [:], context: String
    ) -> [String: MappingEntry] {
        var known: [String: MappingEntry] = [:]
        for entry in entries {
            if allowed.contains(entry.key) {
                known[entry.key] = entry
            } else if let reason = unsupported[entry.key] {
                report(entry.keyNode, "'\(entry.key)' in \(context) is not supported by podstack", hint: reason)
            } else if !ComposeKeys.isExtension(entry.key) {
                let shown = entry.key.count > 40 ? String(entry.key.prefix(40)) + "..." : entry.key
                report(
                    entry.keyNode, "unknown key '\(shown)' in \(context)", hint: suggestion(for: entry.key, in: allowed)
                )
            }
        }
        return known
    }

    private func suggestion(for key: String, in allowed: Set<String>) -> String? {
        let close = allowed.sorted().first { candidate in
            candidate.replacingUnderscores == key.replacingUnderscores
                || (abs(candidate.count - key.count) <= 2 && candidate.editDistance(to: key) <= 2)
        }
        return close.map { "did you mean '\($0)'?" }
    }
}

extension String {
    fileprivate var replacingUnderscores: String {
        String(lowercased().map { $0 == "-" ? "_" : $0 })
    }

    /// Levenshtein distance, for "did you mean" hints on short keys.
    func editDistance(to other: String) -> Int {
        let source = Array(self)
        let target = Array(other)
        guard source.count <= 64, target.count <= 64 else { return Int.max }
        var previous = Array(0...target.count)
        for (i, sourceCharacter) in source.enumerated() {
            var current = [i + 1]
            for (j, targetCharacter) in target.enumerated() {
                let substitution = previous[j] + (sourceCharacter == targetCharacter ? 0 : 1)
                current.append(Swift.min(previous[j + 1] + 1, current[j] + 1, substitution))
            }
            previous = current
        }
        return previous[target.count]
    }
}
