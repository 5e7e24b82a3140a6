import PodstackCompose
import Testing

@testable import PodstackCore

@Suite("Planning a service whose image podstack builds")
struct BuiltImagePlannerTests {
    /// `built` (with build:, image img) and `after`, which depends on it; their containers made from image `made`.
    static func plan(builtImageIDs: [String: String], made: String = "id-1") throws -> [String: PodPlan.ServiceAction] {
        var built = PlannerTests.service("built")
        built.build = BuildDefinition(context: "/src", location: PlannerTests.here)
        let pod = PlannerTests.pod([built, PlannerTests.service("after", dependsOn: ["built"])])
        let live = PlannerTests.live(pod).map { container in
            var container = container
            container.imageID = made
            return container
        }
        return StackPlanner.plan(
            pod: pod, graph: try DependencyGraph(pod: pod), livePodPortsHash: .some(ConfigDigest.ports(pod)),
            live: live, builtImageIDs: builtImageIDs
        ).services
    }

    @Test("an image built anew (another ID) recreates its service and restarts its dependents")
    func rebuilt() throws {
        #expect(try Self.plan(builtImageIDs: ["img": "id-2"]) == ["built": .recreate, "after": .restart])
    }

    @Test("the same image ID (a build from cache, or no build) recreates nothing")
    func sameID() throws {
        #expect(try Self.plan(builtImageIDs: ["img": "id-1"]) == ["built": .keep, "after": .keep])
        #expect(try Self.plan(builtImageIDs: [:]) == ["built": .keep, "after": .keep])
    }

    @Test("a service without build: is never recreated for its image's ID")
    func pulledImage() throws {
        let pod = PlannerTests.pod([PlannerTests.service("a")])
        var live = PlannerTests.live(pod)
        live[0].imageID = "old"
        let plan = StackPlanner.plan(
            pod: pod, graph: try DependencyGraph(pod: pod), livePodPortsHash: .some(ConfigDigest.ports(pod)),
            live: live, builtImageIDs: ["img": "new"])
        #expect(plan.services == ["a": .keep])
    }

    @Test("a service whose pull_policy pulls over its image is recreated when the pull brought another ID")
    func pulledAnew() throws {
        var service = PlannerTests.service("a")
        service.pullPolicy = .always
        let pod = PlannerTests.pod([service])
        var live = PlannerTests.live(pod)
        live[0].imageID = "old"
        func plan(_ id: String) throws -> [String: PodPlan.ServiceAction] {
            StackPlanner.plan(
                pod: pod, graph: try DependencyGraph(pod: pod), livePodPortsHash: .some(ConfigDigest.ports(pod)),
                live: live, builtImageIDs: [service.image: id]
            ).services
        }
        #expect(try plan("new") == ["a": .recreate])
        #expect(try plan("old") == ["a": .keep])
    }
}
