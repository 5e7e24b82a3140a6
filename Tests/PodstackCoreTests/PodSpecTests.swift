import Foundation
import PodmanAPI
import PodstackCompose
import Testing

@testable import PodstackCore

@Suite("The pod create spec")
struct PodSpecTests {
    static func pod(_ addressing: ServiceAddressing = ServiceAddressing()) -> PodDefinition {
        let here = SourceLocation(file: "f.yml", line: 1, column: 1)
        var api = ServiceDefinition(name: "api", podName: "p", image: "x", location: here)
        api.ports = [PortMapping(hostPort: 8080, containerPort: 80, location: here)]
        api.addressing = addressing
        let ui = ServiceDefinition(name: "ui", podName: "p", image: "y", location: here)
        return PodDefinition(name: "p", sourceFile: "f.yml", services: [api, ui])
    }

    @Test("every service name resolves to the pod through hostadd, and the hostname is the pod's name")
    func serviceNames() {
        let spec = ContainerSpecBuilder.pod(Self.pod())
        #expect(spec.hostAdd == ["api:127.0.0.1", "ui:127.0.0.1"])
        #expect(spec.hostname == "p")
        #expect(spec.dnsServer == nil && spec.dnsSearch == nil && spec.dnsOption == nil)
    }

    @Test("hostname, aliases, extra hosts and DNS settings reach the spec")
    func explicit() {
        let spec = ContainerSpecBuilder.pod(
            Self.pod(
                ServiceAddressing(
                    hostname: "box", aliases: ["backend"], extraHosts: [HostEntry(name: "db", address: "10.0.0.5")],
                    dnsServers: ["10.0.0.53"], dnsSearch: ["example.org"], dnsOptions: ["ndots:2"])))
        #expect(spec.hostname == "box")
        #expect(spec.hostAdd == ["api:127.0.0.1", "ui:127.0.0.1", "backend:127.0.0.1", "db:10.0.0.5"])
        #expect(spec.dnsServer == ["10.0.0.53"])
        #expect(spec.dnsSearch == ["example.org"])
        #expect(spec.dnsOption == ["ndots:2"])
    }

    @Test("a pod that sets none of the network keys keeps the hash it had before they were read")
    func hashKept() {
        let pod = Self.pod()
        #expect(ConfigDigest.ports(pod) == ConfigDigest.of(["\(PortMapping.defaultHostIP)|8080|80|tcp"]))
    }

    @Test("each network setting changes the pod's hash, so that the pod is made anew")
    func hashMoves() {
        let plain = ConfigDigest.ports(Self.pod())
        let settings = [
            ServiceAddressing(hostname: "box"), ServiceAddressing(aliases: ["b"]),
            ServiceAddressing(extraHosts: [HostEntry(name: "db", address: "10.0.0.5")]),
            ServiceAddressing(dnsServers: ["10.0.0.53"]), ServiceAddressing(dnsSearch: ["example.org"]),
            ServiceAddressing(dnsOptions: ["ndots:2"]), ServiceAddressing(networkMode: "host"),
        ]
        let hashes = settings.map { ConfigDigest.ports(Self.pod($0)) }
        #expect(!hashes.contains(plain))
        #expect(Set(hashes).count == settings.count)
    }

    @Test("shm_size sizes the pod's /dev/shm, which its containers share, and moves the pod's hash")
    func sharedMemory() {
        var pod = Self.pod()
        pod.services[1].process.shmSizeBytes = 33_554_432
        #expect(ContainerSpecBuilder.pod(pod).shmSize == 33_554_432)
        #expect(ContainerSpecBuilder.pod(Self.pod()).shmSize == nil)
        #expect(ConfigDigest.ports(pod) != ConfigDigest.ports(Self.pod()))
    }

