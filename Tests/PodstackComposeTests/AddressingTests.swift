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

    @Test("services on networks that overlap only through a third service are still refused")
    func apartThroughAThird() throws {
        let yaml = """
            name: p
            services:
              a: {image: x, networks: [one]}
              b: {image: x, networks: [one, two]}
              c: {image: x, networks: [two]}
            networks: {one: {}, two: {}}
            """
        let issues = try loadIssues(yaml)
        #expect(issues.map(\.message).contains { $0.contains("services 'a' and 'c' share no network") })
        #expect(issues.map(\.message).contains { $0.hasSuffix("while 'b' shares a network with both") })
        #expect(issues.first?.hint?.contains("common network") == true)
        #expect(issues.first?.location?.line == 5)
    }

    @Test("services joined only through a chain of others are told so")
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
        let messages = try loadIssues(yaml).map(\.message)
        #expect(messages.contains { $0.contains("'a' and 'd' share no network") && $0.hasSuffix("other services connect them") })
    }
}

@Suite("network_mode in one pod")
struct NetworkModeTests {
    @Test("host and none become the pod's network; service:NAME shares it and orders the start")
    func modes() throws {
        let yaml = """
            name: p
            services:
              a: {image: x, network_mode: host}
              b: {image: x, network_mode: "service:a"}
            """
        let pod = try #require(try load(yaml).pods.first)
        #expect(pod.network.mode == "host")
        #expect(pod.service(named: "b")?.dependsOn == [Dependency(service: "a")])
        #expect(try load("name: p\nservices:\n  a: {image: x, network_mode: bridge}\n").pods.first?.network.mode == nil)
    }

    @Test(
        "a pod with two networks, ports on the host's network, or an unknown mode is refused at the line",
        arguments: [
            ("  a: {image: x, network_mode: host}\n  b: {image: x}\n", 4, "is not on network_mode host"),
            ("  a: {image: x, network_mode: host, ports: [\"80:80\"]}\n", 3, "publishes ports on network_mode host"),
            ("  a: {image: x, network_mode: \"container:other\"}\n", 3, "network_mode 'container:other'"),
            ("  a: {image: x, network_mode: host, networks: [n]}\n", 3, "both network_mode and networks"),
            ("  a: {image: x, network_mode: host, extra_hosts: [\"db:10.0.0.1\"]}\n", 3, "cannot apply on network_mode host"),
        ])
    func refused(services: String, line: Int, fragment: String) throws {
        let issues = try loadIssues("name: p\nservices:\n" + services)
        #expect(issues.contains { $0.message.contains(fragment) && $0.location?.line == line }, "\(issues.map(\.description))")
    }
}

@Suite("extra_hosts with host-gateway")
struct HostGatewayLoadingTests {
    @Test("host-gateway is kept as written, in either form, for the spec builder to translate")
    func kept() throws {
        let yaml = """
            name: p
            services:
              a:
                image: x
                extra_hosts: ["host.docker.internal:host-gateway"]
              b:
                image: y
                extra_hosts: {gateway.example: host-gateway}
            """
        let network = try #require(try load(yaml).pods.first).network
        #expect(network.extraHosts.contains(HostEntry(name: "host.docker.internal", address: HostEntry.hostGateway)))
        #expect(network.extraHosts.contains(HostEntry(name: "gateway.example", address: HostEntry.hostGateway)))
    }

    @Test("a word other than host-gateway where the address goes is still refused at its line")
    func otherWords() throws {
        let issues = try loadIssues("name: p\nservices:\n  a:\n    image: x\n    extra_hosts: [\"h:host-gate\"]\n")
        #expect(issues.contains { $0.message.contains("is not NAME:ADDRESS") && $0.location?.line == 5 })
    }
}

@Suite("hostnames per service")
struct HostnamePerServiceTests {
    @Test("services that ask for different hostnames each keep theirs, and the pod has none of its own")
    func differ() throws {
        let yaml = "name: p\nservices:\n  a: {image: x, hostname: web1}\n  b: {image: x, hostname: web2}\n  c: {image: x}\n"
        let network = try #require(try load(yaml).pods.first).network
        #expect(network.hostname == nil)
        #expect(network.hostnamePerService == ["a": "web1", "b": "web2"])
        #expect(network.hasExplicitSettings)
    }

    @Test("one hostname, given by one service or by several alike, stays the pod's")
    func agree() throws {
        let yaml = "name: p\nservices:\n  a: {image: x, hostname: box}\n  b: {image: x, hostname: box}\n  c: {image: x}\n"
        let network = try #require(try load(yaml).pods.first).network
        #expect(network.hostname == "box")
        #expect(network.hostnamePerService.isEmpty)
    }
}

@Suite("pid, ipc and uts of a service")
struct NamespaceKeyTests {
    @Test("each mode a container of a pod may choose is read, and service:NAME orders the start after NAME")
    func read() throws {
        let yaml = """
            name: p
            services:
              a: {image: x, pid: host, ipc: shareable}
              b: {image: x, pid: "service:a", ipc: "service:a"}
              c: {image: x, uts: host, ipc: private}
              d: {image: x, ipc: none}
            """
        let pod = try #require(try load(yaml).pods.first)
        #expect(pod.service(named: "a")?.namespaces == ServiceNamespaces(pid: .host, ipc: .shareable))
        #expect(pod.service(named: "b")?.namespaces == ServiceNamespaces(pid: .service("a"), ipc: .service("a")))
        #expect(pod.service(named: "b")?.dependsOn == [Dependency(service: "a")])
        #expect(pod.service(named: "c")?.namespaces == ServiceNamespaces(ipc: .private, uts: .host))
        #expect(pod.service(named: "d")?.namespaces.written == ["ipc": "none"])
    }

    @Test(
        "what a container cannot have is refused at its line, with the modes it can",
        arguments: [
            ("  a: {image: x, pid: private}\n", "pid 'private' of service 'a' is not supported"),
            ("  a: {image: x, uts: private}\n", "uts 'private' of service 'a' is not supported"),
            ("  a: {image: x, uts: \"service:b\"}\n  b: {image: x}\n", "uts 'service:b' of service 'a'"),
            ("  a: {image: x, ipc: \"container:other\"}\n", "ipc 'container:other' of service 'a'"),
            ("  a: {image: x, uts: host, hostname: box}\n", "sets both uts: host and hostname"),
            ("  a: {image: x, pid: \"service:nobody\"}\n", "depends on unknown service 'nobody'"),
        ])
    func refused(services: String, fragment: String) throws {
        let issues = try loadIssues("name: p\nservices:\n" + services)
        #expect(issues.contains { $0.message.contains(fragment) && $0.location?.line == 3 }, "\(issues.map(\.description))")
    }
}
