/// Writing values into unit files so that systemd reads back exactly the value (systemd.syntax(7),
/// systemd.service(7) "Command lines", systemd.unit(7) "Specifiers"). Guarded by SystemdUnitTests, which
/// has `systemd-analyze verify` find a binary under a path with a space, a `%` and a `$` in it, and accept
/// a unit made from a compose directory whose name holds a newline and a directive.
public enum SystemdQuoting {
    /// `%` starts a specifier (`%h`, `%t`) in nearly every setting: a literal one is `%%`.
    public static func specifiers(_ text: String) -> String {
        text.replacingOccurrences(of: "%", with: "%%")
    }

    /// One argument of ExecStart= and friends. `$NAME` is expanded there as well, so a literal `$` is
    /// `$$`; whitespace, quotes, backslashes and `;` need double quotes, inside which `\` and `"` are escaped.
    public static func argument(_ text: String) -> String {
        quote(specifiers(text).replacingOccurrences(of: "$", with: "$$"), raw: text)
    }

    private static func quote(_ escaped: String, raw text: String) -> String {
        let needsQuotes =
            text.isEmpty
            || text.unicodeScalars.contains { scalar in
                scalar.properties.isWhitespace || "\"'\\;".unicodeScalars.contains(scalar) || scalar.value < 0x20
            }
        guard needsQuotes else { return escaped }
        return "\"" + cEscaped(escaped) + "\""
    }

    /// The executable and its arguments. systemd expands `$NAME` in the arguments only: the executable's
    /// path is taken as it stands (with specifiers), so a `$` there must stay single.
    public static func commandLine(_ arguments: [String]) -> String {
        guard let executable = arguments.first else { return "" }
        return ([quote(specifiers(executable), raw: executable)] + arguments.dropFirst().map(argument)).joined(
            separator: " ")
    }

    /// `"NAME=value"` for Environment=, which expands specifiers but not variables.
    public static func environmentAssignment(_ name: String, _ value: String) -> String {
        "\"" + cEscaped(specifiers(name + "=" + value)) + "\""
    }

    /// Free text on one line of a unit: a comment, or a value systemd takes as it stands (Description=).
    /// systemd ends a line at `\n`, `\r` and NUL and joins a line ending in `\` to the next, so those are
    /// written as C escapes: a compose file's path with a newline in it cannot start a line of its own
    /// (SystemdUnitTests runs such a unit through `systemd-analyze verify`).
    public static func oneLine(_ text: String) -> String {
        cEscaped(text)
    }

    /// A pod name as part of a unit name: what systemd allows stays, anything else becomes `\xNN` as
    /// `systemd-escape` writes it.
    public static func unitNameComponent(_ name: String) -> String {
        var out = ""
        for byte in name.utf8 {
            let scalar = Unicode.Scalar(byte)
            let allowed =
                ("a"..."z").contains(scalar) || ("A"..."Z").contains(scalar) || ("0"..."9").contains(scalar)
                || "-_.:".unicodeScalars.contains(scalar)
            out += allowed ? String(scalar) : "\\x" + BackslashEscaping.hex(UInt32(byte), width: 2, uppercase: false)
        }
        return out
    }

    /// C escapes as systemd reads them; other control characters as `\xNN`.
    private static func cEscaped(_ text: String) -> String {
        BackslashEscaping.escaped(text) { scalar in
            scalar.value < 0x20 ? "\\x" + BackslashEscaping.hex(scalar.value, width: 2, uppercase: false) : nil
        }
    }
}
