import Foundation
import PodstackTestSupport
import Testing

/// Files that ask for what one network namespace cannot give, on the real rootless beds: each service gets
/// a namespace of its own on the pod's Podman networks, and reaches the others as compose has it, by name
/// through Podman's DNS.
@Suite("services with network namespaces of their own", .enabled(if: TestBed.enabled))
struct OwnNetworksIntegrationTests {
    static func podman(_ arguments: [String]) async throws -> (status: Int32, output: String) {
        try await PodSplitIntegrationTests.podman(arguments)
    }

    /// `wget` of a service's health route from inside a container; the body on success. (No `-T`: the beds' busybox wget crashes with it.)
    static func fetch(from container: String, _ url: String) async throws -> (status: Int32, output: String) {
        try await podman(["exec", container, "wget", "-q", "-O-", url])
    }

    @Test(
        "two services on one container port run in one pod, reached by name, alias and links alias and on their host ports; a second up keeps every container; on ports of their own they share one namespace again and the network goes"
    )
    func sameContainerPort() async throws {
        let stack = try ScratchStack("ownnet")
        let port = 18_761
        try stack.write(
            ScratchStack.service(
                "alpha", port: 18_762, internalPort: port,
                extra: "    networks:\n      default:\n        aliases: [first]\n")
                + ScratchStack.service("beta", port: 18_763, internalPort: port)
                + ScratchStack.service(
                    "client", mode: "sleep", health: false, extra: "    links: [\"beta:second\"]\n    ports: [\"9\"]\n"))
        let podstack = try PodstackProcess()
        let network = "\(stack.pod)_default"
        try await withCleanup({ await podstack.down(stack.directory) }) {
            let up = try await podstack.run(["up", "--compose-dir", stack.directory], limit: .seconds(120))
            try #require(up.status == 0, "\(up.output)")
            let client = "\(stack.pod)-client"
            for host in ["alpha", "first", "beta", "second", "\(stack.pod)-beta"] {
                let reply = try await Self.fetch(from: client, "http://\(host):\(port)/health")
                #expect(reply.status == 0 && reply.output.contains("ok"), "\(host): \(reply.output)")
            }
            // Each has a namespace of its own: nothing listens on the client's own localhost.
            #expect(try await Self.fetch(from: client, "http://127.0.0.1:\(port)/health").status != 0)
            // Each publishes its own port on the host.
            for hostPort in [18_762, 18_763] {
                #expect(HostNet.httpGet(port: hostPort, path: "/health")?.contains("ok") == true, "port \(hostPort)")
            }
            let shared = try await Self.podman(["pod", "inspect", stack.pod, "--format", "{{.SharedNamespaces}}"])
            #expect(shared.output == "[ipc]", "\(shared.output)")
            let ports = try await Self.podman(["port", "\(stack.pod)-beta"])
            #expect(ports.output.contains("18763"), "\(ports.output)")
            // The host port Podman picked for the client is its own container's, shown by up and ps.
            let ps = try await podstack.run(["ps", "--compose-dir", stack.directory])
            #expect(ps.stdout.contains("->9/tcp") && !ps.stdout.contains("?->9/tcp"), "\(ps.stdout)")
            #expect(up.stdout.contains("->9/tcp") && !up.stdout.contains("?->9/tcp"), "\(up.stdout)")
            let labels = try await Self.podman(["network", "inspect", network, "--format", "{{.Labels}}"])
            #expect(labels.status == 0 && labels.output.contains("io.podstack.stack:\(stack.pod)"), "\(labels.output)")

            let before = try await Self.podman(["ps", "-a", "--filter", "pod=\(stack.pod)", "--format", "{{.ID}}"])
            let again = try await podstack.run(["up", "--compose-dir", stack.directory], limit: .seconds(120))
            #expect(again.status == 0, "\(again.output)")
            let after = try await Self.podman(["ps", "-a", "--filter", "pod=\(stack.pod)", "--format", "{{.ID}}"])
            #expect(before.output == after.output && !before.output.isEmpty)

            // On ports of their own the services share one namespace again: the pod is made anew, the
            // network goes, and they reach each other on localhost.
            try stack.write(
                ScratchStack.service("alpha", port: 18_762, internalPort: port)
                    + ScratchStack.service("beta", port: 18_763, internalPort: port + 1)
                    + ScratchStack.service("client", mode: "sleep", health: false))
            let oneNamespace = try await podstack.run(["up", "--compose-dir", stack.directory], limit: .seconds(120))
            #expect(oneNamespace.status == 0, "\(oneNamespace.output)")
            #expect(try await Self.podman(["network", "exists", network]).status != 0)
            let local = try await Self.fetch(from: "\(stack.pod)-client", "http://127.0.0.1:\(port + 1)/health")
            #expect(local.status == 0 && local.output.contains("ok"), "\(local.output)")
        }
    }

