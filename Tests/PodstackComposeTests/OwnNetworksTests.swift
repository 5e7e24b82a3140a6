import Foundation
import PodstackCompose
import Testing

/// A pod whose file asks for what one network namespace cannot give: each service gets a namespace of its
/// own on the pod's Podman networks (NodeReader+OwnNetworks).
@Suite("Services with network namespaces of their own")
struct OwnNetworksTests {
    @Test("two services on one container port get namespaces of their own on the project's default network")
    func sameContainerPort() throws {
        let pod = try #require(
            try load(
                """
                name: p
                services:
                  clickhouse: {image: x, ports: ["127.0.0.1:8123:9000"]}
                  minio: {image: y, ports: ["127.0.0.1:9090:9000"]}
                  web: {image: z}
                """
            ).pods.first)
        #expect(pod.ownNetworkReason == .sameContainerPort(port: "9000/tcp", services: ["clickhouse", "minio"]))
        #expect(pod.networks == [NetworkDefinition(key: "default", name: "p_default")])
        #expect(pod.services.allSatisfy { $0.addressing.networkAttachments == [NetworkAttachment(network: "default")] })
    }

    @Test("a plain pod keeps one namespace: no networks and no attachments, so its hashes stay as they were")
    func plainPodUnchanged() throws {
        let pod = try #require(
            try load("name: p\nservices:\n  a: {image: x, ports: [\"8080:80\"]}\n  b: {image: y, networks: [n]}\nnetworks: {n: {}}")
                .pods.first)
        #expect(pod.networks.isEmpty && pod.ownNetworkReason == nil)
        #expect(pod.services.allSatisfy { $0.addressing.networkAttachments.isEmpty })
    }

    @Test("a fixed address with its network's subnet and gateway: both reach the model")
    func fixedAddress() throws {
        let pod = try #require(
            try load(
                """
                name: p
                services:
                  dns:
                    image: x
                    networks:
                      dns-net:
                        ipv4_address: 172.20.0.2
                        aliases: [resolver]
                  hole: {image: y, networks: [dns-net]}
                networks:
                  dns-net:
                    ipam:
                      config:
                        - subnet: 172.20.0.0/24
                          gateway: 172.20.0.1
                """
            ).pods.first)
        #expect(pod.ownNetworkReason == .fixedAddress(service: "dns", network: "dns-net"))
        #expect(pod.networks.first?.subnets == [NetworkSubnet(subnet: "172.20.0.0/24", gateway: "172.20.0.1")])
        #expect(
            pod.service(named: "dns")?.addressing.networkAttachments == [
                NetworkAttachment(network: "dns-net", aliases: ["resolver"], ipv4Address: "172.20.0.2")
            ])
    }

    @Test("an external network is joined by the name compose gives it; internal and labels are kept")
    func networkSettings() throws {
        let stack = try load(
            """
            name: p
            services:
              a: {image: x, networks: [shared, inside]}
            networks:
              shared: {external: true}
              inside: {internal: true, labels: {team: ai}}
            """)
        let pod = try #require(stack.pods.first)
        #expect(pod.ownNetworkReason == .networkSettings(network: "shared"))
        #expect(
            pod.networks == [
                NetworkDefinition(key: "shared", name: "shared", external: true),
                NetworkDefinition(key: "inside", name: "p_inside", isInternal: true, labels: ["team": "ai"]),
            ])
    }

    @Test("a links alias is the linked service's name on its networks; network_mode service: joins a container")
    func linksAndSharedNamespace() throws {
        let pod = try #require(
            try load(
                """
                name: p
                services:
                  db: {image: x, ports: ["5432:5432"]}
                  api: {image: y, ports: ["5433:5432"], links: ["db:database"]}
                  sidecar: {image: z, network_mode: "service:api"}
                """
            ).pods.first)
        #expect(pod.service(named: "db")?.addressing.networkAttachments.first?.aliases == ["database"])
        #expect(pod.service(named: "sidecar")?.addressing.networkMode == "service:api")
        #expect(pod.service(named: "sidecar")?.addressing.networkAttachments.isEmpty == true)
    }

    @Test("a service on the host's network beside services on networks: each namespace its own, none for it to join")
    func hostNetworkBeside() throws {
        let pod = try #require(
            try load(
                """
                name: p
                services:
                  caddy: {image: x, network_mode: host}
                  redis: {image: y, networks: [searxng]}
                  searxng: {image: z, networks: [searxng], ports: ["127.0.0.1:8080:8080"]}
                networks: {searxng: {}}
                """
            ).pods.first)
        #expect(pod.ownNetworkReason == .networkModeBeside(service: "caddy", mode: "host"))
        #expect(pod.networks.map(\.name) == ["p_searxng"])
        #expect(pod.service(named: "caddy")?.addressing.networkMode == "host")
        #expect(pod.service(named: "caddy")?.addressing.networkAttachments.isEmpty == true)
        #expect(pod.service(named: "redis")?.addressing.networkAttachments == [NetworkAttachment(network: "searxng")])
        let issues = try loadIssues(
            "name: p\nservices:\n  a: {image: x, network_mode: host}\n  b:\n    image: y\n    network_mode: host\n"
                + "    ports: ['80:80']\n  c: {image: z}\n")
        #expect(issues.contains { $0.message.contains("publishes ports on network_mode host") && $0.location?.line == 7 })
        // A container of its own on the host's network takes hosts entries (a pod on it would drop them).
        let named = try load(
            "name: p\nservices:\n  a:\n    image: x\n    network_mode: host\n    extra_hosts: ['db:10.0.0.2']\n"
                + "  c: {image: z}\n")
        #expect(named.pods.first?.service(named: "a")?.addressing.extraHosts.map(\.name) == ["db"])
        let onePod = try loadIssues(
            "name: p\nservices:\n  a:\n    image: x\n    network_mode: host\n    extra_hosts: ['db:10.0.0.2']\n")
        #expect(onePod.contains { $0.message.contains("extra_hosts of service 'a' cannot apply on network_mode host") && $0.location?.line == 6 })
    }

    @Test("replicas are services <name>-<index> answering to the name; a dependent waits for each; anonymous volumes are per replica")
    func replicas() throws {
        let pod = try #require(
            try load(
                """
                name: p
                services:
                  web:
                    image: x
                    volumes: [/cache]
                    deploy: {replicas: 3}
                  api: {image: y, depends_on: [web]}
                  old: {image: z, scale: 2}
                """
            ).pods.first)
        #expect(pod.services.map(\.name) == ["web-1", "web-2", "web-3", "api", "old-1", "old-2"])
        #expect(pod.service(named: "web-2")?.containerName == "p-web-2")
        #expect(pod.ownNetworkReason == .replicas(service: "web", count: 3))
        #expect(pod.service(named: "web-3")?.addressing.networkAttachments == [NetworkAttachment(network: "default", aliases: ["web"])])
        #expect(pod.service(named: "api")?.dependsOn.map(\.service) == ["web-1", "web-2", "web-3"])
        #expect(pod.volumes.map(\.name).sorted() == ["p_web-1_cache", "p_web-2_cache", "p_web-3_cache"])
    }

    @Test("replicas with a container_name, or 0 replicas, are refused at their line")
    func replicasRefused() throws {
        let named = try loadIssues("name: p\nservices:\n  a:\n    image: x\n    container_name: one\n    deploy:\n      replicas: 2\n")
        #expect(named.first?.message.contains("sets container_name and runs 2 replicas") == true)
        #expect(named.first?.location?.line == 7)
        let none = try loadIssues("name: p\nservices:\n  a:\n    image: x\n    scale: 0\n")
        #expect(none.first?.message.contains("scale of service 'a' is 0") == true, "\(none)")
    }
}
