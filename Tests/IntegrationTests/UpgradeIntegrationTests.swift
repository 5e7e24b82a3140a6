import Foundation
import PodmanAPI
import PodstackCompose
import Testing

@testable import PodstackCore

/// A stack brought up by release 0.1.0, whose containers carry the config hash it wrote (a digest of the
/// whole service model), meets this release's `up`.
@Suite("Upgrading podstack keeps a running stack as it is", .enabled(if: TestBed.enabled))
struct UpgradeIntegrationTests {
    static let names = ["base", "child", "loner"]

    static func services(version: String) -> String {
        ScratchStack.service("base", environment: ["VERSION": version])
            + ScratchStack.service("child", dependsOn: [("base", "service_healthy")])
            + ScratchStack.service("loner", health: false, extra: "    labels:\n      team: data\n")
    }

    /// Makes every container anew as 0.1.0 made it: the same spec, labelled with the legacy digest.
    static func relabelAsRelease010(_ stack: ScratchStack, client: PodmanClient) async throws {
        let loaded = try StackLoader(environment: ProcessInfo.processInfo.environment)
            .load(files: [URL(fileURLWithPath: stack.directory + "/\(stack.pod).yml")])
        let pod = try #require(loaded.pod(named: stack.pod))
        for service in pod.services {
            var spec = ContainerSpecBuilder.container(service, in: pod)
            spec.labels?[StackLabels.configHash] = LegacyConfigDigest.v1(service)
            try await client.removeContainer(service.containerName, timeoutSeconds: 0)
            _ = try await client.createContainer(spec)
        }
        for name in names { try await client.startContainer("\(stack.pod)-\(name)") }
    }

    static func snapshot(_ stack: ScratchStack, client: PodmanClient) async throws -> [String: String] {
        var ids: [String: String] = [:]
        for name in names { ids[name] = try await client.inspectContainer("\(stack.pod)-\(name)").id }
        return ids
    }

    @Test("containers labelled by 0.1.0 are kept by this release's up; a changed service is still recreated")
    func legacyLabelsAreKept() async throws {
        let stack = try ScratchStack("upgr")
        try stack.write(Self.services(version: "1"))
        let podstack = try PodstackProcess()
        try await withCleanup({ await podstack.down(stack.directory) }) {
            let first = try await podstack.run(["up", "--compose-dir", stack.directory])
            #expect(first.status == 0, "\(first.output)")
            let client = try TestBed.client()
            try await Self.relabelAsRelease010(stack, client: client)
            let before = try await Self.snapshot(stack, client: client)

            let upgraded = try await podstack.run(["up", "--compose-dir", stack.directory, "--json"])
            #expect(upgraded.status == 0, "\(upgraded.output)")
            #expect(try await Self.snapshot(stack, client: client) == before, "every container kept")
            let ps = try await podstack.run(["ps", "--compose-dir", stack.directory, "--json"])
            #expect(
                ps.stdout.components(separatedBy: "\"upToDate\" : true").count - 1 == Self.names.count, "\(ps.stdout)")

            try stack.write(Self.services(version: "2"))
            let changed = try await podstack.run(["up", "--compose-dir", stack.directory])
            #expect(changed.status == 0, "\(changed.output)")
            let after = try await Self.snapshot(stack, client: client)
            #expect(after["base"] != before["base"], "the changed service is recreated")
            #expect(after["loner"] == before["loner"], "the unchanged one is kept")
            let label = try await client.inspectContainer("\(stack.pod)-base").config?.labels?[StackLabels.configHash]
            #expect(label?.hasPrefix(ConfigDigest.fingerprintPrefix) == true)
        }
    }
}
