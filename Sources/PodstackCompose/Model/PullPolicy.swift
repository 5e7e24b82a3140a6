/// `pull_policy:` of a service, as compose defines it: when the image is fetched from its registry (or,
/// for a service with `build:`, built).
public enum PullPolicy: Sendable, Codable, Hashable {
    /// Pull when the image is not here; build it when missing, for a service with `build:` (the default;
    /// `if_not_present` is its old name).
    case missing
    /// Pull on every `up`, even when the image is here.
    case always
    /// Never pull: a missing image is an error before anything is created.
    case never
    /// Build on every `up` (the service must have `build:`).
    case build
    /// Pull when the last pull podstack made of the image is older than this many seconds, or unknown
    /// (`daily`, `weekly`, `every_<duration>`).
    case refresh(seconds: Int)

    /// Whether `up` may pull a newer image over one that is here (`always`, a refresh), after which a
    /// container made from the old one is made again, as compose does.
    public var pullsOverPresentImage: Bool {
        switch self {
        case .always, .refresh: true
        case .missing, .never, .build: false
        }
    }

    /// Reads compose's spelling; nil for a value compose does not define.
    public init?(compose text: String) {
        switch text.lowercased() {
        case "missing", "if_not_present": self = .missing
        case "always": self = .always
        case "never": self = .never
        case "build": self = .build
        case "daily": self = .refresh(seconds: 86_400)
        case "weekly": self = .refresh(seconds: 7 * 86_400)
        default:
            guard text.lowercased().hasPrefix("every_"),
                let seconds = Self.durationSeconds(String(text.dropFirst("every_".count))), seconds > 0
            else { return nil }
            self = .refresh(seconds: seconds)
        }
    }

    /// A duration as compose writes it here: numbers with units w, d, h, m or s (`1w`, `12h`, `1d12h`).
    static func durationSeconds(_ text: String) -> Int? {
        let units: [Character: Int] = ["w": 7 * 86_400, "d": 86_400, "h": 3_600, "m": 60, "s": 1]
        var total = 0
        var digits = ""
        for character in text {
            if character.isASCIIDigit {
                digits.append(character)
            } else if let unit = units[character], let value = Int(digits), value <= 1_000_000 {
                total += value * unit
                digits = ""
            } else {
                return nil
            }
        }
        return digits.isEmpty && !text.isEmpty ? total : nil
    }
}