    @Test("label and seccomp options are also written as the annotations Podman's inspect reports them from")
    func securityAnnotations() {
        var pod = Self.pod()
        pod.services[0].process.selinuxOptions = ["disable"]
        pod.services[0].process.seccompUnconfined = true
        let spec = ContainerSpecBuilder.container(pod.services[0], in: pod)
        #expect(spec.selinuxOptions == ["disable"] && spec.seccompProfilePath == "unconfined")
        #expect(
            spec.annotations == ["io.podman.annotations.label": "disable", "io.podman.annotations.seccomp": "unconfined"])
        #expect(ContainerSpecBuilder.container(pod.services[1], in: pod).annotations == nil)
    }

    @Test("network_mode host becomes the pod's network namespace")
    func hostNetwork() {
        #expect(ContainerSpecBuilder.pod(Self.pod(ServiceAddressing(networkMode: "host"))).netns?.nsmode == "host")
        #expect(ContainerSpecBuilder.pod(Self.pod()).netns == nil)
    }

    @Test("a service's devices reach the container create spec as paths; a service without devices sends none")
    func devices() throws {
        var pod = Self.pod()
        pod.services[0].devices = [
            DeviceRequest(path: "nvidia.com/gpu=all", isCDI: true, reason: "", location: nil),
            DeviceRequest(path: "/dev/dri:/dev/dri:rwm", isCDI: false, reason: "", location: nil),
        ]
        let api = ContainerSpecBuilder.container(pod.services[0], in: pod)
        #expect(api.devices?.map(\.path) == ["nvidia.com/gpu=all", "/dev/dri:/dev/dri:rwm"])
        #expect(ContainerSpecBuilder.container(pod.services[1], in: pod).devices == nil)
    }
}

@Suite("host-gateway in the pod create spec")
struct HostGatewaySpecTests {
    static let pod = PodSpecTests.pod(
        ServiceAddressing(extraHosts: [HostEntry(name: "host.docker.internal", address: HostEntry.hostGateway)]))

    @Test("the word goes to Podman 4.7 and newer, which resolve it themselves", arguments: ["4.7.0", "5.4.2", "5.0.0-dev"])
    func passedOn(version: String) {
        let address = HostGatewayAddress.forPodman(apiVersion: version) { ["192.0.2.2"] }
        #expect(address == "host-gateway")
        #expect(ContainerSpecBuilder.pod(Self.pod, hostGateway: address).hostAdd?.last == "host.docker.internal:host-gateway")
    }

    @Test("an older Podman gets the host's first global address, as it gives host.containers.internal")
    func translated() {
        let addresses = ["127.0.0.1", "::1", "169.254.3.4", "fe80::1%eth0", "2001:db8::5", "192.0.2.2", "10.1.1.1"]
        let address = HostGatewayAddress.forPodman(apiVersion: "4.3.1") { addresses }
        #expect(address == "192.0.2.2")
        #expect(ContainerSpecBuilder.pod(Self.pod, hostGateway: address).hostAdd?.last == "host.docker.internal:192.0.2.2")
        #expect(HostGatewayAddress.firstHostAddress(["127.0.0.1", "2001:db8::5"]) == "2001:db8::5")
    }

    @Test("with no address to give, the word is kept and Podman 4 says what it thinks of it")
    func nothingToGive() {
        #expect(HostGatewayAddress.forPodman(apiVersion: "4.3.1") { ["127.0.0.1", "::1"] } == "host-gateway")
    }

    @Test("this host lists its interface addresses, loopback among them")
    func interfaceAddresses() {
        #expect(HostGatewayAddress.interfaceAddresses().contains("127.0.0.1"))
    }
}

@Suite("hostnames per service in the create specs")
struct HostnamePerServiceSpecTests {
    static func pod(_ hostnames: [String?]) -> PodDefinition {
        let here = SourceLocation(file: "f.yml", line: 1, column: 1)
        let services = hostnames.enumerated().map { index, hostname in
            var service = ServiceDefinition(name: "s\(index)", podName: "p", image: "x", location: here)
            service.addressing.hostname = hostname
            return service
        }
        return PodDefinition(name: "p", sourceFile: "f.yml", services: services)
    }

