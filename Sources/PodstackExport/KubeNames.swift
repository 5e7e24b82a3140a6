import Foundation

/// Names as Kubernetes accepts them. Compose and Podman allow `_` and upper case (`local-ai_models`,
/// `aidb_postgres_password`); Kubernetes object and volume names must be RFC 1123 labels: lower-case
/// letters, digits and `-`, starting and ending with a letter or digit, at most 63 characters.
public enum KubeNames {
    public static let maxLength = 63

    /// `name` made into an RFC 1123 label: other characters become `-`, runs of `-` collapse, the ends are
    /// trimmed, and a name too long keeps its head and gains a short digest so that two long names that
    /// share a head stay distinct.
    public static func label(_ name: String) -> String {
        var out = ""
        for scalar in name.lowercased().unicodeScalars {
            let keep = ("a"..."z").contains(scalar) || ("0"..."9").contains(scalar)
            if keep {
                out.unicodeScalars.append(scalar)
            } else if !out.hasSuffix("-") {
                out += "-"
            }
        }
        out = String(out.drop { $0 == "-" }.reversed().drop { $0 == "-" }.reversed())
        if out.isEmpty { out = "x" }
        guard out.count > maxLength else { return out }
        let digest = String(Self.digest(of: name).prefix(8))
        var head = String(out.prefix(maxLength - digest.count - 1))
        while head.hasSuffix("-") { head.removeLast() }
        return head + "-" + digest
    }

    /// True when `name` is already a valid label, so that output can say when a name had to change.
    public static func isLabel(_ name: String) -> Bool { label(name) == name }

    /// FNV-1a (64 bits) of the name as JSON text: the hash Core's config digest used when this was written,
    /// kept here so that a name cut to fit keeps its suffix whatever becomes of that digest.
    static func digest(of name: String) -> String {
        let json = (try? JSONEncoder().encode(name)) ?? Data()
        let hash = json.reduce(UInt64(0xcbf2_9ce4_8422_2325)) { ($0 ^ UInt64($1)) &* 0x0000_0100_0000_01b3 }
        return String(hash, radix: 16)
    }

    /// Distinct labels for a list of names, in order: a second `data` becomes `data-2`.
    static func unique(_ names: [String]) -> [String] {
        var seen = Set<String>()
        return names.map { name in
            let base = label(name)
            var candidate = base
            var counter = 2
            while seen.contains(candidate) {
                let suffix = "-\(counter)"
                candidate = String(base.prefix(maxLength - suffix.count)) + suffix
                counter += 1
            }
            seen.insert(candidate)
            return candidate
        }
    }
}
