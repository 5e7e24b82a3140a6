import Foundation
import Testing

@testable import PodstackCompose

@Suite("Project names and override files")
struct ProjectNameTests {
    @Test(
        "derived names are normalised as compose does",
        arguments: [
            ("My Project", "myproject"), ("__web-1", "web-1"), ("a.b_c", "ab_c"), ("Ünïcode-2", "ncode-2"),
            ("---", ""), ("local-ai", "local-ai"),
        ])
    func normalise(_ written: String, _ normalised: String) {
        #expect(ProjectName.normalize(written) == normalised)
    }

    @Test(
        "a file's location gives the name: the directory's for the standard names, else the stem",
        arguments: [
            ("/srv/My Stack/compose.yaml", "mystack"), ("/srv/ai/docker-compose.yml", "ai"),
            ("/srv/ai/compose.override.yaml", "ai"), ("/srv/compose/local-ai.yml", "local-ai"),
            ("/srv/compose/gpu.override.yaml", "gpu"), ("/srv/compose/Open.WebUI.yml", "openwebui"),
        ])
    func derivedName(_ path: String, _ name: String) {
        #expect(ProjectName.derived(fromFile: path) == name)
    }

    @Test("without name:, -p names the pod, else COMPOSE_PROJECT_NAME, else the file; name: wins over both")
    func precedence() throws {
        let directory = try ScratchDirectory()
        let nameless = try directory.write("stack.yml", "services:\n  s:\n    image: x\n")
        let named = try directory.write("named.yml", "name: written\nservices:\n  s:\n    image: x\n")
        let withEnvironment = StackLoader(environment: testEnvironment(["COMPOSE_PROJECT_NAME": "fromenv"]))
        let plain = StackLoader(environment: testEnvironment())
        #expect(try plain.load(projectFiles: [nameless]).pods.map(\.name) == ["stack"])
        #expect(try withEnvironment.load(projectFiles: [nameless]).pods.map(\.name) == ["fromenv"])
        #expect(try withEnvironment.load(projectFiles: [nameless], projectName: "given").pods.map(\.name) == ["given"])
        #expect(try withEnvironment.load(projectFiles: [named], projectName: "given").pods.map(\.name) == ["written"])
    }

    @Test("a -p that compose would refuse is refused, and so is -p for a directory of several pods")
    func invalidProjectName() throws {
        let directory = try ScratchDirectory()
        let first = try directory.write("a.yml", "services:\n  s:\n    image: x\n")
        let second = try directory.write("b.yml", "services:\n  s:\n    image: x\n")
        let loader = StackLoader(environment: testEnvironment())
        #expect(throws: StackLoadError.self) { try loader.load(projectFiles: [first], projectName: "Not Valid") }
        #expect {
            try loader.load(files: [first, second], projectName: "one")
        } throws: { error in
            (error as? StackLoadError)?.issues.first?.message.contains("names one project") == true
        }
        // COMPOSE_PROJECT_NAME is left alone for several pods: it is often set for some other project.
        let several = try StackLoader(environment: testEnvironment(["COMPOSE_PROJECT_NAME": "x"]))
            .load(files: [first, second])
        #expect(several.pods.map(\.name) == ["a", "b"])
    }

    @Test("compose.override.yaml beside compose.yaml is read after it, as one pod named after the directory")
    func standardOverride() throws {
        let directory = try ScratchDirectory()
        try directory.write("My App/compose.yaml", "services:\n  s:\n    image: x\n    ports: [\"8080:80\"]\n")
        try directory.write("My App/compose.override.yaml", "services:\n  s:\n    image: y\n")
        let urls = try ComposeDirectory.resolve(
            explicitDirectory: directory.path + "/My App", files: [], environment: testEnvironment(),
            currentDirectory: "/")
        let stack = try StackLoader(environment: testEnvironment()).load(files: urls)
        #expect(stack.pods.map(\.name) == ["myapp"])
        #expect(stack.pods.first?.services.map(\.image) == ["y"])
        #expect(stack.pods.first?.services.first?.ports.map(\.hostPort) == [8080])
    }

    @Test("in a compose directory, <pod>.override.yml and files naming the same pod merge into that pod")
    func directoryGrouping() throws {
        let directory = try ScratchDirectory()
        let files = try [
            directory.write("aidb.override.yml", "services:\n  api:\n    image: api-gpu\n"),
            directory.write("aidb.yml", "name: aidb\nservices:\n  api:\n    image: api\n"),
            directory.write("extra.yml", "name: aidb\nservices:\n  tool:\n    image: tool\n"),
            directory.write("local-ai.yml", "services:\n  ollama:\n    image: ollama\n"),
        ]
        let stack = try StackLoader(environment: testEnvironment()).load(files: files.sorted { $0.path < $1.path })
        #expect(stack.pods.map(\.name) == ["aidb", "local-ai"])
        #expect(stack.pods.first?.services.map { "\($0.name)=\($0.image)" } == ["api=api-gpu", "tool=tool"])
    }
}

@Suite("Files named with -f")
struct CommandLineFilesTests {
    @Test("-f files are one pod, a nameless later file joining it, and a file naming another pod starts that pod")
    func grouping() throws {
        let directory = try ScratchDirectory()
        let files = try [
            directory.write("local-ai.yml", "name: local-ai\nservices:\n  ollama:\n    image: ollama\n"),
            directory.write("gpu.yml", "services:\n  ollama:\n    image: ollama-gpu\n"),
            directory.write("aidb.yml", "name: aidb\nservices:\n  db:\n    image: postgres\n"),
            directory.write("aidb-more.yml", "name: aidb\nservices:\n  api:\n    image: api\n"),
        ]
        let stack = try StackLoader(environment: testEnvironment()).load(projectFiles: files)
        #expect(stack.pods.map(\.name) == ["local-ai", "aidb"])
        #expect(stack.pods.map { $0.services.map(\.image) } == [["ollama-gpu"], ["postgres", "api"]])
    }
}
