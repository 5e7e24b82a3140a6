import Foundation
import PodstackTestSupport
import Testing

@testable import PodstackCompose

@Suite("Broken compose files")
struct BrokenFileTests {
    @Test("the corpus is big enough to mean something")
    func corpusSize() {
        #expect(BrokenFile.corpus.count >= 40)
        #expect(Set(BrokenFile.corpus.map(\.name)).count == BrokenFile.corpus.count)
    }

    @Test("each broken file is refused with its message at its line", arguments: BrokenFile.corpus)
    func refused(_ broken: BrokenFile) throws {
        let issues = try loadIssues(broken.yaml, environment: testEnvironment(broken.environment))
        let matching = issues.filter { $0.message.contains(broken.fragment) }
        #expect(
            !matching.isEmpty,
            "no issue mentions '\(broken.fragment)'; got:\n\(issues.map(\.description).joined(separator: "\n"))")
        #expect(
            matching.contains { $0.location?.line == broken.line },
            "'\(broken.fragment)' not at line \(broken.line); got:\n\(matching.map(\.description).joined(separator: "\n"))"
        )
        #expect(issues.allSatisfy { $0.location?.file.hasSuffix("stack.yml") ?? true })
    }

    @Test("every problem of a file is reported in one load, in line order")
    func allProblemsTogether() throws {
        let yaml = """
            name: p
            services:
              a:
                image: x
                imagee: y
                ports: ["70000:80"]
                depends_on: [nobody]
                restart: sometimes
            """
        let issues = try loadIssues(yaml)
        #expect(issues.map { $0.location?.line ?? 0 } == [5, 6, 7, 8])
    }

    @Test("the description reads like a compiler's, with file, line, column, message and hint")
    func descriptionFormat() throws {
        let issues = try loadIssues(BrokenFile.head + "    scale: 0\n")
        let description = try #require(issues.first?.description)
        #expect(
            description.hasSuffix(
                "stack.yml:5:12: error: scale of service 'a' is 0: podstack runs every service it loads (hint: leave the service out with profiles: instead)"
            ))
    }

    @Test("the same host port in two files is refused, pointing at the second")
    func portAcrossFiles() throws {
        let directory = try ScratchDirectory()
        let first = try directory.write(
            "a.yml", "name: one\nservices:\n  s:\n    image: x\n    ports: [\"${P:-8080}:80\"]\n")
        let second = try directory.write(
            "b.yml", "name: two\nservices:\n  s:\n    image: x\n    ports:\n      - \"8080:81\"\n")
        #expect {
            try StackLoader(environment: testEnvironment()).load(files: [first, second])
        } throws: { error in
            guard let issue = (error as? StackLoadError)?.issues.first else { return false }
            return issue.location?.file == second.path && issue.location?.line == 6
                && issue.message.contains("already published by service 's' of pod 'one'")
                && issue.hint == "move the other one with P=<free port>"
        }
    }

    @Test("a secret two files share by name must come from the same place; the second declaration is pointed at")
    func sharedSecretSources() throws {
        let directory = try ScratchDirectory()
        let secretA = try directory.write("a.pw", "one")
        let secretB = try directory.write("b.pw", "two")
        let file = { (pod: String, source: URL) in
            "name: \(pod)\nservices:\n  s:\n    image: x\n    secrets: [pw]\nsecrets:\n  pw:\n    name: shared\n    file: \(source.path)\n"
        }
        let first = try directory.write("a.yml", file("one", secretA))
        let same = try directory.write("b.yml", file("two", secretA))
        let stack = try StackLoader(environment: testEnvironment()).load(files: [first, same])
        #expect(stack.pods.map { $0.secrets.map(\.name) } == [["shared"], ["shared"]])

        let other = try directory.write("c.yml", file("three", secretB))
        #expect {
            try StackLoader(environment: testEnvironment()).load(files: [first, other])
        } throws: { error in
            guard let issue = (error as? StackLoadError)?.issues.first else { return false }
            return issue.location?.file == other.path && issue.location?.line == 7
                && issue.message.contains("secret 'shared' of pod 'three' is also declared by pod 'one'")
                && issue.message.contains("file \(secretA.path) instead of file \(secretB.path)")
        }
    }

    @Test("two files of a directory that name the same pod are one project, merged in file order")
    func samePodNamesMerge() throws {
        let directory = try ScratchDirectory()
        let first = try directory.write("a.yml", "name: same\nservices:\n  s:\n    image: x\n")
        let second = try directory.write("b.yml", "name: same\nservices:\n  t:\n    image: x\n  s:\n    image: y\n")
        let stack = try StackLoader(environment: testEnvironment()).load(files: [first, second])
        #expect(stack.pods.map(\.name) == ["same"])
        #expect(stack.pods.first?.services.map { "\($0.name)=\($0.image)" } == ["s=y", "t=x"])
    }

    @Test("a dependency on a service of another pod says so")
    func dependencyAcrossPods() throws {
        let directory = try ScratchDirectory()
        let first = try directory.write("a.yml", "name: one\nservices:\n  db:\n    image: x\n")
        let second = try directory.write("b.yml", "name: two\nservices:\n  app:\n    image: x\n    depends_on: [db]\n")
        #expect {
            try StackLoader(environment: testEnvironment()).load(files: [first, second])
        } throws: { error in
            (error as? StackLoadError)?.issues.first?.hint?.contains("'db' is in pod 'one'") == true
        }
    }

    @Test("a misspelt dependency suggests the close name, never the service itself")
    func dependencySuggestion() throws {
        let issues = try loadIssues(
            "name: p\nservices:\n  ollama:\n    image: x\n  webui:\n    image: x\n    depends_on: [olama]\n  a:\n    image: x\n    depends_on: [b]\n"
        )
        #expect(issues.map(\.hint) == ["did you mean 'ollama'?", nil])
    }

    @Test("a file that is not UTF-8 is refused with a sentence")
    func notUTF8() throws {
        let directory = try ScratchDirectory()
        let url = URL(fileURLWithPath: directory.path + "/bad.yml")
        try Data([0x6E, 0x61, 0xFF, 0xFE, 0x00, 0x80]).write(to: url)
        #expect {
            try StackLoader(environment: testEnvironment()).load(files: [url])
        } throws: { error in
            (error as? StackLoadError)?.issues.first?.message.contains("is not UTF-8 text") == true
        }
    }
}
