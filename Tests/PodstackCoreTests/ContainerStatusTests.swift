import Testing

@testable import PodstackCore

@Suite("Podman's status words as enums")
struct ContainerStatusTests {
    @Test(
        "each word Podman uses maps to its case; an unknown one is kept, not mistaken",
        arguments: [
            ("running", ContainerStatus.running), ("exited", .exited), ("stopped", .stopped),
            ("stopping", .stopping), ("created", .created), ("paused", .paused), ("removing", .removing),
            ("degraded", .other("degraded")), (nil, .other("")),
        ] as [(String?, ContainerStatus)])
    func containerWords(text: String?, status: ContainerStatus) {
        #expect(ContainerStatus(text) == status)
    }

    @Test("only exited and stopped count as ended")
    func ended() {
        #expect(ContainerStatus("exited").hasEnded && ContainerStatus("stopped").hasEnded)
        #expect(!ContainerStatus("running").hasEnded && !ContainerStatus("stopping").hasEnded)
        #expect(!ContainerStatus("something new").hasEnded)
    }

    @Test("health words round-trip to the text ps shows", arguments: ["starting", "healthy", "unhealthy", "odd"])
    func healthWords(text: String) {
        #expect(HealthStatus(text).text == text)
    }
}
