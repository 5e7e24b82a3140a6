import Foundation
import Testing

@testable import PodstackCompose
@testable import PodstackCore

/// What `up` does about an image, from its services' `build:` and `pull_policy`.
@Suite("pull_policy decides")
struct PullPolicyActionTests {
    static func service(_ policy: PullPolicy, build: Bool = false) -> ServiceDefinition {
        var service = ServiceDefinition(name: "a", podName: "p", image: "x", location: PlannerTests.here)
        service.pullPolicy = policy
        if build { service.build = BuildDefinition(context: "/src", location: PlannerTests.here) }
        return service
    }

    static let now = Date(timeIntervalSince1970: 1_000_000)

    static func action(
        _ policies: [PullPolicy], build: Bool = false, present: Bool, rebuild: Bool = false, pulledAgo: Double? = nil
    ) -> StackPreparation.ImageAction {
        StackPreparation.action(
            for: policies.map { service($0, build: build) }, present: present, rebuild: rebuild,
            lastPulled: pulledAgo.map { now.addingTimeInterval(-$0) }, now: now)
    }

    @Test("an image without build: is pulled as its policy says")
    func pulledImages() {
        #expect(Self.action([.missing], present: false) == .pull(always: false))
        #expect(Self.action([.missing], present: true) == .keep)
        #expect(Self.action([.always], present: true) == .pull(always: true))
        #expect(Self.action([.never], present: true) == .keep)
        #expect(Self.action([.never], present: false) == .refuseMissing)
        #expect(Self.action([.never, .missing], present: false) == .pull(always: false))
        #expect(Self.action([.never, .always], present: true) == .pull(always: true))
    }

    @Test("a refresh policy pulls when the last pull is older than its period, or unknown")
    func refresh() {
        #expect(Self.action([.refresh(seconds: 86_400)], present: true, pulledAgo: 3_600) == .keep)
        #expect(Self.action([.refresh(seconds: 86_400)], present: true, pulledAgo: 90_000) == .pull(always: true))
        #expect(Self.action([.refresh(seconds: 86_400)], present: true) == .pull(always: true))
        #expect(Self.action([.refresh(seconds: 86_400)], present: false) == .pull(always: false))
        #expect(
            Self.action([.refresh(seconds: 86_400), .refresh(seconds: 600)], present: true, pulledAgo: 3_600)
                == .pull(always: true), "the shortest period wins")
    }

    @Test("an image with build: is built when missing, on every up with policy build, and with --build")
    func builtImages() {
        #expect(Self.action([.missing], build: true, present: false) == .build)
        #expect(Self.action([.never], build: true, present: false) == .build)
        #expect(Self.action([.missing], build: true, present: true) == .keep)
        #expect(Self.action([.build], build: true, present: true) == .build)
        #expect(Self.action([.missing], build: true, present: true, rebuild: true) == .build)
        #expect(Self.action([.always], build: true, present: true) == .pull(always: true))
    }
}
