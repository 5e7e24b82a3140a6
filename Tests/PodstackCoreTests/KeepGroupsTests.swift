import PodstackCompose
import PodstackPreflight
import Testing

@testable import PodstackCore

@Suite("keep-groups for device nodes that open only through a supplementary group")
struct KeepGroupsTests {
    static func row(_ service: String, _ verdict: DeviceVerdict) -> PreflightReport.DeviceRow {
        let ways: [WayOut] = [
            WayOut(action: .inspect, sentence: "see which it runs:", command: "podman info"),
            WayOut(
                action: .grantAccess, sentence: "Or let the user open the node:",
                command: "sudo setfacl -m u:bob:rw /dev/x"),
        ]
        return PreflightReport.DeviceRow(
            service: service, pod: "local-ai", device: "/dev/dri", verdict: verdict, waysOut: ways, checkedUser: "bob")
    }

    static let rows = [
        row("ollama", .onlyThroughGroup(node: "/dev/dri/renderD128", group: "render")),
        row("webui", .available(source: "/dev/dri")),
    ]

    @Test("under crun the service whose node needs a group gets keep-groups, and nothing is warned")
    func crun() {
        let decision = StackRunner.keepGroups(for: Self.rows, runtime: "crun")
        #expect(decision.services == [StackRunner.ServiceKey(pod: "local-ai", service: "ollama")])
        #expect(decision.warnings.isEmpty)
    }

    @Test(
        "under runc, or an unknown runtime, no service gets it and the warning names the runtime and the ways out but not the runtime check",
        arguments: ["runc", nil] as [String?])
    func otherRuntimes(runtime: String?) throws {
        let decision = StackRunner.keepGroups(for: Self.rows, runtime: runtime)
        #expect(decision.services.isEmpty)
        let warning = try #require(decision.warnings.first)
        #expect(decision.warnings.count == 1)
        #expect(warning.contains("runtime is \(runtime ?? "unknown")") && warning.contains("renderD128"), "\(warning)")
        #expect(warning.contains("Let the user open the node: sudo setfacl -m u:bob:rw /dev/x"), "\(warning)")
        #expect(!warning.contains("podman info"), "\(warning)")
    }

    @Test("group_add keep-groups becomes crun's annotation, not a group Podman would look up at start")
    func annotation() {
        let here = SourceLocation(file: "f.yml", line: 1, column: 1)
        var service = ServiceDefinition(name: "ollama", podName: "p", image: "x", location: here)
        service.process.groupAdd = ["keep-groups"]
        var plain = service
        plain.process.groupAdd = []
        let pod = PodDefinition(name: "p", sourceFile: "f.yml", services: [service, plain])
        let spec = ContainerSpecBuilder.container(service, in: pod)
        #expect(spec.annotations == ["run.oci.keep_original_groups": "1"])
        #expect(spec.groups == nil)
        let other = ContainerSpecBuilder.container(plain, in: pod)
        #expect(other.annotations == nil && other.groups == nil)
        #expect(ConfigDigest.service(service) != ConfigDigest.service(plain))
    }

    @Test("ps counts a container up gave keep-groups as made from its service, but only for a service with devices")
    func upToDate() {
        let here = SourceLocation(file: "f.yml", line: 1, column: 1)
        var service = ServiceDefinition(name: "ollama", podName: "p", image: "x", location: here)
        var kept = service
        kept.process.groupAdd = ["keep-groups"]
        #expect(!StackRunner.madeFrom(ConfigDigest.service(kept), service))
        service.devices = [DeviceRequest(path: "/dev/dri:/dev/dri:rwm", isCDI: false, reason: "", location: here)]
        kept.devices = service.devices
        #expect(StackRunner.madeFrom(ConfigDigest.service(kept), service))
        #expect(StackRunner.madeFrom(ConfigDigest.service(service), service))
        kept.image = "y"
        #expect(!StackRunner.madeFrom(ConfigDigest.service(kept), service))
    }
}
