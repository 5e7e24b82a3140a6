import Foundation
import Testing

@testable import PodmanAPI

@Suite("Container and health states decode to enums")
struct WireStateTests {
    @Test(
        "container states decode from Podman's text and encode back to it; unknown text is kept",
        arguments: [
            ("running", Podman.ContainerState.running), ("exited", .exited), ("stopping", .stopping),
            ("initialized", .initialized), ("created", .created), ("stopped", .stopped),
            ("hibernating", .unknown("hibernating")),
        ])
    func containerState(text: String, state: Podman.ContainerState) throws {
        let decoded = try JSONDecoder().decode(Podman.ContainerState.self, from: Data("\"\(text)\"".utf8))
        #expect(decoded == state)
        #expect(decoded.text == text)
        #expect("\(decoded)" == text)
        #expect(String(decoding: try JSONEncoder().encode(decoded), as: UTF8.self) == "\"\(text)\"")
    }

    @Test(
        "health verdicts decode from Podman's text, the empty text of a container without a check included",
        arguments: [
            ("healthy", Podman.HealthStatus.healthy), ("unhealthy", .unhealthy), ("starting", .starting),
            ("", .noCheck), ("resetting", .unknown("resetting")),
        ])
    func healthStatus(text: String, status: Podman.HealthStatus) throws {
        let decoded = try JSONDecoder().decode(Podman.HealthStatus.self, from: Data("\"\(text)\"".utf8))
        #expect(decoded == status)
        #expect(decoded.text == text)
    }

    @Test("only exited and stopped containers have ended")
    func ended() {
        #expect(Podman.ContainerState.exited.hasEnded && Podman.ContainerState.stopped.hasEnded)
        #expect(!Podman.ContainerState.running.hasEnded && !Podman.ContainerState.stopping.hasEnded)
    }
}
