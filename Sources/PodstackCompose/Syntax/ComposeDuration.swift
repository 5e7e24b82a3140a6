/// Durations as compose writes them (Go's `time.ParseDuration`): a sequence of decimal numbers with units,
/// such as `1m30s`, `10s`, `500ms`, `1.5h`. A bare number is refused: compose files in the wild mean
/// seconds by it as often as nanoseconds, and a wrong guess makes a health check fire a billion times
/// too often.
public enum ComposeDuration {
    public struct Failure: Error, Equatable, Sendable {
        public var message: String
    }

    static let unitSeconds: [(unit: String, seconds: Double)] = [
        ("ns", 1e-9), ("us", 1e-6), ("µs", 1e-6), ("ms", 1e-3), ("s", 1), ("m", 60), ("h", 3600),
    ]

    /// A hundred years: longer than anything sensible, short enough that no arithmetic overflows.
    static let maximumSeconds = 100.0 * 365 * 24 * 3600

    public static func seconds(_ text: String) throws(Failure) -> Double {
        let shown = text.count > 40 ? String(text.prefix(40)) + "..." : text
        guard !text.isEmpty else { throw Failure(message: "duration is empty") }
        if text == "0" { return 0 }
        var rest = Substring(text)
        var total = 0.0
        while !rest.isEmpty {
            let number = rest.prefix { $0.isASCIIDigit || $0 == "." }
            guard !number.isEmpty, number.count <= 20, let value = Double(number) else {
                throw Failure(message: "'\(shown)' is not a duration; write it like 1m30s, 10s or 500ms")
            }
            rest = rest.dropFirst(number.count)
            let unitText = rest.prefix { !$0.isASCIIDigit && $0 != "." }
            guard let unit = unitSeconds.first(where: { $0.unit == unitText }) else {
                let message =
                    unitText.isEmpty
                    ? "duration '\(shown)' has no unit; write it like 10s, 1m30s or 500ms"
                    : "duration '\(shown)' has an unknown unit '\(unitText.prefix(10))'; use h, m, s, ms, us or ns"
                throw Failure(message: message)
            }
            rest = rest.dropFirst(unitText.count)
            total += value * unit.seconds
        }
        guard total <= maximumSeconds else { throw Failure(message: "duration '\(shown)' is too long") }
        return total
    }
}
