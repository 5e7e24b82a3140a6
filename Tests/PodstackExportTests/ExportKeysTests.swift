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
