import Foundation
import PodmanAPI
import PodstackCompose
import Testing

@testable import PodstackCore

/// Pods come up in parallel; two files may name the same volume or secret (`name:` in both). Whoever
/// creates it second must take the first one's as its own, not fail.
@Suite("Volumes and secrets shared between pods", .enabled(if: TestBed.enabled))
struct SharedResourceTests {
    @Test("eight pods that share a volume and a secret make them at the same moment: all succeed, each exists once")
    func concurrentFirstCreate() async throws {
        let id = UUID().uuidString.prefix(8).lowercased()
        let directory = try PodstackProcess.temporaryDirectory("shared")
        let secretFile = directory + "/pw"
        try "pstest-\(id)".write(toFile: secretFile, atomically: true, encoding: .utf8)
        let volume = VolumeDefinition(name: "pstest-shared-\(id)", key: "data")
        let secret = SecretDefinition(key: "pw", name: "pstest-shared-\(id)_pw", source: .file(path: secretFile))
        let client = try TestBed.client()
        try await withCleanup({
            try? await client.removeVolume(volume.name, force: true)
            try? await client.removeSecret(secret.name)
        }) {
            let preparation = StackPreparation(
                client: client, serviceOwnerUID: 0, runnerUID: 0, environment: [:], events: { _ in })
            // Each round starts from nothing; eight pods race for the first create.
            for _ in 0..<3 {
                try await withThrowingTaskGroup(of: Void.self) { group in
                    for index in 0..<8 {
                        let pod = PodDefinition(
                            name: "pstest-shared-\(id)-\(index)", sourceFile: "p\(index).yml", services: [],
                            volumes: [volume], secrets: [secret])
                        group.addTask {
                            try await preparation.ensureSecrets(pod)
                            try await preparation.ensureVolumes(pod)
                        }
                    }
                    try await group.waitForAll()
                }
                // Names are unique in Podman, so existing is existing once. (Not Podman's lists: on 4.3 they fail
                // while another test removes a volume.)
                #expect(try await client.volumeExists(volume.name))
                #expect(try await client.inspectSecret(secret.name).name == secret.name)
                try await client.removeVolume(volume.name, force: true)
                try await client.removeSecret(secret.name)
            }
        }
    }

    @Test(
        "down --volumes of one pod keeps a volume and a secret another pod of the stack declares too; taking both down removes them"
    )
    func downKeepsWhatAnotherPodUses() async throws {
        let first = try ScratchStack("sharea")
        let second = "\(first.pod)-b"
        let volume = "\(first.pod)-vol"
        let secret = "\(first.pod)-pw"
        let secretFile = first.directory + "/pw"
        try "pstest-shared".write(toFile: secretFile, atomically: true, encoding: .utf8)
        let shared = """
            volumes:
              data:
                name: \(volume)
            secrets:
              pw:
                name: \(secret)
                file: \(secretFile)

            """
        let service = { (name: String) in
            ScratchStack.service(
                name, mode: "sleep", health: false, extra: "    volumes:\n      - data:/data\n    secrets: [pw]\n")
        }
        try first.write(service("one"), extra: shared)
        try ("name: \(second)\nservices:\n" + service("two") + shared).write(
            toFile: first.directory + "/\(second).yml", atomically: true, encoding: .utf8)
        let podstack = try PodstackProcess()
        try await withCleanup({ await podstack.down(first.directory, volumes: true) }) {
            let client = try TestBed.client()

            let up = try await podstack.run(["up", "--compose-dir", first.directory])
            try #require(up.status == 0, "\(up.output)")
            for pod in [first.pod, second] {
                let alone = try await podstack.run(["down", "--volumes", "--compose-dir", first.directory, pod])
                #expect(alone.status == 0, "\(alone.output)")
                #expect(try await client.volumeExists(volume), "down --volumes \(pod) alone keeps the shared volume")
                #expect((try? await client.inspectSecret(secret)) != nil, "and the shared secret")
                try #require(try await podstack.run(["up", "--compose-dir", first.directory]).status == 0)
            }
            let both = try await podstack.run(["down", "--volumes", "--compose-dir", first.directory])
            #expect(both.status == 0, "\(both.output)")
            #expect(try await client.volumeExists(volume) == false)
            #expect((try? await client.inspectSecret(secret)) == nil)
        }
    }
}
