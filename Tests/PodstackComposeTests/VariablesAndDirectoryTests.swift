import Foundation
import PodstackTestSupport
import Testing

@testable import PodstackCompose

@Suite("Variables and the compose directory")
struct VariablesAndDirectoryTests {
    @Test("takes .env, then --env-file files in order, then the process environment, each winning over the last")
    func precedence() throws {
        let directory = try ScratchDirectory()
        try directory.write(".env", "A=dotenv\nB=dotenv\nC=dotenv\nD=dotenv\n")
        let first = try directory.write("first.env", "B=first\nC=first\nD=first\n")
        let second = try directory.write("second.env", "C=second\nD=second\n")
        let loader = StackLoader(environment: testEnvironment(["D": "process"]), envFiles: [first, second])
        let variables = try loader.variables(composeDirectory: directory.path)
        #expect(variables["A"] == "dotenv")
        #expect(variables["B"] == "first")
        #expect(variables["C"] == "second")
        #expect(variables["D"] == "process")
    }

    @Test(
        "defaults PODSTACK_DATA_DIR under XDG_DATA_HOME, else under HOME, unless it is set",
        arguments: [
            (["HOME": "/home/u"], "/home/u/.local/share/podman-ai-stack"),
            (["HOME": "/home/u/"], "/home/u/.local/share/podman-ai-stack"),
            (["HOME": "/home/u", "XDG_DATA_HOME": "/xdg"], "/xdg/podman-ai-stack"),
            (["HOME": "/home/u", "XDG_DATA_HOME": ""], "/home/u/.local/share/podman-ai-stack"),
            (["HOME": "/home/u", "PODSTACK_DATA_DIR": "/mine"], "/mine"),
            ([:], nil),
        ])
    func dataDirectory(environment: [String: String], expected: String?) throws {
        let directory = try ScratchDirectory()
        let variables = try StackLoader(environment: environment).variables(composeDirectory: directory.path)
        #expect(variables["PODSTACK_DATA_DIR"] == expected)
    }

