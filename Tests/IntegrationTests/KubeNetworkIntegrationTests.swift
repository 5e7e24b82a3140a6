import Foundation
import PodstackTestSupport
import Testing

/// `podstack kube` of a file whose services have network namespaces of their own, played by the bed's Podman.
@Suite("kube output of a pod with networks of its own, played by podman")
struct KubeNetworkIntegrationTests {
    static let containerPort = 9000

    @Test(
        "two services on one container port play as two Pods: web answers on its host port and reaches db at http://db:9000",
        .enabled(if: TestBed.enabled, "no Podman test bed (scripts/testbed.sh up)"))
    func playsServicesWithOwnNetworks() async throws {
        let stack = try ScratchStack("kubenet")
        let (dbPort, webPort) = (HostNet.freePort(), HostNet.freePort())
        // Their index pages tell them apart: "generic stand-in (serve)" is db's, "(flap)" web's (healthy for a day).
        try stack.write(
            ScratchStack.service("db", port: dbPort, internalPort: Self.containerPort, health: false)
                + ScratchStack.service(
                    "web", mode: "flap", port: webPort, internalPort: Self.containerPort,
                    dependsOn: [("db", "service_started")], health: false,
                    environment: ["STANDIN_HEALTHY_FOR": "86400"]))
        let kube = try await PodstackProcess().run(["kube", "--compose-dir", stack.directory])
        #expect(kube.status == 0, "\(kube.output)")
        let yaml = kube.stdout
        let manifest = stack.directory + "/kube.yaml"
        try yaml.write(toFile: manifest, atomically: true, encoding: .utf8)
        chmod(manifest, 0o644)

        let play = try await ExportTool.podman(["kube", "play", manifest])
        #expect(play.status == 0, "podman kube play failed:\n\(play.output)\n\(yaml)")
        if play.status == 0 {
            for (port, page) in [(webPort, "(flap)"), (dbPort, "(serve)")] {
                let answer = await HostNet.waitForHTTP(port: port, path: "/", within: .seconds(60))
                #expect(
                    answer?.contains(page) == true,
                    "nothing like \(page) on 127.0.0.1:\(port): \(answer ?? "")\n\(yaml)")
            }
            // kube play names a container <pod>-<container>; the Pod is web.<pod>. A bound on the wait
            // while db starts, not a measurement.
            var reached = ""
            for _ in 0..<60 where !reached.contains("(serve)") {
                let probe = try await ExportTool.podman([
                    "exec", "web.\(stack.pod)-web", "curl", "-s", "-m", "5", "http://db:\(Self.containerPort)/",
                ])
                reached = probe.output
                if !reached.contains("(serve)") { try await Task.sleep(for: .milliseconds(500)) }
            }
            #expect(reached.contains("(serve)"), "web did not reach db by name: \(reached)\n\(yaml)")
        }
        _ = try? await ExportTool.podman(["kube", "down", manifest])
    }
}