    @Test("different hostnames: the pod shares ipc and net but not uts, and each container names its own")
    func separate() {
        let pod = Self.pod(["web1", "web2", nil])
        let spec = ContainerSpecBuilder.pod(pod)
        #expect(spec.sharedNamespaces == ["ipc", "net"])
        #expect(spec.hostname == nil)
        #expect(pod.services.map { ContainerSpecBuilder.container($0, in: pod).hostname } == ["web1", "web2", nil])
    }

    @Test("one hostname stays the pod's, with Podman's default sharing and nothing on the containers")
    func shared() {
        let pod = Self.pod(["box", nil])
        let spec = ContainerSpecBuilder.pod(pod)
        #expect(spec.sharedNamespaces == nil)
        #expect(spec.hostname == "box")
        #expect(pod.services.allSatisfy { ContainerSpecBuilder.container($0, in: pod).hostname == nil })
    }

    @Test("each service's hostname is in the pod's hash, so that changing one makes the pod anew")
    func hash() {
        let hashes = [["web1", "web2"], ["web1", "web3"], ["web3", "web2"], ["web1", nil]].map {
            ConfigDigest.ports(Self.pod($0))
        }
        #expect(Set(hashes).count == hashes.count)
    }
}

@Suite("pid, ipc and uts in the container create spec")
struct NamespaceSpecTests {
    static func pod() -> PodDefinition {
        let here = SourceLocation(file: "f.yml", line: 1, column: 1)
        var a = ServiceDefinition(name: "a", podName: "p", image: "x", location: here)
        a.containerName = "the-a"
        a.namespaces = ServiceNamespaces(pid: .host, ipc: .shareable, uts: .host)
        var b = ServiceDefinition(name: "b", podName: "p", image: "x", location: here)
        b.namespaces = ServiceNamespaces(pid: .service("a"), ipc: .service("a"))
        var c = ServiceDefinition(name: "c", podName: "p", image: "x", location: here)
        c.namespaces = ServiceNamespaces(pid: .service("b"), ipc: .privateWithoutShm)
        let plain = ServiceDefinition(name: "plain", podName: "p", image: "x", location: here)
        return PodDefinition(name: "p", sourceFile: "f.yml", services: [a, b, c, plain])
    }

    @Test("each mode becomes its nsmode; service:NAME joins NAME's container by its name; none is sent unset")
    func modes() throws {
        let pod = Self.pod()
        let specs = pod.services.map { ContainerSpecBuilder.container($0, in: pod) }
        #expect(specs[0].pidns == Podman.Namespace(nsmode: "host"))
        #expect(specs[0].ipcns == Podman.Namespace(nsmode: "shareable"))
        #expect(specs[0].utsns == Podman.Namespace(nsmode: "host"))
        // a's pid namespace is the host's, so b's service:a is the host's too.
        #expect(specs[1].pidns == Podman.Namespace(nsmode: "host"))
        #expect(specs[1].ipcns == Podman.Namespace(nsmode: "container", value: "the-a"))
        #expect(specs[2].ipcns == Podman.Namespace(nsmode: "none"))
        // c joins b, which joins a, which is on the host's: c is on the host's too.
        #expect(specs[2].pidns == Podman.Namespace(nsmode: "host"))
        #expect(specs[3].pidns == nil && specs[3].ipcns == nil && specs[3].utsns == nil)
        let body = String(decoding: try JSONEncoder().encode(specs[3]), as: UTF8.self)
        #expect(!body.contains("pidns") && !body.contains("ipcns") && !body.contains("utsns"))
    }

    @Test("a namespace setting changes the service's config hash, and each mode gives another")
    func hashes() {
        let pod = Self.pod()
        let plain = pod.services[3]
        let hashes = [ServiceNamespaces(pid: .host), ServiceNamespaces(ipc: .host), ServiceNamespaces(uts: .host),
            ServiceNamespaces(ipc: .service("a")), ServiceNamespaces()].map { namespaces in
            var service = plain
            service.namespaces = namespaces
            return ConfigDigest.service(service)
        }
        #expect(Set(hashes).count == hashes.count)
        #expect(hashes.last == ConfigDigest.service(plain))
    }
}
