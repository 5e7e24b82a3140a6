import Foundation
import PodstackCompose
import Testing
import Yams

@testable import PodstackExport

private typealias F = ExportFixture

/// A pod whose services have network namespaces of their own (Langfuse's shape: two services on container
/// port 9000) cannot be one Kubernetes Pod; it is exported as a Pod per service that find each other by name.
@Suite("Export: a pod whose services have networks of their own, as a Pod per service")
struct ExportOwnNetworksTests {
    static func langfuseLike(restart: RestartPolicy = .unlessStopped) -> PodDefinition {
        let volume = MountDefinition.volume(name: "lf_data", target: "/data", readOnly: false)
        var clickhouse = F.service(
            "clickhouse", pod: "lf", ports: [PortMapping(hostPort: 19000, containerPort: 9000, location: F.here)],
            mounts: [volume], restart: restart)
        clickhouse.addressing.networkAttachments = [NetworkAttachment(network: "default")]
        var minio = F.service(
            "minio", pod: "lf", dependsOn: [Dependency(service: "clickhouse", condition: .healthy)], mounts: [volume],
            restart: restart)
        minio.addressing.networkAttachments = [
            NetworkAttachment(network: "default", aliases: ["s3"]),
            NetworkAttachment(network: "back", ipv4Address: "172.30.0.9"),
        ]
        var pod = F.pod([minio, clickhouse], name: "lf", volumes: [VolumeDefinition(name: "lf_data", key: "data")])
        pod.networks = [
            NetworkDefinition(key: "default", name: "lf_default"),
            NetworkDefinition(
                key: "back", name: "lf_back", isInternal: true, subnets: [NetworkSubnet(subnet: "172.30.0.0/24")]),
        ]
        pod.ownNetworkReason = .sameContainerPort(port: "9000", services: ["clickhouse", "minio"])
        return pod
    }

    static func documents(
        _ pod: PodDefinition, options: KubeExportOptions = KubeExportOptions()
    ) throws
        -> [YAMLDocument]
    {
        try KubeExporter(options: options, hostPathKind: { _ in .missing }).documents(for: pod)
    }

    static func kinds(_ documents: [YAMLDocument]) -> [String] {
        documents.compactMap { $0.value?["kind"]?.string }
    }

    static func named(_ documents: [YAMLDocument], _ kind: String, _ name: String) -> YAMLDocument? {
        documents.first { $0.value?["kind"]?.string == kind && $0.value?["metadata", "name"]?.string == name }
    }

    @Test("each service is a Pod of its own named <service>.<pod>, dependencies first, each with its one container")
    func podPerService() throws {
        let documents = try Self.documents(Self.langfuseLike())
        let pods = documents.filter { $0.value?["kind"]?.string == "Pod" }
        #expect(pods.map { $0.value?["metadata", "name"]?.string } == ["clickhouse.lf", "minio.lf"])
        #expect(pods.map { $0.value?["spec", "containers"]?.items.count } == [1, 1])
        let clickhouse = try #require(Self.named(documents, "Pod", "clickhouse.lf")?.value)
        #expect(clickhouse["spec", "containers", 0, "ports", 0, "hostPort"]?.int == 19000)
        #expect(clickhouse["metadata", "labels", KubeOwnNetwork.componentLabel]?.string == "clickhouse")
        // The volume both services mount is claimed once.
        #expect(Self.kinds(documents).filter { $0 == "PersistentVolumeClaim" }.count == 1)
    }

    @Test(
        "a Pod searches the pod's domain and is named after its service, so `minio` finds minio.lf; no 127.0.0.1 names")
    func namesResolveThroughTheSearchDomain() throws {
        let documents = try Self.documents(Self.langfuseLike())
        let minio = try #require(Self.named(documents, "Pod", "minio.lf")?.value)
        #expect(minio["spec", "hostname"]?.string == "minio")
        #expect(minio["spec", "dnsConfig", "searches"]?.items.map(\.string) == ["lf"])
        #expect(minio["spec", "hostAliases"] == nil)
        // Under a Deployment kube play names the Pod <deployment>-pod, and the domain follows.
        let deployed = try Self.documents(Self.langfuseLike(), options: KubeExportOptions(workload: .deployment))
        let deployment = try #require(Self.named(deployed, "Deployment", "minio.lf")?.value)
        #expect(deployment["spec", "template", "spec", "dnsConfig", "searches"]?.items.map(\.string) == ["lf-pod"])
        #expect(deployment["spec", "selector", "matchLabels", KubeOwnNetwork.componentLabel]?.string == "minio")
    }

