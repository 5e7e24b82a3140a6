import Foundation
import PodstackCompose
import Testing

@Suite("a file whose services share no network between groups becomes one pod per group")
struct PodSplitTests {
    @Test("n8n's shape: the services on default are the project's pod, the others <project>-<network>")
    func defaultAndNamedNetwork() throws {
        let yaml = """
            name: kit
            services:
              db: {image: x, networks: [demo], ports: ["5432:5432"]}
              app: {image: x, networks: [demo], depends_on: [db]}
              store: {image: x, container_name: store, ports: ["9000:9000"]}
              proxy: {image: x}
            networks: {demo: {}}
            volumes: {data: {}, files: {}, spare: {}}
            """.replacingOccurrences(of: "image: x}", with: "image: x, volumes: [\"data:/d\"]}")
        let stack = try load(yaml)
        #expect(stack.pods.map(\.name) == ["kit-demo", "kit"])
        let demo = try #require(stack.pods.first)
        let kit = try #require(stack.pods.last)
        #expect(demo.services.map(\.name) == ["db", "app"])
        #expect(kit.services.map(\.name) == ["store", "proxy"])
        #expect(demo.services.allSatisfy { $0.podName == "kit-demo" })
        #expect(kit.services.map(\.containerName) == ["store", "kit-proxy"])
        #expect(demo.services.map(\.containerName) == ["kit-db", "kit-app"])
        // proxy uses data; spare and files are used by none and stay with the first pod.
        #expect(kit.volumes.map(\.name) == ["kit_data"])
        #expect(demo.volumes.map(\.name) == ["kit_files", "kit_spare"])
    }

    @Test("groups on named networks only are named after each group's first network")
    func namedNetworksOnly() throws {
        let yaml = """
            name: p
            services:
              a: {image: x, networks: [Front_End]}
              b: {image: x, networks: [back, extra]}
              c: {image: x, networks: [extra]}
            networks: {Front_End: {}, back: {}, extra: {}}
            """
        let stack = try load(yaml)
        #expect(stack.pods.map(\.name) == ["p-front_end", "p-back"])
        #expect(stack.pods.last?.services.map(\.name) == ["b", "c"])
    }

    @Test("services that one service bridges stay one pod, each service on its own networks; the unconnected one splits")
    func bridgedGetsOwnNetworks() throws {
        let yaml = """
            name: p
            services:
              a: {image: x, networks: [one]}
              b: {image: x, networks: [one, two]}
              c: {image: x, networks: [two]}
              d: {image: x, networks: [three]}
            networks: {one: {}, two: {}, three: {}}
            """
        let stack = try load(yaml)
        #expect(stack.pods.map(\.name) == ["p-one", "p-three"])
        #expect(stack.pods[0].networks.map(\.name) == ["p_one", "p_two"])
        #expect(stack.pods[0].ownNetworkReason == .networksKeptApart(services: ["a", "c"]))
        #expect(stack.pods[1].networks.isEmpty)
    }

    @Test("services on one network, or on none named, stay one pod")
    func oneNetworkIsOnePod() throws {
        let one = try load(
            "name: p\nservices:\n  a: {image: x, networks: [n]}\n  b: {image: x, networks: [n]}\nnetworks: {n: {}}\n")
        #expect(one.pods.map(\.name) == ["p"])
        let none = try load("name: p\nservices:\n  a: {image: x}\n  b: {image: x, networks: []}\n")
        #expect(none.pods.map(\.name) == ["p"])
    }

    @Test("a service on network_mode service:NAME is in NAME's pod")
    func sharedNamespaceFollowsItsService() throws {
        let yaml = """
            name: p
            services:
              vpn: {image: x, networks: [tunnel]}
              client: {image: x, network_mode: "service:vpn"}
              web: {image: x}
            networks: {tunnel: {}}
            """
        let stack = try load(yaml)
        #expect(stack.pods.map { $0.services.map(\.name) } == [["vpn", "client"], ["web"]])
        let unknown = try loadIssues(yaml.replacingOccurrences(of: "service:vpn", with: "service:vnp")).map(\.message)
        #expect(unknown == ["service 'client' depends on unknown service 'vnp'"])
    }

    @Test("a dependency on a service of the other group is refused: pods start independently")
    func dependencyAcrossPods() throws {
        let yaml = """
            name: p
            services:
              a: {image: x, networks: [one], depends_on: [b]}
              b: {image: x}
            networks: {one: {}}
            """
        let issue = try #require(try loadIssues(yaml).first)
        #expect(issue.message == "service 'a' depends on service 'b' of another pod, which starts on its own")
        #expect(issue.hint?.contains("'b' is in pod 'p'") == true, "\(issue.hint ?? "")")
        #expect(issue.hint?.contains("networks with none in common") == true)
        #expect(issue.location?.line == 3)
    }

    @Test("the same container port in two groups is fine, each pod has its own namespace; host ports stay unique")
    func portsArePerPod() throws {
        let yaml = """
            name: p
            services:
              a: {image: x, networks: [one], ports: ["8080:80"]}
              b: {image: x, ports: ["8081:80"]}
            networks: {one: {}}
            """
        #expect(try load(yaml).pods.count == 2)
        // In one pod, the two get network namespaces of their own (OwnNetworksTests).
        let onePod = yaml.replacingOccurrences(of: "networks: [one], ", with: "")
        #expect(try load(onePod).pods.map(\.ownNetworkReason) == [.sameContainerPort(port: "80/tcp", services: ["a", "b"])])
        let sameHostPort = yaml.replacingOccurrences(of: "8081", with: "8080")
        #expect(try loadIssues(sameHostPort).contains { $0.message.contains("8080") })
    }

    @Test("a config kept as a secret is named after the pod of the service that mounts it, and referenced so")
    func configSecretsPerPod() throws {
        let yaml = """
            name: p
            services:
              a: {image: x, networks: [one], configs: [{source: c, uid: "1000"}]}
              b: {image: x, configs: [{source: c, uid: "1000"}]}
            networks: {one: {}}
            configs: {c: {content: hello}}
            secrets: {config_s: {environment: HOME}}
            """
        let stack = try load(yaml)
        #expect(stack.pods.map(\.name) == ["p-one", "p"])
        for pod in stack.pods {
            let names = pod.secrets.map(\.name).filter { $0.contains("_config_c_") }
            #expect(names.count == 1 && names.allSatisfy { $0.hasPrefix(pod.name + "_config_c_") }, "\(names)")
            #expect(pod.services.flatMap(\.secrets).map(\.source) == names)
        }
        // A top-level secret no service uses stays with the first pod under the name it was given.
        #expect(stack.pods.map { $0.secrets.filter { $0.key == "config_s" }.map(\.name) } == [["p_config_s"], []])
    }
}
