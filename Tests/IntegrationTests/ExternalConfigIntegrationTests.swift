import Foundation
import PodmanAPI
import Testing

/// `configs:` with `external: true`: the Podman secret of that name, made beforehand by the user (as
/// `podman secret create NAME FILE` makes it), is the config's file in the container; podstack neither makes
/// nor removes it.
@Suite("external configs on the real rootless service", .enabled(if: TestBed.enabled))
struct ExternalConfigIntegrationTests {
    @Test(
        "up refuses (exit 1, the command that makes it) and makes nothing while the secret is missing; once made, the container reads it at the target, and down --volumes keeps it"
    )
    func externalConfig() async throws {
        let stack = try ScratchStack("extcfg")
        let secret = "\(stack.pod)_site_conf"
        try stack.write(
            ScratchStack.service(
                "app", mode: "sleep", health: false,
                extra: "    configs: [{source: site, target: /etc/site.conf, mode: 0440}]\n"),
            extra: "configs:\n  site:\n    external: true\n    name: \(secret)\n")
        let podstack = try PodstackProcess()
        let client = try TestBed.client()
        let container = "\(stack.pod)-app"
        try await withCleanup({
            await podstack.down(stack.directory, volumes: true)
            try? await client.removeSecret(secret)
        }) {
            let missing = try await podstack.run(["up", "--compose-dir", stack.directory], limit: .seconds(90))
            #expect(missing.status == 1, "\(missing.output)")
            #expect(missing.stderr.contains("the Podman secret '\(secret)' does not exist"), "\(missing.output)")
            #expect(missing.stderr.contains("podman secret create \(secret) FILE"), "\(missing.output)")
            #expect(try await client.podExists(stack.pod) == false, "nothing was made")

            let text = "server_name example.test; # \(UUID().uuidString)"
            _ = try await client.createSecret(name: secret, value: Data(text.utf8), labels: [:])
            let config = try await podstack.run(["config", "--compose-dir", stack.directory])
            #expect(config.stdout.contains("secret:  \(secret) -> /etc/site.conf  (made beforehand)"), "\(config.output)")
            let up = try await podstack.run(["up", "--compose-dir", stack.directory], limit: .seconds(90))
            try #require(up.status == 0, "\(up.output)")
            #expect(try await ComposeFilesIntegrationTests.file("/etc/site.conf", in: container) == ("440 0 0", text))

            let down = try await podstack.run(["down", "--volumes", "--compose-dir", stack.directory])
            #expect(down.status == 0, "\(down.output)")
            #expect(try await client.listSecrets().contains { $0.name == secret }, "the user's secret is kept")
        }
    }
}