    @Test(
        "networks that one service bridges keep the other two apart, a fixed address on a subnet of the file's is the container's, and down removes the networks but one a container of someone else's is on"
    )
    func bridgedNetworksAndFixedAddress() async throws {
        let stack = try ScratchStack("ownnet2")
        // A subnet of its own per run: runs of this test on one bed at the same time must not collide.
        let octet = Int.random(in: 20...250)
        let address = "10.123.\(octet).5"
        try stack.write(
            ScratchStack.service(
                "web", internalPort: 8080,
                extra: "    networks:\n      front:\n        ipv4_address: \(address)\n")
                + ScratchStack.service("db", internalPort: 8080, extra: "    networks: [back]\n")
                + ScratchStack.service(
                    "api", mode: "sleep", health: false, extra: "    networks: [front, back]\n"),
            extra: "networks:\n  front:\n    ipam:\n      config:\n        - subnet: 10.123.\(octet).0/24\n  back: {}\n")
        let podstack = try PodstackProcess()
        try await withCleanup({ await podstack.down(stack.directory) }) {
            let up = try await podstack.run(["up", "--compose-dir", stack.directory], limit: .seconds(120))
            try #require(up.status == 0, "\(up.output)")
            let api = "\(stack.pod)-api"
            for host in ["web", "db", address] {
                let reply = try await Self.fetch(from: api, "http://\(host):8080/health")
                #expect(reply.status == 0 && reply.output.contains("ok"), "\(host): \(reply.output)")
            }
            // web is on front only: db, on back, is out of its reach, by name and by address.
            #expect(try await Self.fetch(from: "\(stack.pod)-web", "http://db:8080/health").status != 0)
            let inspect = try await Self.podman([
                "inspect", "\(stack.pod)-web", "--format", "{{range .NetworkSettings.Networks}}{{.IPAddress}} {{end}}",
            ])
            #expect(inspect.output == address, "\(inspect.output)")
            // A container of someone else's on back keeps that network through down; front goes.
            let foreign = "\(stack.pod)-foreign"
            let run = try await Self.podman([
                "run", "-d", "--name", foreign, "--network", "\(stack.pod)_back", TestBed.genericImage, "sleep", "600",
            ])
            try #require(run.status == 0, "\(run.output)")
            let down = try await podstack.run(["down", "--compose-dir", stack.directory], limit: .seconds(90))
            #expect(down.status == 0, "\(down.output)")
            #expect(down.output.contains("network \(stack.pod)_back is kept"), "\(down.output)")
            #expect(try await Self.podman(["network", "exists", "\(stack.pod)_front"]).status != 0)
            #expect(try await Self.podman(["network", "exists", "\(stack.pod)_back"]).status == 0)
            _ = try await Self.podman(["rm", "-f", "-t", "0", foreign])
            _ = try await Self.podman(["network", "rm", "\(stack.pod)_back"])
        }
    }

    @Test(
        "a service on the host's network beside services on a network (SearXNG's caddy): it reaches their published port on 127.0.0.1, they reach each other by name, and it has no name on their network"
    )
    func hostNetworkBeside() async throws {
        let stack = try ScratchStack("hostbeside")
        let hostPort = 18_771
        try stack.write(
            ScratchStack.service("web", port: hostPort, internalPort: 8080, extra: "    networks: [inner]\n")
                + ScratchStack.service("client", mode: "sleep", health: false, extra: "    networks: [inner]\n")
                + ScratchStack.service(
                    "front", mode: "sleep", health: false,
                    extra: "    network_mode: host\n    extra_hosts: [\"probe.test:10.9.8.7\"]\n"),
            extra: "networks:\n  inner: {}\n")
        let podstack = try PodstackProcess()
        try await withCleanup({ await podstack.down(stack.directory) }) {
            let up = try await podstack.run(["up", "--compose-dir", stack.directory], limit: .seconds(120))
            try #require(up.status == 0, "\(up.output)")
            let fromHost = try await Self.fetch(from: "\(stack.pod)-front", "http://127.0.0.1:\(hostPort)/health")
            #expect(fromHost.status == 0 && fromHost.output.contains("ok"), "\(fromHost.output)")
            let byName = try await Self.fetch(from: "\(stack.pod)-client", "http://web:8080/health")
            #expect(byName.status == 0 && byName.output.contains("ok"), "\(byName.output)")
            let mode = try await Self.podman(["inspect", "\(stack.pod)-front", "--format", "{{.HostConfig.NetworkMode}}"])
            #expect(mode.output == "host", "\(mode.output)")
            // Its hosts entry is in its /etc/hosts: a container on the host's network takes them.
            let hosts = try await Self.podman(["exec", "\(stack.pod)-front", "grep", "probe.test", "/etc/hosts"])
            #expect(hosts.status == 0 && hosts.output.contains("10.9.8.7"), "\(hosts.output)")
            // front has no name on inner, as in compose (web's name resolves: the control).
            #expect(try await Self.podman(["exec", "\(stack.pod)-client", "nslookup", "front"]).status != 0)
            #expect(try await Self.podman(["exec", "\(stack.pod)-client", "nslookup", "web"]).status == 0)
        }
    }

    @Test("deploy.replicas runs that many containers of the service, each answering to the service's name")
    func replicas() async throws {
        let stack = try ScratchStack("replicas")
        try stack.write(
            ScratchStack.service("web", internalPort: 8080, extra: "    deploy:\n      replicas: 2\n")
                + ScratchStack.service(
                    "client", mode: "sleep", dependsOn: [("web", "service_healthy")], health: false))
        let podstack = try PodstackProcess()
        try await withCleanup({ await podstack.down(stack.directory) }) {
            let up = try await podstack.run(["up", "--compose-dir", stack.directory], limit: .seconds(120))
            try #require(up.status == 0, "\(up.output)")
            let names = try await Self.podman(["ps", "--filter", "pod=\(stack.pod)", "--format", "{{.Names}}"])
            #expect(Set(names.output.split(separator: "\n").map(String.init)).isSuperset(of: ["\(stack.pod)-web-1", "\(stack.pod)-web-2"]))
            // The name resolves to both replicas' addresses.
            let lookup = try await Self.podman(["exec", "\(stack.pod)-client", "nslookup", "web"])
            let addresses = lookup.output.split(separator: "\n").filter { $0.hasPrefix("Address") && !$0.contains("#53") && !$0.contains(":53") }
            #expect(addresses.count == 2, "\(lookup.output)")
            let reply = try await Self.fetch(from: "\(stack.pod)-client", "http://web:8080/health")
            #expect(reply.status == 0 && reply.output.contains("ok"), "\(reply.output)")
        }
    }
}
