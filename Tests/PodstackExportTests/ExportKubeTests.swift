import Foundation
import PodstackCompose
import Testing

@testable import PodstackExport

@Suite("Export: Kubernetes manifests")
struct ExportKubeTests {
    typealias F = ExportFixture

    @Test(
        "names become RFC 1123 labels",
        arguments: [
            ("local-ai", "local-ai"), ("local-ai_models", "local-ai-models"), ("Aidb_Postgres", "aidb-postgres"),
            ("__x__", "x"), ("", "x"), ("a..b", "a-b"), ("ünï", "n"),
        ])
    func labels(name: String, expected: String) {
        #expect(KubeNames.label(name) == expected)
    }

    @Test("a long name keeps 63 characters and a digest, so two long names stay apart")
    func longNames() {
        let first = KubeNames.label(String(repeating: "a", count: 80) + "-one")
        let second = KubeNames.label(String(repeating: "a", count: 80) + "-two")
        #expect(first.count <= 63 && second.count <= 63)
        #expect(first != second)
        #expect(KubeNames.unique(["data", "data", "Data"]) == ["data", "data-2", "data-3"])
    }

    struct OrderCase: Sendable, CustomTestStringConvertible {
        var label: String
        var services: [ServiceDefinition]
        var sidecars: Bool
        var initContainers: [String]
        var main: [String]
        var unexpressed: [String: [String]]
        var testDescription: String { label }
    }

    static let chain = [
        F.service("db", healthcheck: F.check),
        F.service("api", dependsOn: [Dependency(service: "db", condition: .healthy)], healthcheck: F.check),
        F.service("guard", dependsOn: [Dependency(service: "api", condition: .started)]),
    ]
    static let migration = [
        F.service("migrate", restart: .no),
        F.service("app", dependsOn: [Dependency(service: "migrate", condition: .completedSuccessfully)]),
    ]
    static let jobAfterServer = [
        F.service("db", healthcheck: F.check),
        F.service("seed", dependsOn: [Dependency(service: "db", condition: .healthy)], restart: .no),
        F.service("app", dependsOn: [Dependency(service: "seed", condition: .completedSuccessfully)]),
    ]

    @Test(
        "dependencies become init containers or sidecars where Kubernetes can order them, and notes where not",
        arguments: [
            OrderCase(
                label: "a chain of servers, plain Pod", services: chain, sidecars: false, initContainers: [],
                main: ["db", "api", "guard"], unexpressed: ["api": ["db"], "guard": ["api"]]),
            OrderCase(
                label: "a chain of servers, sidecars", services: chain, sidecars: true, initContainers: ["db", "api"],
                main: ["guard"], unexpressed: [:]),
            OrderCase(
                label: "a job first", services: migration, sidecars: false, initContainers: ["migrate"], main: ["app"],
                unexpressed: [:]),
            OrderCase(
                label: "a job after a server, plain Pod", services: jobAfterServer, sidecars: false, initContainers: [],
                main: ["db", "seed", "app"], unexpressed: ["seed": ["db"], "app": ["seed"]]),
            OrderCase(
                label: "a job after a server, sidecars", services: jobAfterServer, sidecars: true,
                initContainers: ["db", "seed"], main: ["app"], unexpressed: [:]),
        ])
    func startOrder(_ item: OrderCase) throws {
        let pod = F.pod(item.services)
        let order = KubeStartOrder(pod: pod, graph: try DependencyGraph(pod: pod), sidecars: item.sidecars)
        #expect(order.initContainers == item.initContainers)
        #expect(order.mainContainers == item.main)
        #expect(order.unexpressed.mapValues { $0.map(\.service) } == item.unexpressed)
    }

    @Test("a gated sidecar's startup probe allows the start period plus the retries; jobs get no probes")
    func sidecarProbes() throws {
        let spec = try F.workload(F.pod(Self.jobAfterServer), options: KubeExportOptions(sidecars: true))["spec"]
        let db = spec?["initContainers"]?.named("db")
        #expect(db?["restartPolicy"]?.string == "Always")
        #expect(db?["startupProbe", "failureThreshold"]?.int == 3 + 3)
        #expect(db?["startupProbe", "exec", "command"] == .list([.string("probe")]))
        let seed = spec?["initContainers"]?.named("seed")
        #expect(seed?.keys.contains { $0.hasSuffix("Probe") || $0 == "restartPolicy" } == false)
    }

