import Testing

@testable import PodstackCore

@Suite("Build context read in place")
struct BuildInPlaceTests {
    @Test("only Podman 5 serving podstack's own user reads the context directory in place")
    func readsInPlace() {
        #expect(ImageBuild.readsInPlace(apiVersion: "5.4.2", serviceOwnerUID: 1000, runnerUID: 1000))
        #expect(!ImageBuild.readsInPlace(apiVersion: "4.3.1", serviceOwnerUID: 1000, runnerUID: 1000))
        #expect(!ImageBuild.readsInPlace(apiVersion: "5.4.2", serviceOwnerUID: 1001, runnerUID: 0))
        #expect(!ImageBuild.readsInPlace(apiVersion: "", serviceOwnerUID: 0, runnerUID: 0))
    }
}
