/// Backslash escapes inside double quotes, as unit files and YAML both write them: `\\`, `\"`, `\n` and `\t`
/// in both, and what else each format needs from `more` (nil keeps the scalar as it is).
enum BackslashEscaping {
    static func escaped(_ text: String, more: (Unicode.Scalar) -> String?) -> String {
        var out = ""
        for scalar in text.unicodeScalars {
            switch scalar {
            case "\\": out += "\\\\"
            case "\"": out += "\\\""
            case "\n": out += "\\n"
            case "\t": out += "\\t"
            default:
                if let escape = more(scalar) { out += escape } else { out.unicodeScalars.append(scalar) }
            }
        }
        return out
    }

    /// `value` in hexadecimal, zero-padded to `width` digits.
    static func hex(_ value: UInt32, width: Int, uppercase: Bool) -> String {
        let digits = String(value, radix: 16, uppercase: uppercase)
        return String(repeating: "0", count: max(0, width - digits.count)) + digits
    }
}
