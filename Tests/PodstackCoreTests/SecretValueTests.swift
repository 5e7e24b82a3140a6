import Foundation
import PodstackCompose
import Testing

@testable import PodstackCore

@Suite("One reader of secret values, one rule for up and kube")
struct SecretValueTests {
    static func fromVariable(_ variable: String) -> SecretDefinition {
        SecretDefinition(key: "token", name: "p_token", source: .environment(variable: variable))
    }

    static func fromFile(_ path: String, generate: Bool = false) -> SecretDefinition {
        var secret = SecretDefinition(key: "pw", name: "p_pw", source: .file(path: path))
        secret.generateIfMissing = generate
        return secret
    }

    static func problem(_ secret: SecretDefinition, variables: [String: String] = [:]) -> SecretProblem? {
        do {
            _ = try SecretValue.read(secret, variables: variables)
            return nil
        } catch PodstackError.secretUnavailable(_, let problem) {
            return problem
        } catch {
            return nil
        }
    }

    @Test("a set variable gives its bytes")
    func variableValue() throws {
        let value = try SecretValue.read(Self.fromVariable("TOKEN"), variables: ["TOKEN": "s3cret"])
        #expect(value == Data("s3cret".utf8))
    }

    @Test("an unset or empty variable is refused, naming the variable", arguments: [[:], ["TOKEN": ""]])
    func emptyVariable(variables: [String: String]) {
        #expect(Self.problem(Self.fromVariable("TOKEN"), variables: variables) == .variableNotSet(variable: "TOKEN"))
    }

    @Test("a readable file gives its bytes; an empty or missing one is refused, saying whether up generates it")
    func files() throws {
        let directory = NSTemporaryDirectory() + "podstack-secret-\(UUID().uuidString)"
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let full = directory + "/full"
        let empty = directory + "/empty"
        let missing = directory + "/missing"
        try Data("pw".utf8).write(to: URL(fileURLWithPath: full))
        try Data().write(to: URL(fileURLWithPath: empty))
        #expect(try SecretValue.read(Self.fromFile(full), variables: [:]) == Data("pw".utf8))
        #expect(Self.problem(Self.fromFile(empty)) == .fileNotReadable(path: empty, generatedByUp: false))
        #expect(Self.problem(Self.fromFile(missing)) == .fileNotReadable(path: missing, generatedByUp: false))
        #expect(
            Self.problem(Self.fromFile(missing, generate: true)) == .fileNotReadable(path: missing, generatedByUp: true)
        )
        #expect(SecretValue.isToBeGenerated(Self.fromFile(missing, generate: true)))
        #expect(!SecretValue.isToBeGenerated(Self.fromFile(empty, generate: true)))
    }
}
