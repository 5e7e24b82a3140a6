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
        defer {
            Task {
                try? await client.removeVolume(volume.name, force: true)
                try? await client.removeSecret(secret.name)
            }
        }
        let preparation = StackPreparation(client: client, serviceOwnerUID: 0, environment: [:], events: { _ in })
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
