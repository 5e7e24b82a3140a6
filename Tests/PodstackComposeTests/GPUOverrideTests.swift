import Foundation
import Testing

@testable import PodstackCompose

@Suite("The GPU overrides of compose/gpu: off by default, one device for ollama when named with -f")
struct GPUOverrideTests {
    let environment = testEnvironment(["XDG_DATA_HOME": "/data"])

    func load(_ names: [String]) throws -> Stack {
        let compose = repositoryRoot().appendingPathComponent("compose")
        let files = try ComposeDirectory.resolve(
            explicitDirectory: compose.path, files: names.map { compose.appendingPathComponent($0).path },
            environment: environment, currentDirectory: "/")
        return try StackLoader(environment: environment, envFiles: []).load(files: files)
    }

    @Test("the compose directory alone asks for no device: the CPU stays the default")
    func cpuByDefault() throws {
        let compose = repositoryRoot().appendingPathComponent("compose")
        let files = try ComposeDirectory.resolve(
            explicitDirectory: compose.path, files: [], environment: environment, currentDirectory: "/")
        let stack = try StackLoader(environment: environment, envFiles: []).load(files: files)
        #expect(stack.services.allSatisfy { $0.devices.isEmpty })
    }

    @Test(
        "each override gives ollama, and only ollama, its vendor's CDI device",
        arguments: [("gpu/local-ai.nvidia.yml", "nvidia.com/gpu=all"), ("gpu/local-ai.amd.yml", "amd.com/gpu=all")])
    func override(file: String, device: String) throws {
        let stack = try load(["local-ai.yml", file])
        #expect(stack.pods.map(\.name) == ["local-ai"])
        let pod = try #require(stack.pod(named: "local-ai"))
        #expect(pod.services.first { $0.name == "ollama" }?.devices.map(\.path) == [device])
        #expect(pod.services.filter { $0.name != "ollama" }.allSatisfy { $0.devices.isEmpty })
        #expect(stack.warnings.isEmpty)
    }
}
