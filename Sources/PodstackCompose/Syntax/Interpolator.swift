/// Variable interpolation as the compose spec defines it: `$VAR`, `${VAR}`, `${VAR:-default}`,
/// `${VAR-default}`, `${VAR:?message}`, `${VAR?message}`, `${VAR:+alternative}`, `${VAR+alternative}`, and
/// `$$` for a literal `$`. Defaults and alternatives may themselves hold expressions (`${A:-${B:-x}}`).
///
/// The result records which variable produced which part of the output, so that the loader can say that
/// `OLLAMA_PORT` sets a host port even when the port came from the default.
public struct Interpolator: Sendable {
    public struct Substitution: Sendable, Hashable {
        public var variable: String
        /// Where the expression's output is in the result, in UTF-8 offsets.
        public var range: Range<Int>
    }

    public struct Output: Sendable, Hashable {
        public var value: String
        /// Outer expressions before the ones nested in their defaults, in order of appearance.
        public var substitutions: [Substitution]
        /// Variables used bare (`$X`, `${X}`) while unset, which compose replaces by an empty string.
        public var unsetVariables: [String]
    }

    public struct Failure: Error, Sendable, Equatable, CustomStringConvertible {
        public var message: String
        public var hint: String?
        public var description: String { message }
    }

    static let maximumNesting = 16
    static let maximumOutputBytes = 1 << 20

    public var variables: [String: String]

    public init(variables: [String: String]) {
        self.variables = variables
    }

    public func interpolate(_ text: String) throws(Failure) -> Output {
        // Most scalars hold no `$`; skip the byte copy for them.
        guard text.utf8.contains(UInt8(ascii: "$")) else {
            return Output(value: text, substitutions: [], unsetVariables: [])
        }
        var state = State(source: Array(text.utf8), text: text)
        try expand(0..<state.source.count, depth: 0, into: &state)
        return Output(
            value: String(decoding: state.output, as: UTF8.self), substitutions: state.substitutions,
            unsetVariables: state.unset)
    }

    private struct State {
        let source: [UInt8]
        let text: String
        var output: [UInt8] = []
        var substitutions: [Substitution] = []
        var unset: [String] = []

        func invalid(_ why: String) -> Failure {
            let shown = text.count > 80 ? String(text.prefix(80)) + "..." : text
            return Failure(
                message: "invalid interpolation in '\(shown)': \(why)",
                hint: "write $$ for a literal $")
        }
    }

    private func expand(_ range: Range<Int>, depth: Int, into state: inout State) throws(Failure) {
        guard depth <= Self.maximumNesting else {
            throw state.invalid("expressions nest deeper than \(Self.maximumNesting) levels")
        }
        var index = range.lowerBound
        while index < range.upperBound {
            let byte = state.source[index]
            guard byte == UInt8(ascii: "$") else {
                state.output.append(byte)
                index += 1
                continue
            }
            let next = index + 1 < range.upperBound ? state.source[index + 1] : nil
            switch next {
            case UInt8(ascii: "$"):
                state.output.append(byte)
                index += 2
            case UInt8(ascii: "{"):
                index = try expandBraced(from: index + 2, limit: range.upperBound, depth: depth, into: &state)
            case let .some(first) where Self.isNameStart(first):
                var end = index + 1
                while end < range.upperBound, Self.isNameByte(state.source[end]) { end += 1 }
                let name = String(decoding: state.source[(index + 1)..<end], as: UTF8.self)
                substitute(name, value: variables[name], recordUnset: true, into: &state)
                index = end
            default:
                throw state.invalid("'$' must be followed by a variable name, '{' or '$'")
            }
            guard state.output.count <= Self.maximumOutputBytes else {
                throw state.invalid("the result is longer than \(Self.maximumOutputBytes) bytes")
            }
        }
    }

