import Foundation
import Testing

@testable import PodmanAPI

/// The query `POST /libpod/build` gets from `BuildOptions`.
@Suite("Build options")
struct BuildOptionsTests {
    static func query(_ options: Podman.BuildOptions) -> [String: [String]] {
        var items: [String: [String]] = [:]
        for item in options.query { items[item.name, default: []].append(item.value ?? "") }
        return items
    }

    @Test("every build asks for layers, Docker's format (which keeps HEALTHCHECK) and a pull policy")
    func defaults() {
        let query = Self.query(Podman.BuildOptions(tags: ["localhost/a", "localhost/a:v1"]))
        #expect(query["layers"] == ["true"])
        #expect(query["outputformat"] == ["application/vnd.docker.distribution.manifest.v2+json"])
        #expect(query["pullpolicy"] == ["missing"])
        #expect(query["t"] == ["localhost/a", "localhost/a:v1"])
        #expect(query["pull"] == nil && query["nsoptions"] == nil && query["secrets"] == nil && query["remote"] == nil)
    }

    @Test("pull, network, hosts, secrets, shm size and cache sources reach the query in the route's forms")
    func runSettings() {
        var options = Podman.BuildOptions(tags: ["localhost/a"])
        options.pull = true
        options.network = .isolated
        options.extraHosts = ["db:10.0.0.5", "gw:host-gateway"]
        options.secrets = [Podman.BuildSecret(id: "token", fileInContext: ".podstack-build-secret-token")]
        options.shmSize = 134_217_728
        options.cacheFrom = ["registry.example/app/cache", "registry.example/other"]
        options.cacheTo = ["registry.example/app/cache"]
        var query = Self.query(options)
        #expect(query["pullpolicy"] == ["always"] && query["pull"] == ["true"])
        #expect(query["nsoptions"] == [#"[{"Name":"network","Host":false,"Path":""}]"#])
        #expect(query["networkmode"] == ["1"])
        #expect(query["extrahosts"] == [#"["db:10.0.0.5","gw:host-gateway"]"#])
        #expect(query["secrets"] == [#"["id=token,src=.podstack-build-secret-token"]"#])
        #expect(query["shmsize"] == ["134217728"])
        #expect(query["cachefrom"] == [#"["registry.example/app/cache","registry.example/other"]"#])
        #expect(query["cacheto"] == [#"["registry.example/app/cache"]"#])
        options.layers = false
        #expect(Self.query(options)["layers"] == ["false"])
        options.contextDirectory = "/home/me/app"
        #expect(Self.query(options)["remote"] == ["/home/me/app"])
        options.network = .host
        query = Self.query(options)
        #expect(query["nsoptions"] == [#"[{"Name":"network","Host":true,"Path":""}]"#])
        #expect(query["networkmode"] == ["2"])
    }
}
