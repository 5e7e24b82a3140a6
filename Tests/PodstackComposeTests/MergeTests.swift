import Foundation
import Testing

@testable import PodstackCompose

/// One merge rule: a key of service `s` in a base file and in an override file, and what the merged
/// service holds, rendered as text.
struct MergeCase: Sendable, CustomTestStringConvertible {
    var name: String
    var base: String
    var override: String
    var render: @Sendable (ServiceDefinition) -> String
    var expected: String

    var testDescription: String { name }

    /// The two files of a project: `s` (and a `db` to depend on) in the base, `s` again in the override.
    var files: (base: String, override: String) {
        (
            "name: p\nservices:\n  db:\n    image: db\n  s:\n    image: x\n" + base + "\n",
            "services:\n  s:\n" + override + "\n"
        )
    }

    static let cases: [MergeCase] = [
        MergeCase(
            name: "a single value is replaced", base: "    user: one", override: "    user: two",
            render: { $0.user ?? "" }, expected: "two"),
        MergeCase(
            name: "command is replaced, not appended", base: "    command: [a, b]", override: "    command: [c]",
            render: { $0.command?.joined(separator: " ") ?? "" }, expected: "c"),
        MergeCase(
            name: "entrypoint is replaced, not appended", base: "    entrypoint: a b", override: "    entrypoint: [c]",
            render: { $0.entrypoint?.joined(separator: " ") ?? "" }, expected: "c"),
        MergeCase(
            name: "environment merges by variable across the list and mapping forms",
            base: "    environment: [A=1, B=2]", override: "    environment: {B: 3, C: 4}",
            render: {
                $0.environment.sorted { $0.key < $1.key }.map { "\($0.key)=\($0.value)" }.joined(separator: ",")
            },
            expected: "A=1,B=3,C=4"),
        MergeCase(
            name: "labels merge by name across the mapping and list forms",
            base: "    labels: {a: one, b: two}", override: "    labels: [b=zwei, c=drei]",
            render: { $0.labels.sorted { $0.key < $1.key }.map { "\($0.key)=\($0.value)" }.joined(separator: ",") },
            expected: "a=one,b=zwei,c=drei"),
        MergeCase(
            name: "ports are unique by address, host port, container port and protocol, in either syntax",
            base: "    ports: [\"8080:80\"]",
            override: "    ports:\n      - {target: 80, published: 8080}\n      - \"9090:90\"",
            render: describePorts, expected: "8080->80,9090->90"),
        MergeCase(
            name: "a volume for the same target replaces the earlier one in place",
            base: "    volumes: [\"/srv/a:/data\", \"/srv/c:/cache\"]", override: "    volumes: [\"/srv/b:/data\"]",
            render: { $0.mounts.map(Self.describe).joined(separator: ",") }, expected: "/srv/b->/data,/srv/c->/cache"),
        MergeCase(
            name: "!reset removes the earlier list", base: "    ports: [\"8080:80\"]", override: "    ports: !reset []",
            render: { "\($0.ports.count) ports" }, expected: "0 ports"),
        MergeCase(
            name: "!override replaces the earlier list instead of merging",
            base: "    ports: [\"8080:80\", \"8081:81\"]", override: "    ports: !override [\"9090:90\"]",
            render: describePorts, expected: "9090->90"),
        MergeCase(
            name: "!reset removes a single value", base: "    user: one", override: "    user: !reset null",
            render: { $0.user ?? "unset" }, expected: "unset"),
        MergeCase(
            name: "depends_on merges by service across the list and mapping forms",
            base: "    depends_on: [db]", override: "    depends_on:\n      db: {condition: service_healthy}",
            render: { $0.dependsOn.map { "\($0.service):\($0.condition.rawValue)" }.joined(separator: ",") },
            expected: "db:service_healthy"),
        MergeCase(
            name: "healthcheck merges its keys, its test replaced",
            base: "    healthcheck: {test: [CMD, a], interval: 7s}", override: "    healthcheck: {test: [CMD, b]}",
            render: {
                ($0.healthcheck?.test.joined(separator: " ") ?? "") + " every \($0.healthcheck?.intervalSeconds ?? 0)"
            },
            expected: "CMD b every 7.0"),
        MergeCase(
            name: "plain lists append without repeating an item", base: "    profiles: [a, b]",
            override: "    profiles: [b, c]", render: { $0.profiles.joined(separator: ",") }, expected: "a,b,c"),
    ]

    @Sendable static func describePorts(_ service: ServiceDefinition) -> String {
        service.ports.map { "\($0.hostPort)->\($0.containerPort)" }.joined(separator: ",")
    }

    static func describe(_ mount: MountDefinition) -> String {
        switch mount {
        case .bind(let source, let target, _, _): "\(source)->\(target)"
        case .volume(let name, let target, _): "\(name)->\(target)"
        }
    }
}

@Suite("Merging compose files")
struct MergeTests {
    @Test("each key merges by compose's rule", arguments: MergeCase.cases)
    func mergeRule(_ rule: MergeCase) throws {
        let directory = try ScratchDirectory()
        let base = try directory.write("base.yml", rule.files.base)
        let override = try directory.write("override.yml", rule.files.override)
        let stack = try StackLoader(environment: testEnvironment(), profiles: ["a", "b", "c"])
            .load(projectFiles: [base, override])
        let service = try #require(stack.pods.first?.service(named: "s"))
        #expect(rule.render(service) == rule.expected)
    }

    @Test("an error in a later file points at that file and line, and one in the base at the base")
    func errorsKeepTheirFile() throws {
        let directory = try ScratchDirectory()
        let base = try directory.write("base.yml", "name: p\nservices:\n  s:\n    image: x\n    user: \"\"\n")
        let override = try directory.write("gpu.yml", "services:\n  s:\n    ports: [\"70000:80\"]\n")
        let locations = projectIssues([base, override]).compactMap(\.location)
        #expect(
            locations.map { "\(URL(fileURLWithPath: $0.file).lastPathComponent):\($0.line)" } == [
                "base.yml:5", "gpu.yml:3",
            ])
    }

    @Test("a later file adds services; its relative paths resolve against the first file's directory")
    func laterFilesAddAndRename() throws {
        let directory = try ScratchDirectory()
        let base = try directory.write("base.yml", "name: p\nservices:\n  s:\n    image: x\n")
        let override = try directory.write(
            "more/extra.yml", "services:\n  t:\n    image: y\n    volumes: [\"./data:/data\"]\n")
        let stack = try StackLoader(environment: testEnvironment()).load(projectFiles: [base, override])
        #expect(stack.pods.map(\.name) == ["p"])
        #expect(stack.pods.first?.services.map(\.name) == ["s", "t"])
        let mount = try #require(stack.pods.first?.service(named: "t")?.mounts.first)
        #expect(MergeCase.describe(mount) == directory.path + "/data->/data")
    }

    @Test("!reset on a key of a single file leaves the key out, as compose does")
    func resetInOneFile() throws {
        let stack = try load("name: p\nservices:\n  s:\n    image: x\n    user: !reset nobody\n")
        #expect(stack.pods.first?.services.first?.user == nil)
    }
}
