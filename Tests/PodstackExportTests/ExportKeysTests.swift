import Foundation
import PodstackCompose
import Testing

@testable import PodstackExport

@Suite("Export: the keys of names, addressing and the process")
struct ExportKeysTests {
    typealias F = ExportFixture

    static func pod() -> PodDefinition {
        var api = F.service("api")
        api.containerName = "the-api"
        api.addressing = ServiceAddressing(
            hostname: "box", aliases: ["backend"], extraHosts: [HostEntry(name: "db", address: "10.0.0.5")],
            dnsServers: ["10.0.0.53"], dnsSearch: ["example.org"], dnsOptions: ["ndots:2"])
        api.process.tty = true
        api.process.stdinOpen = true
        api.process.privileged = true
        api.process.readOnly = true
        api.process.noNewPrivileges = true
        api.process.seccompUnconfined = true
        api.process.capAdd = ["CAP_NET_ADMIN"]
        api.process.capDrop = ["ALL"]
        api.process.ulimits = [Ulimit(name: "nofile", soft: 1, hard: 2)]
        return F.pod([api, F.service("ui")])
    }

    @Test("hostname, service names and aliases as hostAliases, extra hosts and DNS reach the pod spec")
    func network() throws {
        let spec = try F.workload(Self.pod())["spec"]
        #expect(spec?["hostname"]?.string == "box")
        #expect(spec?["hostAliases", 0, "ip"]?.string == "10.0.0.5")
        #expect(spec?["hostAliases", 0, "hostnames", 0]?.string == "db")
        #expect(spec?["hostAliases", 1, "ip"]?.string == "127.0.0.1")
        #expect(spec?["hostAliases", 1, "hostnames"] == .list(["api", "ui", "backend"].map(YAMLValue.string)))
        #expect(spec?["dnsConfig", "nameservers", 0]?.string == "10.0.0.53")
        #expect(spec?["dnsConfig", "searches", 0]?.string == "example.org")
        #expect(spec?["dnsConfig", "options", 0, "name"]?.string == "ndots")
        #expect(spec?["dnsConfig", "options", 0, "value"]?.string == "2")
    }

    @Test("an extra host at host-gateway is said in a comment, since hostAliases take only addresses")
    func hostGateway() throws {
        var api = F.service("api")
        api.addressing.extraHosts = [HostEntry(name: "host.docker.internal", address: HostEntry.hostGateway)]
        let pod = F.pod([api])
        let spec = try F.workload(pod)["spec"]
        #expect(spec?["hostAliases", 0, "ip"]?.string == "127.0.0.1")
        #expect(spec?["hostAliases", 1] == nil)
        let text = try KubeExporter(options: KubeExportOptions(), secretValue: { _ in Data() }, hostPathKind: { _ in .missing })
            .render([pod], version: "test")
        #expect(text.contains("extra_hosts host.docker.internal at host-gateway"))
    }

    @Test("process settings become the container's securityContext, tty and stdin")
    func process() throws {
        let api = try F.workload(Self.pod())["spec", "containers", 0]
        #expect(api?["tty"] == .bool(true) && api?["stdin"] == .bool(true))
        #expect(api?["securityContext", "privileged"] == .bool(true))
        #expect(api?["securityContext", "readOnlyRootFilesystem"] == .bool(true))
        #expect(api?["securityContext", "allowPrivilegeEscalation"] == .bool(false))
        #expect(api?["securityContext", "capabilities", "add", 0]?.string == "NET_ADMIN")
        #expect(api?["securityContext", "capabilities", "drop", 0]?.string == "ALL")
        #expect(api?["securityContext", "seccompProfile", "type"]?.string == "Unconfined")
        #expect(try F.workload(F.pod([F.service("plain")]))["spec", "containers", 0, "securityContext"] == nil)
    }

    @Test("what Kubernetes cannot carry is said in a comment: container_name, ulimits, annotations")
    func comments() throws {
        let text = try KubeExporter(options: KubeExportOptions(), secretValue: { _ in Data() }, hostPathKind: { _ in .missing })
            .render([Self.pod()], version: "test")
        #expect(text.contains("container_name the-api"))
        #expect(text.contains("ulimits nofile"))
        var annotated = F.service("api")
        annotated.annotations = ["com.example.team": "data"]
        let note = try KubeExporter(options: KubeExportOptions(), secretValue: { _ in Data() }, hostPathKind: { _ in .missing })
            .render([F.pod([annotated])], version: "test")
        #expect(note.contains("# annotations com.example.team: Kubernetes annotates the Pod, not a container"))
        #expect(!text.contains("annotations"))
    }
}

@Suite("Export: hostnames per service")
struct ExportHostnamesTests {
    @Test("a pod whose services ask for different hostnames says in a comment that Kubernetes gives one")
    func perService() throws {
        var web1 = ExportFixture.service("web1")
        web1.addressing.hostname = "one"
        var web2 = ExportFixture.service("web2")
        web2.addressing.hostname = "two"
        let pod = ExportFixture.pod([web1, web2])
        #expect(try ExportFixture.workload(pod)["spec", "hostname"]?.string == KubeNames.label(pod.name))
        let text = try KubeExporter(options: KubeExportOptions(), secretValue: { _ in Data() }, hostPathKind: { _ in .missing })
            .render([pod], version: "test")
        #expect(text.contains("hostnames per service (web1: one, web2: two)"))
    }
}