    @Test("a headless Service per service name and alias selects that service's Pod alone")
    func headlessServicePerName() throws {
        let documents = try Self.documents(Self.langfuseLike())
        let services = documents.filter { $0.value?["kind"]?.string == "Service" }
        #expect(services.map { $0.value?["metadata", "name"]?.string } == ["clickhouse", "minio", "s3"])
        let s3 = try #require(Self.named(documents, "Service", "s3")?.value)
        #expect(s3["spec", "clusterIP"]?.string == "None")
        #expect(s3["spec", "selector", "alias.podstack.io/s3"]?.string == "true")
        let minio = try #require(Self.named(documents, "Pod", "minio.lf")?.value)
        #expect(minio["metadata", "labels", "alias.podstack.io/s3"]?.string == "true")
        #expect(s3["spec", "selector", KubePodBuilder.nameLabel]?.string == "lf")
    }

    @Test("an alias that replicas share is one Service that selects them all")
    func sharedAliasSelectsAll() throws {
        var pod = Self.langfuseLike()
        pod.services = (1...3).map { index in
            var replica = F.service("worker-\(index)", pod: "lf")
            replica.addressing.networkAttachments = [NetworkAttachment(network: "default", aliases: ["worker"])]
            return replica
        }
        let documents = try Self.documents(pod)
        let services = documents.compactMap {
            $0.value?["kind"]?.string == "Service" ? $0.value?["metadata", "name"]?.string : nil
        }
        #expect(services == ["worker-1", "worker", "worker-2", "worker-3"])
        let pods = documents.filter { $0.value?["kind"]?.string == "Pod" }
        #expect(
            pods.count == 3 && pods.allSatisfy { $0.value?["metadata", "labels", "alias.podstack.io/worker"] != nil })
    }

    @Test("a dependent restarts on failure until what it needs answers, since Pods do not wait for each other")
    func dependentRestarts() throws {
        let documents = try Self.documents(Self.langfuseLike(restart: .no))
        let minio = try #require(Self.named(documents, "Pod", "minio.lf"))
        let clickhouse = try #require(Self.named(documents, "Pod", "clickhouse.lf"))
        #expect(minio.value?["spec", "restartPolicy"]?.string == "OnFailure")
        #expect(clickhouse.value?["spec", "restartPolicy"]?.string == "Never")
        let text = YAMLDocument.stream([minio])
        #expect(text.contains("Needs clickhouse (service_healthy), and the Pods of services with"), "\(text)")
        #expect(!text.contains("--sidecars"), "\(text)")
    }

    @Test(
        "what Kubernetes and kube play cannot carry is said: the networks' isolation, internal, subnets, a fixed address, aliases under kube play"
    )
    func unexpressedSaid() throws {
        let text = YAMLDocument.stream(try Self.documents(Self.langfuseLike()))
        for expected in [
            "services 'clickhouse' and 'minio' both listen on container port 9000",
            "networks lf_default, lf_back: podman kube play puts every Pod on one network",
            "network lf_back is internal (no route out)",
            "network lf_back's subnets 172.30.0.0/24",
            "address 172.30.0.9 on network back",
            "aliases s3: on a cluster, the headless Service",
        ] {
            #expect(text.contains(expected), "missing: \(expected)\n\(text)")
        }
        // And the whole stream parses, as one document per `---`.
        let parsed = try Array(Yams.load_all(yaml: text)).compactMap { $0 as? [String: Any] }
        #expect(parsed.count == Self.kinds(try Self.documents(Self.langfuseLike())).count)
    }

    @Test("a service in another's namespace (network_mode: service:NAME) is a second container of that one's Pod")
    func joinerSharesThePod() throws {
        var pod = Self.langfuseLike()
        var vpn = F.service("vpn", pod: "lf")
        vpn.addressing.networkMode = "service:minio"
        // What `links: ["clickhouse:ch"]` leaves in the linking service's aliases: a name of clickhouse's.
        vpn.addressing.aliases = ["ch"]
        pod.services.append(vpn)
        let documents = try Self.documents(pod)
        let pods = documents.filter { $0.value?["kind"]?.string == "Pod" }
        #expect(pods.map { $0.value?["metadata", "name"]?.string } == ["clickhouse.lf", "minio.lf"])
        let minio = try #require(Self.named(documents, "Pod", "minio.lf")?.value)
        #expect(minio["spec", "containers"]?.items.map { $0["name"]?.string } == ["minio", "vpn"])
        let services = documents.compactMap {
            $0.value?["kind"]?.string == "Service" ? $0.value?["metadata", "name"]?.string : nil
        }
        #expect(services == ["clickhouse", "minio", "s3"])
    }

    @Test("a service on the host's network is a hostNetwork Pod with no name Service and no search domain")
    func hostNetworkServiceHasNoName() throws {
        var pod = Self.langfuseLike()
        var caddy = F.service("caddy", pod: "lf")
        caddy.addressing.networkMode = "host"
        pod.services.append(caddy)
        pod.ownNetworkReason = .networkModeBeside(service: "caddy", mode: "host")
        let documents = try Self.documents(pod)
        let spec = try #require(Self.named(documents, "Pod", "caddy.lf")?.value?["spec"])
        if case .bool(let on)? = spec["hostNetwork"] { #expect(on) } else { Issue.record("no hostNetwork: \(spec)") }
        #expect(spec["dnsConfig"] == nil, "\(spec)")
        #expect(Self.named(documents, "Service", "caddy") == nil)
        #expect(documents.contains { $0.comments.contains { $0.contains("'caddy' is on network_mode host") } })
        // The others keep their names and search domain.
        #expect(Self.named(documents, "Service", "minio") != nil)
        #expect(Self.named(documents, "Pod", "minio.lf")?.value?["spec", "dnsConfig", "searches"]?.items.isEmpty == false)
    }

    @Test("a service name Kubernetes cannot take is said with the name the others reach it at")
    func renamedServiceSaid() throws {
        var pod = Self.langfuseLike()
        pod.services[0].name = "minio_1"
        pod.services[0].dependsOn = []
        let text = YAMLDocument.stream(try Self.documents(pod))
        #expect(text.contains("name: minio-1.lf"), "\(text)")
        #expect(text.contains("service name minio_1: Kubernetes names cannot hold"), "\(text)")
        // An alias no Service can be named after is said, and the rest still parses.
        pod.services[0].addressing.networkAttachments[0].aliases = ["3s"]
        let digits = YAMLDocument.stream(try Self.documents(pod))
        #expect(digits.contains("The name 3s of service 'minio_1': a Service's name must start with a letter"))
        #expect(!digits.contains("name: 3s"), "\(digits)")
    }

    @Test("two pods of one stack with a service of the same name: the first keeps the Service, the second says why it has none")
    func repeatedServiceNameAcrossPods() throws {
        var other = Self.langfuseLike()
        other.name = "lf2"
        for index in other.services.indices { other.services[index].podName = "lf2" }
        let stream = try KubeExporter(options: KubeExportOptions(), hostPathKind: { _ in .missing }).render([Self.langfuseLike(), other], version: "test")
        let documents = try Yams.load_all(yaml: stream).compactMap { $0 as? [String: Any] }
        let services = documents.filter { $0["kind"] as? String == "Service" }.compactMap {
            ($0["metadata"] as? [String: Any])?["name"] as? String
        }
        #expect(services.sorted() == ["clickhouse", "minio", "s3"], "\(services)")
        #expect(stream.contains("A Service named clickhouse is written above for another pod"))
        // Both pods' Pods are there, each under its own name.
        #expect(stream.contains("name: clickhouse.lf\n") && stream.contains("name: clickhouse.lf2\n"))
    }

    @Test("the systemd unit of such a pod is that of the same pod sharing one namespace: up makes the networks")
    func systemdUnitNeedsNothingMore() {
        var shared = Self.langfuseLike()
        shared.networks = []
        shared.ownNetworkReason = nil
        let units = [Self.langfuseLike(), shared].map {
            SystemdUnit(
                pod: $0, binary: "/bin/podstack", stackArguments: ["-f", "/c/lf.yml"], containerHost: nil,
                environment: [], version: "0.1.0"
            ).render()
        }
        #expect(units[0] == units[1])
        #expect(units[0].contains("ExecStart=/bin/podstack up -f /c/lf.yml lf\n"))
    }

    @Test("a pod without networks of its own is still one Pod")
    func sharedNamespaceUnchanged() throws {
        var pod = Self.langfuseLike()
        pod.networks = []
        pod.ownNetworkReason = nil
        let documents = try Self.documents(pod)
        #expect(Self.kinds(documents) == ["PersistentVolumeClaim", "Pod"])
        #expect(documents.last?.value?["metadata", "name"]?.string == "lf")
    }
}
