import Testing

@testable import PodstackCompose
@testable import PodstackCore

@Suite("kube --push names")
struct PushNamingTests {
    @Test(
        "a pushed image keeps its path and tag under the registry; its own registry host is replaced",
        arguments: [
            ("localhost/aidb-api", "127.0.0.1:5055/aidb-api:latest"),
            ("localhost/aidb-api:v2", "127.0.0.1:5055/aidb-api:v2"),
            ("quay.io/team/app:1", "127.0.0.1:5055/team/app:1"),
            ("team/app", "127.0.0.1:5055/team/app:latest"),
            ("registry:5000/app", "127.0.0.1:5055/app:latest"),
        ])
    func names(image: String, pushed: String) {
        #expect(StackRunner.pushedName(image, registry: "127.0.0.1:5055") == pushed)
        #expect(StackRunner.pushedName(image, registry: "127.0.0.1:5055/") == pushed)
    }

    @Test("the pod names the pushed image, and the renamed service no longer builds")
    func renaming() {
        var built = ServiceDefinition(name: "api", podName: "p", image: "localhost/p-api", location: PlannerTests.here)
        built.build = BuildDefinition(context: "/src", location: PlannerTests.here)
        let other = ServiceDefinition(name: "db", podName: "p", image: "docker.io/postgres:16", location: PlannerTests.here)
        let pod = PodDefinition(name: "p", sourceFile: "/p.yml", services: [built, other], volumes: [], secrets: [])
            .namingImages(["localhost/p-api": "reg/p-api:latest"])
        #expect(pod.services.map(\.image) == ["reg/p-api:latest", "docker.io/postgres:16"])
        #expect(pod.services[0].build == nil)
    }
}
