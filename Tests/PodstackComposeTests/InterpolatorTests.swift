import Testing

@testable import PodstackCompose

@Suite("Interpolation")
struct InterpolatorTests {
    static let variables = ["SET": "value", "EMPTY": "", "PORT": "11435", "B": "bee", "DOLLAR": "$X"]

    @Test(
        "expands every form the compose spec defines",
        arguments: [
            ("plain text", "plain text"),
            ("$SET", "value"),
            ("${SET}", "value"),
            ("a${SET}b", "avalueb"),
            ("$SET/x", "value/x"),
            ("$SET.x", "value.x"),
            ("$UNSET", ""),
            ("${UNSET}", ""),
            ("${SET:-d}", "value"),
            ("${EMPTY:-d}", "d"),
            ("${UNSET:-d}", "d"),
            ("${SET-d}", "value"),
            ("${EMPTY-d}", ""),
            ("${UNSET-d}", "d"),
            ("${SET:+alt}", "alt"),
            ("${EMPTY:+alt}", ""),
            ("${UNSET:+alt}", ""),
            ("${SET+alt}", "alt"),
            ("${EMPTY+alt}", "alt"),
            ("${UNSET+alt}", ""),
            ("${SET:?must}", "value"),
            ("${EMPTY?must}", ""),
            ("$$", "$"),
            ("$$SET", "$SET"),
            ("$${SET}", "${SET}"),
            ("cost: $$5", "cost: $5"),
            ("${UNSET:-${B:-x}}", "bee"),
            ("${UNSET:-${ALSO_UNSET:-x}}", "x"),
            ("${UNSET:-a${B}c}", "abeec"),
            ("${UNSET:-}", ""),
            ("${UNSET:-a:b-c}", "a:b-c"),
            ("${UNSET:-$${literal}}", "${literal}"),
            ("${PORT:-11434}:11434", "11435:11434"),
            ("${DOLLAR}", "$X"),
            ("a: b\n- c", "a: b\n- c"),
            ("${_under_score:-u}", "u"),
            ("ünïcødé ${SET}", "ünïcødé value"),
        ])
    func expands(input: String, expected: String) throws {
        let output = try Interpolator(variables: Self.variables).interpolate(input)
        #expect(output.value == expected)
    }

    @Test(
        "refuses malformed expressions and unset required variables with a message that says which",
        arguments: [
            ("${UNSET:?please set it}", "required variable UNSET is missing a value: please set it"),
            ("${EMPTY:?empty is not enough}", "required variable EMPTY is missing a value: empty is not enough"),
            ("${UNSET?}", "required variable UNSET is missing a value"),
            ("${UNSET:?need ${B}}", "required variable UNSET is missing a value: need bee"),
            ("$", "'$' must be followed by a variable name, '{' or '$'"),
            ("price $5", "'$' must be followed by a variable name, '{' or '$'"),
            ("${", "'${' must be followed by a variable name"),
            ("${}", "'${' must be followed by a variable name"),
            ("${1A}", "'${' must be followed by a variable name"),
            ("${SET", "'${SET' is not closed with '}'"),
            ("${SET:-default", "'${SET' is not closed with '}'"),
            ("${SET:-${B}", "'${SET' is not closed with '}'"),
            ("${SET x}", "unexpected character after '${SET'"),
            ("${SET:x}", "unexpected character after '${SET'"),
            ("${SET*}", "unexpected character after '${SET'"),
        ])
    func refuses(input: String, fragment: String) {
        #expect {
            try Interpolator(variables: Self.variables).interpolate(input)
        } throws: { error in
            (error as? Interpolator.Failure)?.message.contains(fragment) == true
        }
    }

    @Test(
        "records which variable produced which part of the output",
        arguments: [
            ("${OLLAMA_PORT:-11434}:11434", ["OLLAMA_PORT"], "11434"),
            ("$SET-x", ["SET"], "value"),
            ("${UNSET:-${B}}", ["UNSET", "B"], "bee"),
            ("literal", [], nil),
        ])
    func substitutions(input: String, variables: [String], firstOutput: String?) throws {
        let output = try Interpolator(variables: Self.variables).interpolate(input)
        #expect(output.substitutions.map(\.variable) == variables)
        let bytes = Array(output.value.utf8)
        let first = output.substitutions.first.map { String(decoding: bytes[$0.range], as: UTF8.self) }
        #expect(first == firstOutput)
    }

    @Test("lists variables used bare while unset, once each, for the warnings")
    func unsetVariables() throws {
        let output = try Interpolator(variables: [:]).interpolate("$A ${A} ${B:-x} $C")
        #expect(output.unsetVariables == ["A", "C"])
    }

    @Test("refuses nesting deeper than the bound instead of recursing without end")
    func deepNesting() {
        let deep = String(repeating: "${U:-", count: 50) + "x" + String(repeating: "}", count: 50)
        #expect(throws: Interpolator.Failure.self) { try Interpolator(variables: [:]).interpolate(deep) }
        let shallow = String(repeating: "${U:-", count: 5) + "x" + String(repeating: "}", count: 5)
        #expect((try? Interpolator(variables: [:]).interpolate(shallow).value) == "x")
    }

    @Test("refuses a result over a megabyte, such as a variable repeated many times")
    func hugeOutput() {
        let big = String(repeating: "x", count: 100_000)
        let text = String(repeating: "$BIG", count: 20)
        #expect(throws: Interpolator.Failure.self) { try Interpolator(variables: ["BIG": big]).interpolate(text) }
    }
}
