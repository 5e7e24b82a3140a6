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
            _ = try SecretValue.read(secret, variables: variables, runnerUID: geteuid())
            return nil
        } catch PodstackError.secretUnavailable(_, let problem) {
            return problem
        } catch {
            return nil
        }
    }

    @Test("a set variable gives its bytes")
    func variableValue() throws {
        let value = try SecretValue.read(Self.fromVariable("TOKEN"), variables: ["TOKEN": "s3cret"], runnerUID: geteuid())
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
        #expect(try SecretValue.read(Self.fromFile(full), variables: [:], runnerUID: geteuid()) == Data("pw".utf8))
        #expect(Self.problem(Self.fromFile(empty)) == .fileNotReadable(path: empty, generatedByUp: false))
        #expect(Self.problem(Self.fromFile(missing)) == .fileNotReadable(path: missing, generatedByUp: false))
        #expect(
            Self.problem(Self.fromFile(missing, generate: true)) == .fileNotReadable(path: missing, generatedByUp: true)
        )
        #expect(SecretValue.isToBeGenerated(Self.fromFile(missing, generate: true)))
        #expect(!SecretValue.isToBeGenerated(Self.fromFile(empty, generate: true)))
    }

    static func isUnsafe(_ problem: SecretProblem?, saying words: String) -> Bool {
        guard case .fileUnsafe(_, let reason) = problem else { return false }
        return reason.contains(words)
    }

    @Test("a link, a pipe, a directory or a file others can write is refused, and the link's target is not read")
    func untrustedFiles() throws {
        let directory = NSTemporaryDirectory() + "podstack-secret-\(UUID().uuidString)"
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let target = directory + "/root-only"
        try Data("not yours".utf8).write(to: URL(fileURLWithPath: target))
        let link = directory + "/link"
        try FileManager.default.createSymbolicLink(atPath: link, withDestinationPath: target)
        let pipe = directory + "/pipe"
        #expect(mkfifo(pipe, 0o600) == 0)
        let writable = directory + "/writable"
        try Data("pw".utf8).write(to: URL(fileURLWithPath: writable))
        #expect(chmod(writable, 0o662) == 0)
        #expect(Self.isUnsafe(Self.problem(Self.fromFile(link)), saying: "symbolic link"))
        #expect(Self.isUnsafe(Self.problem(Self.fromFile(pipe)), saying: "not a regular file"))
        #expect(Self.isUnsafe(Self.problem(Self.fromFile(directory)), saying: "not a regular file"))
        #expect(Self.isUnsafe(Self.problem(Self.fromFile(writable)), saying: "mode 662"))
    }

    @Test("a file owned by another user (not root) is refused, naming its owner")
    func foreignOwner() throws {
        var status = stat()
        status.st_mode = S_IFREG | 0o600
        status.st_uid = geteuid() == 4242 ? 4243 : 4242
        #expect(SecretFile.reason(status, runnerUID: geteuid())?.contains("owned by uid \(status.st_uid)") == true)
        status.st_uid = geteuid()
        #expect(SecretFile.reason(status, runnerUID: geteuid()) == nil)
        status.st_uid = 0
        #expect(SecretFile.reason(status, runnerUID: geteuid()) == nil)
    }

    @Test("a generated secret is whole or absent: a full disk leaves no file and says no space left on device")
    func generatedOnFullDisk() throws {
        let directory = NSTemporaryDirectory() + "podstack-secret-\(UUID().uuidString)"
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let path = directory + "/pw"
        var firstWrite = true
        let fullAfterFourBytes: (Int32, UnsafeRawPointer?, Int) -> Int = { fd, bytes, count in
            guard firstWrite else {
                errno = ENOSPC
                return -1
            }
            firstWrite = false
            return write(fd, bytes, min(count, 4))
        }
        var reason = ""
        do {
            try SecretFile.writeAtomically(Data("0123456789".utf8), to: path, writeBytes: fullAfterFourBytes)
        } catch PodstackError.hostFile(_, let why) {
            reason = why
        }
        #expect(reason.contains("no space left on device"))
        #expect(try FileManager.default.contentsOfDirectory(atPath: directory).isEmpty)
        try SecretFile.writeAtomically(Data("0123456789".utf8), to: path)
        #expect(SecretFile.contents(path, runnerUID: geteuid()) == Data("0123456789".utf8))
    }
}
