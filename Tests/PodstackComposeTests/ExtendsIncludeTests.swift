import Foundation
import Testing

@testable import PodstackCompose

@Suite("extends and include")
struct ExtendsIncludeTests {
    @Test("a chain of extends in one file merges from the far end, the extending service winning")
    func chainInOneFile() throws {
        let stack = try load(
            """
            name: p
            services:
              base:
                image: x
                environment: {A: base, B: base}
                ports: ["8080:80"]
              middle:
                extends: base
                environment: {B: middle}
                ports: !reset []
              top:
                extends: {service: middle}
                user: nobody
            """)
        let top = try #require(stack.pods.first?.service(named: "top"))
        #expect(top.image == "x")
        #expect(top.environment == ["A": "base", "B": "middle"])
        #expect(top.ports.isEmpty)
        #expect(top.user == "nobody")
    }

    @Test("a service of another file keeps that file's directory for its relative paths")
    func otherFile() throws {
        let directory = try ScratchDirectory()
        try directory.write("common/base.yml", "services:\n  web:\n    image: x\n    volumes: [\"./html:/srv\"]\n")
        let main = try directory.write(
            "stack.yml", "name: p\nservices:\n  site:\n    extends: {file: common/base.yml, service: web}\n")
        let stack = try StackLoader(environment: testEnvironment()).load(projectFiles: [main])
        let mount = try #require(stack.pods.first?.service(named: "site")?.mounts.first)
        #expect(MergeCase.describe(mount) == directory.path + "/common/html->/srv")
    }

    @Test("a cycle of extends across files is an error that names each step with its file and line")
    func cycleAcrossFiles() throws {
        let directory = try ScratchDirectory()
        try directory.write("b.yml", "services:\n  b:\n    image: x\n    extends: {file: a.yml, service: a}\n")
        let main = try directory.write(
            "a.yml", "name: p\nservices:\n  a:\n    image: x\n    extends: {file: b.yml, service: b}\n")
        let issue = try #require(projectIssues([main]).first)
        #expect(issue.message.hasPrefix("extends makes a cycle: 'a' (\(main.path):5:"))
        #expect(issue.message.hasSuffix("-> 'b' (\(directory.path)/b.yml:4:14) -> 'a'"))
        #expect(issue.location?.file == directory.path + "/b.yml" && issue.location?.line == 4)
    }

    @Test("extends of a service no file defines is an error at the extends")
    func unknownService() throws {
        let issues = try loadIssues("name: p\nservices:\n  a:\n    image: x\n    extends: nothing\n")
        #expect(issues.map(\.message) == ["extends names service 'nothing', which this project does not define"])
        #expect(issues.first?.location?.line == 5)
    }

    @Test("include brings in a project with its own directory and variables; a clash of names is an error")
    func include() throws {
        let directory = try ScratchDirectory()
        try directory.write(
            "db/compose.yaml", "services:\n  db:\n    image: ${DB_IMAGE}\n    volumes: [\"./data:/data\"]\n")
        try directory.write("db/db.env", "DB_IMAGE=postgres:16\n")
        let main = try directory.write(
            "stack.yml",
            "name: p\ninclude:\n  - path: db/compose.yaml\n    env_file: db/db.env\nservices:\n  app:\n    image: app\n"
        )
        let stack = try StackLoader(environment: testEnvironment()).load(projectFiles: [main])
        let db = try #require(stack.pods.first?.service(named: "db"))
        #expect(db.image == "postgres:16")
        #expect(db.mounts.map(MergeCase.describe) == [directory.path + "/db/data->/data"])

        let clash = try directory.write(
            "clash.yml", "name: p\ninclude: [db/compose.yaml]\nservices:\n  db:\n    image: mine\n")
        let issue = try #require(projectIssues([clash]).first)
        #expect(issue.message.contains("services 'db' is also defined by the included file"))
        #expect(issue.location?.file == clash.path && issue.location?.line == 4)
    }

    @Test("files that include each other are refused with the loop spelt out")
    func includeLoop() throws {
        let directory = try ScratchDirectory()
        try directory.write("b.yml", "include: [a.yml]\nservices:\n  b:\n    image: x\n")
        let main = try directory.write("a.yml", "name: p\ninclude: [b.yml]\nservices:\n  a:\n    image: x\n")
        #expect(
            projectIssues([main]).first?.message
                == "include of \(main.path) makes a loop: \(main.path) -> \(directory.path)/b.yml -> \(main.path)")
    }

    @Test("a key of an included file that podstack does not take is reported where it is written")
    func includedUnknownKey() throws {
        let directory = try ScratchDirectory()
        let part = try directory.write("part.yml", "services:\n  db:\n    image: x\nfoo: 1\nx-mine: 2\n")
        let main = try directory.write("a.yml", "name: p\ninclude: [part.yml]\nservices:\n  a:\n    image: x\n")
        let issues = projectIssues([main])
        #expect(issues.map(\.message) == ["'foo' in an included file is not supported by podstack"])
        #expect(issues.first?.location == SourceLocation(file: part.path, line: 4, column: 1))
    }

    @Test("x- keys at the top level and in a service are accepted and change nothing")
    func extensions() throws {
        let plain = try load("name: p\nservices:\n  s:\n    image: x\n")
        let extended = try load(
            "name: p\nx-top: {a: 1}\nservices:\n  s:\n    image: x\n    x-podman: {uidmaps: [\"0:1:1\"]}\n")
        #expect(
            extended.pods.map(\.services)
                == plain.pods.map(\.services).map { services in
                    services.map { service in
                        var moved = service
                        moved.location = extended.pods.first?.services.first?.location ?? service.location
                        return moved
                    }
                })
    }
}