@Suite("Export: a port whose host port Podman picks")
struct ExportPickedPortTests {
    @Test("the containerPort is written without a hostPort, with a comment that says why")
    func picked() throws {
        var web = ExportFixture.service("web")
        web.ports = [
            PortMapping(
                hostPort: PortMapping.podmanPicksHostPort, containerPort: 8001,
                location: SourceLocation(file: "f.yml", line: 1, column: 1))
        ]
        let pod = ExportFixture.pod([web])
        let port = try ExportFixture.workload(pod)["spec", "containers", 0, "ports", 0]
        #expect(port?["containerPort"] == .int(8001))
        #expect(port?["hostPort"] == nil)
        let text = try KubeExporter(options: KubeExportOptions(), secretValue: { _ in Data() }, hostPathKind: { _ in .missing })
            .render([pod], version: "test")
        #expect(text.contains("published on a host port Podman picks"))
    }
}

@Suite("Export: pid, ipc and uts")
struct ExportNamespacesTests {
    @Test("pid: host and ipc: host become the pod's hostPID and hostIPC; other modes are said in a comment")
    func namespaces() throws {
        var a = ExportFixture.service("a")
        a.namespaces = ServiceNamespaces(pid: .host, ipc: .host)
        var b = ExportFixture.service("b")
        b.namespaces = ServiceNamespaces(uts: .host)
        let pod = ExportFixture.pod([a, b])
        let spec = try ExportFixture.workload(pod)["spec"]
        #expect(spec?["hostPID"] == .bool(true))
        #expect(spec?["hostIPC"] == .bool(true))
        #expect(try ExportFixture.workload(ExportFixture.pod([b]))["spec", "hostPID"] == nil)
        let text = try KubeExporter(options: KubeExportOptions(), secretValue: { _ in Data() }, hostPathKind: { _ in .missing })
            .render([pod], version: "test")
        #expect(text.contains("uts: host of service b: a Kubernetes pod cannot set it per container."))
    }
}

@Suite("Kube export of run-time keys")
struct ExportRuntimeKeysTests {
    typealias F = ExportFixture

    @Test("a driver_opts volume's claim carries podman kube play's volume annotations")
    func volumeOptionAnnotations() throws {
        let bound = VolumeDefinition(
            name: "demo_data", key: "data", driverOptions: ["type": "none", "o": "bind", "device": "/srv/data"])
        let pod = F.pod(
            [F.service("a", mounts: [.volume(name: "demo_data", target: "/data", readOnly: false)])], volumes: [bound])
        let documents = try KubeExporter(options: KubeExportOptions(), secretValue: { _ in Data() }, hostPathKind: { _ in .missing })
            .documents(for: pod)
        let claim = try #require(documents.first { $0.value?["kind"]?.string == "PersistentVolumeClaim" }?.value)
        #expect(claim["metadata", "annotations", "volume.podman.io/device"]?.string == "/srv/data")
        #expect(claim["metadata", "annotations", "volume.podman.io/type"]?.string == "none")
        #expect(claim["metadata", "annotations", "volume.podman.io/mount-options"]?.string == "bind")
        let plain = F.pod(
            [F.service("a", mounts: [.volume(name: "demo_data", target: "/data", readOnly: false)])],
            volumes: [VolumeDefinition(name: "demo_data", key: "data")])
        let plainClaim = try KubeExporter(options: KubeExportOptions(), secretValue: { _ in Data() }, hostPathKind: { _ in .missing })
            .documents(for: plain).first { $0.value?["kind"]?.string == "PersistentVolumeClaim" }?.value
        #expect(plainClaim?["metadata", "annotations"] == nil)
    }

    @Test("limits and reservations become the container's resources; what Kubernetes cannot set is a note")
    func resources() throws {
        var service = F.service("a")
        service.resources.memoryBytes = 536_870_912
        service.resources.cpus = 0.5
        service.resources.memoryReservationBytes = 1_048_576
        service.resources.cpuShares = 256
        service.resources.pids = 100
        service.logging = LoggingSettings(driver: "journald")
        service.usernsMode = "keep-id"
        service.process.apparmorProfile = "unconfined"
        service.healthcheck = HealthCheck(test: ["CMD", "true"], startPeriodSeconds: 30)
        service.healthcheck?.startIntervalSeconds = 5
        let container = try #require(try F.workload(F.pod([service]))["spec", "containers", 0])
        #expect(container["resources", "limits", "memory"]?.string == "536870912")
        #expect(container["resources", "limits", "cpu"]?.string == "500m")
        #expect(container["resources", "requests", "memory"]?.string == "1048576")
        #expect(container["resources", "requests", "cpu"]?.string == "250m")
        #expect(container["securityContext", "appArmorProfile", "type"]?.string == "Unconfined")
        let text = try KubeExporter(options: KubeExportOptions(), secretValue: { _ in Data() }, hostPathKind: { _ in .missing })
            .render([F.pod([service])], version: "test")
        for note in ["pids_limit 100", "logging journald", "--userns=keep-id", "periodSeconds: 5 and failureThreshold: 6"] { #expect(text.contains(note), "\(note)") }
        #expect(try F.workload(F.pod([F.service("plain")]))["spec", "containers", 0, "resources"] == nil)
    }
}
