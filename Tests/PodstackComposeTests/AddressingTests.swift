import Foundation
import Testing

@testable import PodstackCompose

@Suite("Names and addressing in one pod")
struct AddressingTests {
    static let file = """
        name: web
        services:
          api:
            image: x
            container_name: the-api
            hostname: box
            networks:
              front:
                aliases: [backend]
              back:
            extra_hosts:
              - "db.example:10.0.0.5"
            dns: 10.0.0.53
            dns_search: [example.org]
            dns_opt: ["ndots:2"]
          ui:
            image: y
            networks: [front]
            links: ["api:api-server"]
            extra_hosts: {cache.example: 10.0.0.6}
            dns: [10.0.0.53, 10.0.0.54]
        networks:
          front: {driver: bridge}
          back:
            name: web-back
        """

    @Test("container_name names the container, and the others keep <pod>-<service>")
    func containerName() throws {
        let pod = try #require(try load(Self.file).pods.first)
        #expect(pod.service(named: "api")?.containerName == "the-api")
        #expect(pod.service(named: "ui")?.containerName == "web-ui")
    }

    @Test("every service name and alias resolves to the pod, then the extra hosts")
    func hosts() throws {
        let network = try #require(try load(Self.file).pods.first).network
        #expect(
            network.hosts == [
                HostEntry(name: "api", address: "127.0.0.1"), HostEntry(name: "ui", address: "127.0.0.1"),
                HostEntry(name: "backend", address: "127.0.0.1"), HostEntry(name: "api-server", address: "127.0.0.1"),
                HostEntry(name: "cache.example", address: "10.0.0.6"), HostEntry(name: "db.example", address: "10.0.0.5"),
            ])
        #expect(network.hasExplicitSettings)
    }

    @Test("hostname and DNS settings are gathered into the pod, each value once")
    func dns() throws {
        let network = try #require(try load(Self.file).pods.first).network
        #expect(network.hostname == "box")
        #expect(network.dnsServers == ["10.0.0.53", "10.0.0.54"])
        #expect(network.dnsSearch == ["example.org"])
        #expect(network.dnsOptions == ["ndots:2"])
    }

    @Test("a link makes the linking service start after the linked one, as compose does")
    func linkOrders() throws {
        let ui = try #require(try load(Self.file).pods.first?.service(named: "ui"))
        #expect(ui.dependsOn == [Dependency(service: "api")])
    }

    @Test("a pod without these keys has only its service names, and nothing explicit")
    func plain() throws {
        let network = try #require(try load("name: p\nservices:\n  a: {image: x}\n  b: {image: y}\n").pods.first).network
        #expect(network.hosts.map(\.name) == ["a", "b"])
        #expect(!network.hasExplicitSettings)
        #expect(network.hostname == nil)
    }

    @Test("services joined only through a chain of others are one pod, each on exactly its own networks")
    func apartThroughAChain() throws {
        let yaml = """
            name: p
            services:
              a: {image: x, networks: [one]}
              b: {image: x, networks: [one, two]}
              c: {image: x, networks: [two, three]}
              d: {image: x, networks: [three]}
            networks: {one: {}, two: {}, three: {}}
            """
        let pods = try load(yaml).pods
        #expect(pods.count == 1)
        #expect(pods.first?.ownNetworkReason == .networksKeptApart(services: ["a", "c"]))
        #expect(pods.first?.services.map { $0.addressing.networkAttachments.map(\.network) } == [
            ["one"], ["one", "two"], ["two", "three"], ["three"],
        ])
    }
}
