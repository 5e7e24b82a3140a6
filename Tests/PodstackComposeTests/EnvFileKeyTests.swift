import Foundation
import Testing

@testable import PodstackCompose

/// `env_file:` of a service in each form compose has: a path, a list, and entries with `path`,
/// `required` and `format: raw`.
@Suite("env_file of a service")
struct EnvFileKeyTests {
    /// Loads `services: a: image: x` with the given env_file value beside the given files.
    private func environment(
        _ envFile: String, files: [String: String], variables: [String: String] = [:]
    ) throws -> [String: String] {
        let directory = try ScratchDirectory()
        for (name, text) in files { try directory.write(name, text) }
        let file = try directory.write("stack.yml", "name: p\nservices:\n  a:\n    image: x\n    env_file: \(envFile)\n")
        let stack = try StackLoader(environment: testEnvironment(variables)).load(files: [file])
        return try #require(stack.services.first).environment
    }

    @Test(
        "a path, a list and long entries load, later files over earlier ones",
        arguments: [
            ("one.env", ["A": "1", "B": "one"]),
            ("[one.env, two.env]", ["A": "1", "B": "two", "C": "3"]),
            ("[{path: one.env}, {path: sub/../two.env, required: true}]", ["A": "1", "B": "two", "C": "3"]),
        ])
    func forms(envFile: String, expected: [String: String]) throws {
        let files = ["one.env": "A=1\nB=one\n", "two.env": "B=two\nC=3\n"]
        #expect(try environment(envFile, files: files) == expected)
    }

    @Test("a missing file with required: false is skipped; a missing required one is refused at its line")
    func optionalAndRequired() throws {
        let files = ["one.env": "A=1\n"]
        #expect(try environment("[one.env, {path: gone.env, required: false}]", files: files) == ["A": "1"])
        #expect(throws: StackLoadError.self) { try environment("[one.env, {path: gone.env}]", files: files) }
        let issues = try loadIssues("name: p\nservices:\n  a:\n    image: x\n    env_file:\n      - path: gone.env\n")
        let issue = try #require(issues.first)
        #expect(issue.message.contains("env_file 'gone.env' of service 'a' cannot be read"))
        #expect(issue.location?.line == 6)
        #expect(issue.hint?.contains("required: false") == true)
    }

    @Test("a service no active profile includes has its env_file left unread, as compose does; activated, it is read")
    func inactiveProfileLeavesEnvFileUnread() throws {
        let directory = try ScratchDirectory()
        let file = try directory.write(
            "stack.yml",
            "name: p\nservices:\n  a:\n    image: x\n  extra:\n    image: x\n    env_file: gone.env\n"
                + "    profiles: [cloud]\n")
        let stack = try StackLoader(environment: testEnvironment()).load(files: [file])
        #expect(stack.services.map(\.name) == ["a"])
        let error = try #require(throws: StackLoadError.self) {
            try StackLoader(environment: testEnvironment(), profiles: ["cloud"]).load(files: [file])
        }
        #expect(error.issues.contains { $0.message.contains("env_file 'gone.env' of service 'extra' cannot be read") })
    }

    @Test("values are interpolated as compose does: earlier lines, then the environment; single quotes are literal")
    func interpolation() throws {
        let files = ["e.env": "BASE=b\nFROM_FILE=${BASE}/x\nFROM_ENV=$OUTER\nQUOTED=\"${BASE}-q\"\nLITERAL='${BASE}'\n"]
        let variables = try environment("e.env", files: files, variables: ["OUTER": "o"])
        #expect(variables["FROM_FILE"] == "b/x")
        #expect(variables["FROM_ENV"] == "o")
        #expect(variables["QUOTED"] == "b-q")
        #expect(variables["LITERAL"] == "${BASE}")
    }

    @Test("format: raw takes each value exactly as written: quotes, $ and # kept")
    func rawFormat() throws {
        let files = ["r.env": "# comment\nQUOTED='kept'\nDOLLAR=${HOME}$x\nHASH=a #b\n\n"]
        let variables = try environment("[{path: r.env, format: raw}]", files: files)
        #expect(variables == ["QUOTED": "'kept'", "DOLLAR": "${HOME}$x", "HASH": "a #b"])
    }

    @Test("a format compose does not know is refused at its line")
    func unknownFormat() throws {
        let issues = try loadIssues(
            "name: p\nservices:\n  a:\n    image: x\n    env_file:\n      - path: e.env\n        format: json\n")
        let issue = try #require(issues.first)
        #expect(issue.message.contains("format 'json'"))
        #expect(issue.location?.line == 7)
        // Outside the active profiles the file is not opened, but its entry is still checked.
        let inactive = try loadIssues(
            "name: p\nservices:\n  a:\n    image: x\n    profiles: [later]\n    env_file:\n      - path: e.env\n"
                + "        format: json\n")
        #expect(inactive.contains { $0.message.contains("format 'json'") && $0.location?.line == 8 }, "\(inactive)")
    }
}
