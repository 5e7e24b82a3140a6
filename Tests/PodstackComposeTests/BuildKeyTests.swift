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

    @Test("network, extra_hosts, secrets, shm_size and cache_from are read; a secret's target names its id")
    func readsRunSettings() throws {
        let directory = try ScratchDirectory()
        let token = try directory.write("token.txt", "t0ken\n")
        chmod(token.path, 0o600)
        let file = try directory.write(
            "stack.yml",
            """
            name: p
            services:
              api:
                build:
                  context: .
                  network: host
                  extra_hosts: ["db:10.0.0.5", "gw=host-gateway"]
                  secrets: [token, {source: cert, target: tls}]
                  shm_size: 128m
                  cache_from: [registry.example/app, "type=registry,ref=registry.example/cache"]
                  cache_to: ["type=registry,ref=registry.example/cache"]
                pull_policy: build
            secrets:
              token: {file: ./token.txt}
              cert: {environment: CERT}
            """)
        let service = try #require(try StackLoader(environment: testEnvironment(["CERT": "c"])).load(files: [file]).services.first)
        let build = try #require(service.build)
        #expect(build.network == "host")
        #expect(build.extraHosts == ["db:10.0.0.5", "gw:host-gateway"])
        #expect(build.secrets.map(\.id) == ["token", "tls"])
        #expect(build.secrets.last?.source == .environment(variable: "CERT"))
        #expect(build.shmSize == 134_217_728)
        #expect(build.cacheFrom == ["registry.example/app", "registry.example/cache"])
        #expect(build.cacheTo == ["registry.example/cache"])
        #expect(service.pullPolicy == .build)
    }

    @Test(
        "pull_policy reads every value compose defines",
        arguments: [
            ("always", PullPolicy.always), ("missing", .missing), ("if_not_present", .missing), ("never", .never),
            ("daily", .refresh(seconds: 86_400)), ("weekly", .refresh(seconds: 604_800)),
            ("every_12h", .refresh(seconds: 43_200)), ("every_1w2d", .refresh(seconds: 777_600)),
            ("every_90m30s", .refresh(seconds: 5_430)),
        ])
    func pullPolicies(text: String, policy: PullPolicy) throws {
        let service = try #require(
            try load("name: p\nservices:\n  a:\n    image: x\n    pull_policy: \(text)\n").services.first)
        #expect(service.pullPolicy == policy)
    }

    @Test("pull_policy values compose does not define are refused", arguments: ["every_", "every_5", "every_1y", "hourly"])
    func badPullPolicies(text: String) {
        #expect(PullPolicy(compose: text) == nil)
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
            ("    build: {context: ., network: backend}", "is a named network"),
            ("    build: {context: ., cache_from: [type=local,src=/tmp/c]}", "is not an image repository"),
            ("    build: {context: ., cache_to: [type=inline]}", "is not an image repository"),
            ("    build: {context: ., extra_hosts: [db]}", "needs a name and an address"),
            ("    build: {context: ., shm_size: lots}", "is not a size"),
            ("    build: {context: ., secrets: [undeclared]}", "is not declared under the top-level secrets"),
            ("    pull_policy: sometimes", "is not a pull policy"),
            ("    pull_policy: build", "needs build:"),
        ])
    func refused(line: String, fragment: String) throws {
        let issues = try loadIssues("name: p\nservices:\n  a:\n" + line + "\n")
        let matching = issues.filter { $0.message.contains(fragment) }
        #expect(!matching.isEmpty, "\(issues.map(\.description))")
        #expect(matching.allSatisfy { $0.location?.line == 4 })
    }
}
