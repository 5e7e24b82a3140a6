import Foundation
import PodmanAPI
import Testing

@testable import PodstackCore

@Suite("A client error thrown as what it means to the command")
struct RethrowTests {
    struct Unrelated: Error {}

    static func thrown(_ error: any Error) -> any Error {
        do {
            try PodstackError.rethrow(error, during: "a step")
        } catch {
            return error
        }
    }

    @Test("a cancelled request stays cancellation, not a failure")
    func cancelled() {
        #expect(Self.thrown(PodmanError.transport(.cancelled, socketPath: "/s")) is CancellationError)
    }

    @Test("a socket that refuses mid-run means the service went away: unavailable, advice to restart and rerun")
    func wentAway() {
        guard
            case PodstackError.podmanUnavailable(let failure) = Self.thrown(
                PodmanError.transport(.connectionRefused, socketPath: "/s"))
        else {
            Issue.record("not podmanUnavailable")
            return
        }
        #expect(failure.remedy == .restartAndRerun)
        #expect(failure.description.contains("a step"))
    }

    @Test("a refused request names its step; an error that is not the client's passes through")
    func refusedAndUnrelated() {
        let http = PodmanError.http(status: 500, route: "GET /x", body: nil, rawBody: "")
        guard case PodstackError.podman(_, let step) = Self.thrown(http) else {
            Issue.record("not .podman")
            return
        }
        #expect(step == "a step")
        #expect(Self.thrown(Unrelated()) is Unrelated)
    }
}