    /// Expands `NAME[modifier word]}` starting just after `${`; returns the index after the closing brace.
    private func expandBraced(from start: Int, limit: Int, depth: Int, into state: inout State) throws(Failure) -> Int {
        var index = start
        guard index < limit, Self.isNameStart(state.source[index]) else {
            throw state.invalid("'${' must be followed by a variable name")
        }
        while index < limit, Self.isNameByte(state.source[index]) { index += 1 }
        let name = String(decoding: state.source[start..<index], as: UTF8.self)
        guard index < limit else { throw state.invalid("'${\(name)' is not closed with '}'") }
        if state.source[index] == UInt8(ascii: "}") {
            substitute(name, value: variables[name], recordUnset: true, into: &state)
            return index + 1
        }
        let colon = state.source[index] == UInt8(ascii: ":")
        if colon { index += 1 }
        guard index < limit, let modifier = Modifier(rawValue: state.source[index]) else {
            throw state.invalid(
                "unexpected character after '${\(name)'; expected '}', ':-', '-', ':?', '?', ':+' or '+'")
        }
        let wordStart = index + 1
        let wordEnd = try closingBrace(from: wordStart, limit: limit, state: state, name: name)
        let value = variables[name]
        // `:` makes an empty value count as unset.
        let isSet = colon ? !(value ?? "").isEmpty : value != nil
        let substitutionIndex = state.substitutions.count
        let outputStart = state.output.count
        switch modifier {
        case .defaultValue where isSet, .alternative where !isSet:
            state.output.append(contentsOf: isSet ? Array((value ?? "").utf8) : [])
        case .defaultValue, .alternative:
            try expand(wordStart..<wordEnd, depth: depth + 1, into: &state)
        case .required where isSet:
            state.output.append(contentsOf: Array((value ?? "").utf8))
        case .required:
            var messageState = State(source: state.source, text: state.text)
            try expand(wordStart..<wordEnd, depth: depth + 1, into: &messageState)
            let message = String(decoding: messageState.output, as: UTF8.self)
            throw Failure(
                message: "required variable \(name) is missing a value" + (message.isEmpty ? "" : ": \(message)"),
                hint: "set \(name) in the environment, in .env beside the compose files, or in an --env-file")
        }
        state.substitutions.insert(
            Substitution(variable: name, range: outputStart..<state.output.count), at: substitutionIndex)
        return wordEnd + 1
    }

    private enum Modifier: UInt8 {
        case defaultValue = 45  // "-"
        case required = 63  // "?"
        case alternative = 43  // "+"
    }

    /// The index of the `}` that closes the current expression, skipping over nested `${...}` and `$$`.
    private func closingBrace(from start: Int, limit: Int, state: State, name: String) throws(Failure) -> Int {
        var depth = 0
        var index = start
        while index < limit {
            switch state.source[index] {
            case UInt8(ascii: "$") where index + 1 < limit && state.source[index + 1] == UInt8(ascii: "$"):
                index += 1
            case UInt8(ascii: "$") where index + 1 < limit && state.source[index + 1] == UInt8(ascii: "{"):
                depth += 1
                index += 1
            case UInt8(ascii: "}") where depth == 0:
                return index
            case UInt8(ascii: "}"):
                depth -= 1
            default:
                break
            }
            index += 1
        }
        throw state.invalid("'${\(name)' is not closed with '}'")
    }

    private func substitute(_ name: String, value: String?, recordUnset: Bool, into state: inout State) {
        let start = state.output.count
        if let value {
            state.output.append(contentsOf: Array(value.utf8))
        } else if recordUnset, !state.unset.contains(name) {
            state.unset.append(name)
        }
        state.substitutions.append(Substitution(variable: name, range: start..<state.output.count))
    }

    static func isNameStart(_ byte: UInt8) -> Bool {
        byte == UInt8(ascii: "_") || (byte >= UInt8(ascii: "a") && byte <= UInt8(ascii: "z"))
            || (byte >= UInt8(ascii: "A") && byte <= UInt8(ascii: "Z"))
    }

    static func isNameByte(_ byte: UInt8) -> Bool {
        isNameStart(byte) || (byte >= UInt8(ascii: "0") && byte <= UInt8(ascii: "9"))
    }
}
