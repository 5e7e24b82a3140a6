import Foundation
import Testing

@testable import PodstackCompose

/// Compose `configs:`: top-level `file`, `content` and `environment`, used by services in the short and
/// the long form, each becoming a read-only bind of a file.
@Suite("configs, and the ids of secrets")
struct ConfigsKeyTests {
    static let data = "/srv/podstack-data"

    private func load(_ yaml: String, files: [String: String] = [:]) throws -> (Stack, String) {
        let directory = try ScratchDirectory()
        for (name, text) in files { try directory.write(name, text) }
        let file = try directory.write("stack.yml", yaml)
        let environment = testEnvironment(["PODSTACK_DATA_DIR": Self.data, "GREETING": "hello", "WHO": "you"])
        return (try StackLoader(environment: environment).load(files: [file]), directory.path)
    }

    @Test(
        "file, content and environment configs mount read-only at /<name> or the target; text is written under the data directory"
    )
    func forms() throws {
        let (stack, directory) = try load(
            """
            name: p
            services:
              a:
                image: x
                configs:
                  - app.conf
                  - source: inline
                    target: /etc/inline.txt
                  - source: from_env
                    target: relative.txt
                    mode: 0440
            configs:
              app.conf: {file: ./app.conf}
              inline:
                content: |
                  say ${GREETING}
              from_env: {environment: WHO}
            """, files: ["app.conf": "x=1\n"])
        let service = try #require(stack.services.first)
        let written = "\(Self.data)/configs/p/a/"
        #expect(
            service.configs == [
                ConfigMount(source: "app.conf", target: "/app.conf", hostPath: directory + "/app.conf"),
                ConfigMount(
                    source: "inline", target: "/etc/inline.txt", hostPath: written + "inline",
                    written: WrittenFile(text: "say hello\n")),
                ConfigMount(
                    source: "from_env", target: "/relative.txt", hostPath: written + "from_env",
                    written: WrittenFile(text: "you", mode: 0o440)),
            ])
        #expect(
            service.mounts
                == service.configs.map {
                    .bind(source: $0.hostPath, target: $0.target, readOnly: true, selinux: nil)
                })
    }

    @Test("a file config given a mode is copied under the data directory with it; the user's file keeps its own")
    func fileWithMode() throws {
        let (stack, _) = try load(
            "name: p\nservices:\n  a:\n    image: x\n    configs: [{source: c, mode: \"0400\"}]\nconfigs:\n  c: {file: c.txt}\n",
            files: ["c.txt": "text"])
        let config = try #require(stack.services.first?.configs.first)
        #expect(config.hostPath == "\(Self.data)/configs/p/a/c")
        #expect(config.written == WrittenFile(text: "text", mode: 0o400))
    }

    @Test(
        "what a config cannot be is refused at its line with the reason",
        arguments: [
            (
                "    configs: [missing]\n", "configs:\n  c: {content: x}\n", 5,
                "config 'missing' in configs of service 'a' is not declared"
            ),
            (
                "    configs: [c]\n", "configs:\n  c: {file: gone.txt}\n", 7,
                "file 'gone.txt' of config 'c' cannot be read"
            ),
            (
                "    configs: [c]\n", "configs:\n  c: {external: true, file: y}\n", 7,
                "config 'c' is external (made beforehand), so it takes no file:"
            ),
            (
                "    configs: [c]\n", "configs:\n  c: {external: true}\nsecrets:\n  c: {environment: HOME}\n", 5,
                "config 'c' is the Podman secret 'c', and a top-level secret has that key"
            ),
            (
                "    configs: [c]\n", "configs:\n  c: {environment: UNSET_ONE}\n", 7,
                "variable UNSET_ONE of config 'c' is not set"
            ),
            (
                "    configs: [c]\n", "configs:\n  c: {content: x, file: y}\n", 7,
                "needs exactly one of file:, content: or environment:"
            ),
            (
                "    configs: [c]\n", "configs:\n  c: {content: x, name: other}\n", 7,
                "'name' in config 'c' is not supported"
            ),
            (
                "    configs: [{source: c, uid: app}]\n", "configs:\n  c: {content: x}\n", 5,
                "uid of configs of service 'a' 'app' is not a number"
            ),
        ])
    func refusals(service: String, topLevel: String, line: Int, message: String) throws {
        let issues = try loadIssues("name: p\nservices:\n  a:\n    image: x\n" + service + topLevel)
        #expect(issues.count == 1, "\(issues)")
        let issue = try #require(issues.first)
        #expect(issue.message.contains(message), "\(issue.message)")
        #expect(issue.location?.line == line)
    }

    @Test("a config given a uid or gid is a Podman secret named by its text, mounted at its target with that owner")
    func ownedConfig() throws {
        func pod(_ text: String) throws -> PodDefinition {
            let (stack, _) = try load(
                "name: p\nservices:\n  a:\n    image: x\n    configs: [{source: c, target: /etc/c.conf, uid: \"1000\", gid: \"0\"}]\n"
                    + "configs:\n  c: {content: \(text)}\n")
            return try #require(stack.pods.first)
        }
        let first = try pod("one")
        let secret = try #require(first.secrets.first)
        #expect(secret.name.hasPrefix("p_config_c_") && secret.key == secret.name)
        #expect(secret.source == .text("one"))
        #expect(first.services.first?.configs == [])
        #expect(first.services.first?.mounts == [])
        #expect(
            first.services.first?.secrets == [
                SecretReference(source: secret.name, target: "/etc/c.conf", uid: "1000", gid: "0", mode: 0o644)
            ])
        #expect(try pod("two").secrets.first?.name != secret.name, "another text is another secret")
        #expect(try pod("one").secrets.first?.name == secret.name, "the same text is the same secret")
    }

    @Test(
        "an external config is the Podman secret of its name (name:, else its key), mounted at its target, made by no one but the user"
    )
    func externalConfig() throws {
        let (stack, _) = try load(
            """
            name: p
            services:
              a:
                image: x
                configs:
                  - made
                  - source: renamed
                    target: /etc/renamed.conf
                    uid: "1000"
                    mode: 0440
              b:
                image: x
                configs: [made]
            configs:
              made: {external: true}
              renamed: {external: true, name: site_conf}
            """)
        let pod = try #require(stack.pods.first)
        #expect(
            pod.secrets == [
                SecretDefinition(key: "made", name: "made", source: .external),
                SecretDefinition(key: "site_conf", name: "site_conf", source: .external),
            ], "one definition per secret, however many services mount it")
        let a = try #require(pod.service(named: "a"))
        #expect(
            a.secrets == [
                SecretReference(source: "made", target: "/made"),
                SecretReference(source: "site_conf", target: "/etc/renamed.conf", uid: "1000", mode: 0o440),
            ])
        #expect(a.configs == [] && a.mounts == [], "nothing is written or bound for it")
        #expect(pod.service(named: "b")?.secrets == [SecretReference(source: "made", target: "/made")])
    }

    @Test("a secret's uid or gid that is not a number is refused at its line, not dropped")
    func secretOwner() throws {
        let issues = try loadIssues(
            "name: p\nservices:\n  a:\n    image: x\n    secrets: [{source: s, uid: app}]\nsecrets:\n  s: {environment: HOME}\n"
        )
        #expect(issues.count == 1, "\(issues)")
        #expect(issues.first?.message.contains("uid of secrets of service 'a' 'app' is not a number") == true)
        #expect(issues.first?.location?.line == 5)
    }
}
