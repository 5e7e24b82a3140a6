/// A fully qualified CDI device name, `vendor/class=name` (`nvidia.com/gpu=0`), split and checked with the
/// rules of the container-device-interface library that Podman resolves names with: a vendor is a domain-like
/// word, a class a plain word, a device name may hold `.` and `:` (MIG devices are `0:1`).
public struct CDIDeviceName: Sendable, Hashable, Codable, CustomStringConvertible {
    public var vendor: String
    public var deviceClass: String
    public var name: String

    public init(vendor: String, deviceClass: String, name: String) {
        self.vendor = vendor
        self.deviceClass = deviceClass
        self.name = name
    }

    /// `vendor/class`, the `kind` a spec declares.
    public var kind: String { "\(vendor)/\(deviceClass)" }
    public var description: String { "\(kind)=\(name)" }

    /// Whether the text is meant as a CDI name rather than a host path: it names a kind and a device and
    /// does not start with `/`. Podman tells the two apart the same way before it parses either.
    public static func looksQualified(_ text: String) -> Bool {
        !text.hasPrefix("/") && text.contains("=") && (text.split(separator: "=").first?.contains("/") ?? false)
    }

    /// Parses `vendor/class=name`; the error says which part is wrong and why.
    public static func parse(_ text: String) -> Result<CDIDeviceName, CDINameError> {
        guard let equals = text.firstIndex(of: "=") else { return .failure(.notQualified(text)) }
        let kind = text[..<equals]
        let name = String(text[text.index(after: equals)...])
        guard let slash = kind.firstIndex(of: "/") else { return .failure(.notQualified(text)) }
        let vendor = String(kind[..<slash])
        let deviceClass = String(kind[kind.index(after: slash)...])
        if let problem = CDIKind.vendorProblem(vendor) ?? CDIKind.classProblem(deviceClass)
            ?? CDIKind.deviceNameProblem(name)
        {
            return .failure(.invalidPart(text, problem))
        }
        return .success(CDIDeviceName(vendor: vendor, deviceClass: deviceClass, name: name))
    }
}

public enum CDINameError: Error, Sendable, Hashable, CustomStringConvertible {
    case notQualified(String)
    case invalidPart(String, String)

    public var description: String {
        switch self {
        case .notQualified(let text): return "\"\(text)\" is not a CDI device name of the form vendor/class=name"
        case .invalidPart(let text, let problem): return "\"\(text)\" is not a valid CDI device name: \(problem)"
        }
    }
}

/// The character rules of the CDI library's parser, shared by names in compose files and kinds in specs.
enum CDIKind {
    static func vendorProblem(_ vendor: String) -> String? {
        word(vendor, what: "vendor", inner: "-_.", firstMustBeLetter: true)
    }

    static func classProblem(_ deviceClass: String) -> String? {
        word(deviceClass, what: "class", inner: "-_", firstMustBeLetter: true)
    }

    static func deviceNameProblem(_ name: String) -> String? {
        word(name, what: "device name", inner: "-_.:", firstMustBeLetter: false)
    }

    /// `vendor/class` split, as a spec's `kind:` must be; nil when there is not exactly one slash.
    static func split(kind: String) -> (vendor: String, deviceClass: String)? {
        let parts = kind.split(separator: "/", omittingEmptySubsequences: false)
        guard parts.count == 2 else { return nil }
        return (String(parts[0]), String(parts[1]))
    }

    private static func word(_ text: String, what: String, inner: String, firstMustBeLetter: Bool) -> String? {
        guard let first = text.first, let last = text.last else { return "the \(what) is empty" }
        let isAlphanumeric: (Character) -> Bool = { $0.isASCII && ($0.isLetter || $0.isNumber) }
        if firstMustBeLetter ? !(first.isASCII && first.isLetter) : !isAlphanumeric(first) {
            return "the \(what) \"\(text)\" must start with a \(firstMustBeLetter ? "letter" : "letter or digit")"
        }
        if !isAlphanumeric(last) { return "the \(what) \"\(text)\" must end with a letter or digit" }
        if let bad = text.first(where: { !isAlphanumeric($0) && !inner.contains($0) }) {
            return "the \(what) \"\(text)\" may not contain \"\(bad)\""
        }
        return nil
    }
}