    @Test("ports, environment, probes and user carry over to the container")
    func container() throws {
        let shell = HealthCheck(
            test: ["CMD-SHELL", "wget -q localhost:80 || exit 1"], intervalSeconds: 1.5, timeoutSeconds: 0.2,
            startPeriodSeconds: 0, retries: 0)
        let service = F.service(
            "web", healthcheck: shell,
            ports: [
                PortMapping(hostPort: 8081, containerPort: 80, location: F.here),
                PortMapping(hostIP: "0.0.0.0", hostPort: 5353, containerPort: 53, protocol: .udp, location: F.here),
            ],
            environment: ["B": "2", "A": "true"], user: "1000:100")
        let web = try F.workload(F.pod([service]))["spec", "containers", 0]
        #expect(
            web?["ports", 0]
                == .map([
                    YAMLEntry("containerPort", .int(80)), YAMLEntry("hostPort", .int(8081)),
                    YAMLEntry("hostIP", .string("127.0.0.1")), YAMLEntry("protocol", .string("TCP")),
                ]))
        #expect(web?["ports", 1, "hostIP"] == nil)
        #expect(web?["ports", 1, "protocol"]?.string == "UDP")
        #expect(web?["env", 0, "name"]?.string == "A" && web?["env", 0, "value"]?.string == "true")
        #expect(
            web?["livenessProbe", "exec", "command"]
                == .list(["/bin/sh", "-c", "wget -q localhost:80 || exit 1"].map(YAMLValue.string)))
        #expect(web?["livenessProbe", "periodSeconds"]?.int == 2)
        #expect(web?["livenessProbe", "timeoutSeconds"]?.int == 1)
        #expect(web?["livenessProbe", "failureThreshold"]?.int == 1)
        #expect(web?["securityContext", "runAsUser"]?.int == 1000 && web?["securityContext", "runAsGroup"]?.int == 100)
    }

    @Test("binds become hostPath volumes typed by what is on disk; named volumes become claims under Kubernetes names")
    func volumes() throws {
        let pod = F.pod(
            [
                F.service(
                    "db",
                    mounts: [
                        .bind(source: "/data/db", target: "/var/lib/db", readOnly: false, selinux: .private),
                        .bind(source: "/etc/db.conf", target: "/etc/db.conf", readOnly: true, selinux: nil),
                        .volume(name: "demo_cache", target: "/cache", readOnly: false),
                        .volume(name: "shared", target: "/shared", readOnly: true),
                    ])
            ],
            volumes: [
                VolumeDefinition(name: "demo_cache", key: "cache"),
                VolumeDefinition(name: "shared", key: "shared", external: true),
            ])
        let documents = try KubeExporter(
            options: KubeExportOptions(claimSize: "5Gi"), hostPathKind: { $0.hasSuffix(".conf") ? .file : .directory }
        )
        .documents(for: pod)
        #expect(documents.count == 2)
        #expect(documents[0].value?["kind"]?.string == "PersistentVolumeClaim")
        #expect(documents[0].value?["metadata", "name"]?.string == "demo-cache")
        #expect(documents[0].value?["spec", "resources", "requests", "storage"]?.string == "5Gi")
        let spec = documents[1].value?["spec"]
        #expect(
            spec?["volumes"]?.named("db")?["hostPath"]
                == .map([YAMLEntry("path", .string("/data/db")), YAMLEntry("type", .string("DirectoryOrCreate"))]))
        #expect(spec?["volumes"]?.named("db-conf")?["hostPath", "type"]?.string == "File")
        #expect(spec?["volumes"]?.named("cache")?["persistentVolumeClaim", "claimName"]?.string == "demo-cache")
        #expect(spec?["volumes"]?.named("shared")?["persistentVolumeClaim", "claimName"]?.string == "shared")
        let mounts = spec?["containers", 0, "volumeMounts"]
        #expect(mounts?.named("db-conf")?["readOnly"] == .bool(true))
        #expect(mounts?.named("cache")?["mountPath"]?.string == "/cache")
    }

    @Test("a secret is a reference with a comment, and a Secret manifest only when asked for")
    func secrets() throws {
        let pod = F.pod(
            [F.service("db", secrets: [SecretReference(source: "db_password", mode: 0o400)])],
            secrets: [SecretDefinition(key: "db_password", name: "demo_db_password", source: .file(path: "/s/pw"))])
        let referenced = try KubeExporter(options: KubeExportOptions()).documents(for: pod)
        #expect(referenced.count == 1)
        #expect(
            referenced[0].comments.contains {
                $0.contains("kubectl create secret generic demo-db-password --from-file=db_password=/s/pw")
            })
        let volume = referenced[0].value?["spec", "volumes"]?.named("secret-db-password")
        #expect(volume?["secret", "secretName"]?.string == "demo-db-password")
        #expect(volume?["secret", "defaultMode"]?.int == 0o400)
        #expect(referenced[0].value?["spec", "containers", 0, "volumeMounts", 0, "subPath"]?.string == "db_password")
        let included = try KubeExporter(
            options: KubeExportOptions(includeSecrets: true), secretValue: { _ in Data("s3cret".utf8) }
        )
        .documents(for: pod)
        #expect(included.count == 2)
        #expect(included[0].value?["kind"]?.string == "Secret")
        #expect(included[0].value?["data", "db_password"]?.string == Data("s3cret".utf8).base64EncodedString())
    }

    @Test("a Deployment has one replica, Recreate, a matching selector and restartPolicy Always")
    func deployment() throws {
        let value = try F.workload(
            F.pod([F.service("job", restart: .no)]), options: KubeExportOptions(workload: .deployment))
        #expect(value["kind"]?.string == "Deployment" && value["apiVersion"]?.string == "apps/v1")
        #expect(value["spec", "replicas"]?.int == 1)
        #expect(value["spec", "strategy", "type"]?.string == "Recreate")
        #expect(value["spec", "selector", "matchLabels"] == value["spec", "template", "metadata", "labels"])
        #expect(value["spec", "template", "spec", "restartPolicy"]?.string == "Always")
        #expect(try F.workload(F.pod([F.service("job", restart: .no)]))["spec", "restartPolicy"]?.string == "Never")
    }

    @Test(
        "CMD runs as is, CMD-SHELL through /bin/sh -c, NONE has no probe",
        arguments: [
            (["CMD", "ollama", "list"], ["ollama", "list"] as [String]?),
            (["CMD-SHELL", "pg_isready || exit 1"], ["/bin/sh", "-c", "pg_isready || exit 1"]),
            (["NONE"], nil), (["CMD"], nil),
        ])
    func probeCommand(test: [String], expected: [String]?) {
        #expect(KubePodBuilder.probeCommand(test) == expected)
    }
}
