import Foundation
import Testing

@testable import PodstackCompose

@Suite("build: of a service")
struct BuildKeyTests {
    @Test("a mapping is read into the build definition, its context taken from the file's directory")
    func readsMapping() throws {
        let directory = try ScratchDirectory()
        let file = try directory.write(
            "stack.yml",
            """
            name: p
            services:
              api:
                image: localhost/api:dev
                build:
                  context: ./src
                  dockerfile: docker/Containerfile
                  args: {VERSION: "1.2", EMPTY: null}
                  target: runtime
                  labels: [team=ai]
                  no_cache: true
                  pull: true
                  tags: [localhost/api:latest]
                  platforms: [\(NodeReader.hostPlatforms[0])]
            """)
        let service = try #require(try StackLoader(environment: testEnvironment()).load(files: [file]).services.first)
        let build = try #require(service.build)
        #expect(service.image == "localhost/api:dev")
        #expect(build.context == PathResolution.normalize(directory.path + "/src"))
        #expect(build.dockerfile == "docker/Containerfile")
        let args: [String: String?] = ["VERSION": "1.2", "EMPTY": nil]
        #expect(build.args == args)
        #expect(build.target == "runtime" && build.labels == ["team": "ai"] && build.tags == ["localhost/api:latest"])
        #expect(build.noCache && build.pull)
        #expect(build.location.line == 5)
    }

    @Test("a service with build and no image loads, named localhost/<pod>-<service> in lower case")
    func defaultImage() throws {
        let service = try #require(try load("name: p\nservices:\n  Web:\n    build: .\n").services.first)
        #expect(service.image == "localhost/p-web")
        #expect(service.build?.dockerfile == nil)
        #expect(service.build?.context.hasPrefix("/") == true)
    }

    @Test("a service with neither build nor image is still refused")
    func neither() throws {
        let issues = try loadIssues("name: p\nservices:\n  a:\n    command: [x]\n")
        #expect(issues.contains { $0.message.contains("has no image") })
    }

    @Test(
        "a build podstack cannot run here is refused at its line, with the reason",
        arguments: [
            ("    build: https://github.com/x/y.git", "remote (Git or URL) context"),
            ("    build: {context: git@github.com:x/y.git}", "remote (Git or URL) context"),
            ("    build: {context: ., ssh: [default]}", "'ssh' in build of service 'a' is not supported"),
            ("    build: {context: ., platforms: [linux/s390x]}", "is not this host's"),
            ("    build: {context: ., dockerfile: ../Dockerfile}", "is not a path inside the build context"),
            ("    build: {context: ., dockerfile: D, dockerfile_inline: FROM x}", "both dockerfile and dockerfile_inline"),
            ("    build: {context: ., no_cache: maybe}", "must be true or false"),
        ])
    func refused(line: String, fragment: String) throws {
        let issues = try loadIssues("name: p\nservices:\n  a:\n" + line + "\n")
        let matching = issues.filter { $0.message.contains(fragment) }
        #expect(!matching.isEmpty, "\(issues.map(\.description))")
        #expect(matching.allSatisfy { $0.location?.line == 4 })
    }
}
