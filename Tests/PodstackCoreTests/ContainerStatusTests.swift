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

@Suite("Why a service is not ready: each its own case, the report's sentence from it")
struct NotReadyTests {
    @Test(
        "each case says what the report has always said",
        arguments: [
            (ReadinessWaiter.NotReady.exitedBeforeHealthy(exitCode: 3), "exited with code 3 before becoming healthy"),
            (.crashLooping(restarts: 2), "crash-looping: restarted 2 time(s) while waiting for healthy"),
            (
                .unhealthy(seconds: "12.0", lastCheck: "refused"),
                "unhealthy: its check kept failing for 12.0 s (start_period + interval × retries); last check said: refused"
            ),
            (.notHealthyInTime(lastCheck: ""), "not healthy within the wait timeout"),
            (.failedToComplete(exitCode: 1), "exited with code 1; dependents need it to complete successfully"),
            (.notCompletedInTime, "did not complete within the wait timeout"),
            (.exitedAtStart(exitCode: 127), "exited with code 127 right after start"),
        ])
    func sentences(reason: ReadinessWaiter.NotReady, sentence: String) {
        #expect(reason.description == sentence)
    }
}
