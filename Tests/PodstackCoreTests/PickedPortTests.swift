import Foundation
import PodmanAPI
import PodstackCompose
import Testing

@testable import PodstackCore

@Suite("Ports whose host port Podman picks")
struct PickedPortTests {
    static let here = SourceLocation(file: "f.yml", line: 1, column: 1)
    static let picked = PortMapping(hostPort: PortMapping.podmanPicksHostPort, containerPort: 8001, location: here)

    static func pod(_ ports: [PortMapping]) -> PodDefinition {
        var service = ServiceDefinition(name: "web", podName: "p", image: "x", location: here)
        service.ports = ports
        return PodDefinition(name: "p", sourceFile: "f.yml", services: [service])
    }

    @Test("the preflight has nothing to check for them, and checks the fixed ports beside them")
    func preflight() {
        let fixed = PortMapping(hostPort: 18_080, containerPort: 80, location: Self.here)
        let report = StackRunner.preflight([Self.pod([Self.picked, fixed])], published: [], strict: false)
        #expect(report.rows.map(\.port) == [18_080])
    }

    @Test("the pod create spec asks Podman for host port 0, which it fills in")
    func spec() {
        let spec = ContainerSpecBuilder.pod(Self.pod([Self.picked]))
        #expect(spec.portMappings.map(\.hostPort) == [0])
        #expect(spec.portMappings.map(\.containerPort) == [8001])
    }

    @Test("ps and up show the port Podman picked, read from the pod's bindings")
    func shown() throws {
        let json = #"{"8001/tcp": [{"HostIp": "127.0.0.1", "HostPort": "46399"}]}"#
        let bindings = try JSONDecoder().decode([String: [Podman.PodInspect.HostBinding]].self, from: Data(json.utf8))
        #expect(Self.picked.publishedText(bindings: bindings) == "127.0.0.1:46399->8001/tcp")
        #expect(Self.picked.publishedText(bindings: nil) == "127.0.0.1:?->8001/tcp")
        let fixed = PortMapping(hostPort: 8080, containerPort: 80, location: Self.here)
        #expect(fixed.publishedText(bindings: bindings) == "127.0.0.1:8080->80/tcp")
    }
}
