import Foundation
import PodmanAPI
import PodstackCompose
import Testing

@testable import PodstackCore

/// The create specs of a pod whose services have network namespaces of their own.
@Suite("Create specs of services with networks of their own")
struct OwnNetworkSpecTests {
    static func pod(alias: String = "search") -> PodDefinition {
        let here = SourceLocation(file: "f.yml", line: 1, column: 1)
        var clickhouse = ServiceDefinition(name: "clickhouse", podName: "p", image: "x", location: here)
        clickhouse.ports = [PortMapping(hostPort: 8123, containerPort: 9000, location: here)]
        clickhouse.addressing = ServiceAddressing(
            hostname: "ch", extraHosts: [HostEntry(name: "host.docker.internal", address: HostEntry.hostGateway)],
            dnsServers: ["10.0.0.53"],
            networkAttachments: [NetworkAttachment(network: "default", aliases: [alias], ipv4Address: "10.89.5.9")])
        var minio = ServiceDefinition(name: "minio", podName: "p", image: "y", location: here)
        minio.ports = [PortMapping(hostPort: 9090, containerPort: 9000, location: here)]
        minio.addressing = ServiceAddressing(networkAttachments: [NetworkAttachment(network: "default")])
        var sidecar = ServiceDefinition(name: "sidecar", podName: "p", image: "z", location: here)
        sidecar.containerName = "the-sidecar"
        sidecar.addressing = ServiceAddressing(networkMode: "service:minio")
        minio.containerName = "p-minio"
        return PodDefinition(
            name: "p", sourceFile: "f.yml", services: [clickhouse, minio, sidecar],
            networks: [NetworkDefinition(key: "default", name: "p_default")],
            ownNetworkReason: .sameContainerPort(port: "9000/tcp", services: ["clickhouse", "minio"]))
    }

    @Test("the pod shares only IPC and publishes nothing; hosts and DNS are left to each container")
    func podSpec() {
        let spec = ContainerSpecBuilder.pod(Self.pod())
        #expect(spec.sharedNamespaces == ["ipc"])
        #expect(spec.portMappings.isEmpty)
        #expect(spec.hostAdd == nil && spec.dnsServer == nil && spec.hostname == nil && spec.netns == nil)
    }

    @Test("each container joins its networks with its name and aliases, and has its own ports, hosts and DNS")
    func containerSpecs() throws {
        let pod = Self.pod()
        let clickhouse = ContainerSpecBuilder.container(pod.services[0], in: pod, hostGateway: "10.0.2.2")
        #expect(clickhouse.netns == Podman.Namespace(nsmode: "bridge"))
        #expect(clickhouse.networks == ["p_default": .init(aliases: ["clickhouse", "search"], staticIPs: ["10.89.5.9"])])
        #expect(clickhouse.portMappings == [Podman.PortMapping(hostIP: "127.0.0.1", hostPort: 8123, containerPort: 9000)])
        #expect(clickhouse.hostAdd == ["host.docker.internal:10.0.2.2"])
        #expect(clickhouse.dnsServer == ["10.0.0.53"] && clickhouse.hostname == "ch")
        let sidecar = ContainerSpecBuilder.container(pod.services[2], in: pod)
        #expect(sidecar.netns == Podman.Namespace(nsmode: "container", value: "p-minio"))
        #expect(sidecar.networks == nil && sidecar.portMappings == nil)
        // libpod reads the networks from "Networks" (its one capitalised JSON key of the network part).
        let json = String(decoding: try JSONEncoder().encode(clickhouse), as: UTF8.self)
        #expect(json.contains("\"Networks\":{\"p_default\":{") && json.contains("\"static_ips\":[\"10.89.5.9\"]"))
    }

    @Test("a host-network service is on the host's namespace, and so is a service that joins it, not through its container")
    func hostNetworkAndItsSharer() {
        var pod = Self.pod()
        pod.services[1].addressing = ServiceAddressing(networkMode: "host")
        pod.services[1].ports = []
        pod.ownNetworkReason = .networkModeBeside(service: "minio", mode: "host")
        #expect(ContainerSpecBuilder.container(pod.services[1], in: pod).netns == Podman.Namespace(nsmode: "host"))
        let sidecar = ContainerSpecBuilder.container(pod.services[2], in: pod)
        #expect(sidecar.netns == Podman.Namespace(nsmode: "host"))
        #expect(ContainerSpecBuilder.container(pod.services[0], in: pod).netns == Podman.Namespace(nsmode: "bridge"))
    }

    @Test("a changed alias changes the pod's hash, which makes the pod and its containers anew")
    func hashFollowsAddressing() {
        #expect(ConfigDigest.ports(Self.pod()) == ConfigDigest.ports(Self.pod()))
        #expect(ConfigDigest.ports(Self.pod()) != ConfigDigest.ports(Self.pod(alias: "other")))
    }
}