    @Test("an empty or relative PODSTACK_DATA_DIR is refused before anything else", arguments: ["", "data", "./d"])
    func badDataDirectory(value: String) throws {
        let directory = try ScratchDirectory()
        #expect {
            try StackLoader(environment: ["HOME": "/home/u", "PODSTACK_DATA_DIR": value])
                .variables(composeDirectory: directory.path)
        } throws: { error in
            (error as? StackLoadError)?.issues.first?.message.contains("PODSTACK_DATA_DIR") == true
        }
    }

    @Test("a bind source that becomes / or a new directory directly under it is refused at its line")
    func bindAtFilesystemRoot() throws {
        let missing = "podstack-absent-\(UUID().uuidString.prefix(8))"
        let yaml =
            BrokenFile.head + "    volumes:\n      - ${EMPTY}/:/a\n      - ${EMPTY}/\(missing):/b\n      - /tmp:/c\n"
        let issues = try loadIssues(yaml, environment: testEnvironment(["EMPTY": ""]))
        #expect(issues.map { $0.location?.line } == [6, 7])
        #expect(issues.allSatisfy { $0.message.contains("filesystem root") })
    }

    @Test("a broken or missing --env-file is refused with its line")
    func brokenEnvFile() throws {
        let directory = try ScratchDirectory()
        let broken = try directory.write("broken.env", "OK=1\nnot a line\n")
        let missing = URL(fileURLWithPath: directory.path + "/missing.env")
        #expect {
            try StackLoader(environment: [:], envFiles: [broken, missing]).variables(composeDirectory: directory.path)
        } throws: { error in
            let issues = (error as? StackLoadError)?.issues ?? []
            return issues.count == 2 && issues[0].location?.line == 2 && issues[1].message.contains("cannot read")
        }
    }

    @Test("-f files win over every directory, and relative ones resolve against the current directory")
    func explicitFiles() throws {
        let directory = try ScratchDirectory()
        try directory.write("b.yml", "")
        try directory.write("compose/a.yml", "")
        let files = try ComposeDirectory.resolve(
            explicitDirectory: "/nowhere", files: ["b.yml"], environment: ["PODSTACK_COMPOSE_DIR": "/nowhere"],
            currentDirectory: directory.path)
        #expect(files.map(\.lastPathComponent) == ["b.yml"])
        #expect(throws: StackLoadError.self) {
            try ComposeDirectory.resolve(
                explicitDirectory: nil, files: ["nope.yml"], environment: [:], currentDirectory: directory.path)
        }
    }

    @Test("picks --compose-dir, then PODSTACK_COMPOSE_DIR, then ./compose, then the XDG config directory")
    func directoryPrecedence() throws {
        let root = try ScratchDirectory()
        for name in ["explicit", "fromenv", "cwd/compose", "config/podstack/compose"] {
            try root.write("\(name)/\(name.replacingOccurrences(of: "/", with: "-")).yml", "")
        }
        func resolve(_ explicit: String?, _ environment: [String: String], cwd: String) throws -> String? {
            try ComposeDirectory.resolve(
                explicitDirectory: explicit, files: [], environment: environment, currentDirectory: cwd
            ).first?.lastPathComponent
        }
        let everything = ["PODSTACK_COMPOSE_DIR": root.path + "/fromenv", "XDG_CONFIG_HOME": root.path + "/config"]
        #expect(try resolve(root.path + "/explicit", everything, cwd: root.path + "/cwd") == "explicit.yml")
        #expect(try resolve(nil, everything, cwd: root.path + "/cwd") == "fromenv.yml")
        #expect(
            try resolve(nil, ["XDG_CONFIG_HOME": root.path + "/config"], cwd: root.path + "/cwd") == "cwd-compose.yml")
        #expect(
            try resolve(nil, ["XDG_CONFIG_HOME": root.path + "/config"], cwd: root.path)
                == "config-podstack-compose.yml")
        #expect(throws: StackLoadError.self) { try resolve(nil, ["HOME": root.path + "/nohome"], cwd: root.path) }
    }

    @Test("a directory means its *.yml and *.yaml files, sorted, hidden ones and others left out")
    func directoryListing() throws {
        let root = try ScratchDirectory()
        for name in ["b.yaml", "a.yml", ".hidden.yml", "notes.txt", "c.yml.bak", "sub.yml/x.yml"] {
            try root.write(name, "")
        }
        let files = try ComposeDirectory.resolve(
            explicitDirectory: root.path, files: [], environment: [:], currentDirectory: "/")
        #expect(files.map(\.lastPathComponent) == ["a.yml", "b.yaml"])
    }

    @Test("an empty or missing compose directory is refused with where it came from")
    func emptyDirectory() throws {
        let root = try ScratchDirectory()
        #expect {
            try ComposeDirectory.resolve(
                explicitDirectory: nil, files: [], environment: ["PODSTACK_COMPOSE_DIR": root.path],
                currentDirectory: "/")
        } throws: { error in
            (error as? StackLoadError)?.issues.first?.message.contains(
                "(from PODSTACK_COMPOSE_DIR) has no .yml or .yaml files") == true
        }
        #expect {
            try ComposeDirectory.resolve(
                explicitDirectory: root.path + "/none", files: [], environment: [:], currentDirectory: "/")
        } throws: { error in
            (error as? StackLoadError)?.issues.first?.message.contains("(from --compose-dir) does not exist") == true
        }
    }

    @Test(
        "resolves paths with ~, relative parts and doubled slashes",
        arguments: [
            ("~/x", "/dir", "/h/x"), ("~", "/dir", "/h"), ("rel/./a//b", "/dir", "/dir/rel/a/b"),
            ("/a/../b", "/dir", "/b"),
            ("../up", "/dir/sub", "/dir/up"),
        ])
    func paths(path: String, directory: String, expected: String) {
        #expect(PathResolution.resolve(path, against: directory, home: "/h") == expected)
    }
}
