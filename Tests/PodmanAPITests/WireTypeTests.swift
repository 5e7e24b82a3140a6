import Foundation
import Testing

@testable import PodmanAPI

@Suite("Wire types: states as enums, durations, shapes that differ between versions")
struct WireTypeTests {
    @Test(
        "container states decode from Podman's text and encode back to it; unknown text is kept",
        arguments: [
            ("running", Podman.ContainerState.running), ("exited", .exited), ("stopping", .stopping),
            ("initialized", .initialized), ("created", .created), ("stopped", .stopped),
            ("hibernating", .unknown("hibernating")),
        ])
    func containerState(text: String, state: Podman.ContainerState) throws {
        let decoded = try JSONDecoder().decode(Podman.ContainerState.self, from: Data("\"\(text)\"".utf8))
        #expect(decoded == state)
        #expect(decoded.text == text)
        #expect("\(decoded)" == text)
        #expect(String(decoding: try JSONEncoder().encode(decoded), as: UTF8.self) == "\"\(text)\"")
    }

    @Test(
        "health verdicts decode from Podman's text, the empty text of a container without a check included",
        arguments: [
            ("healthy", Podman.HealthStatus.healthy), ("unhealthy", .unhealthy), ("starting", .starting),
            ("", .noCheck), ("resetting", .unknown("resetting")),
        ])
    func healthStatus(text: String, status: Podman.HealthStatus) throws {
        let decoded = try JSONDecoder().decode(Podman.HealthStatus.self, from: Data("\"\(text)\"".utf8))
        #expect(decoded == status)
        #expect(decoded.text == text)
    }

    @Test("only exited and stopped containers have ended")
    func ended() {
        #expect(Podman.ContainerState.exited.hasEnded && Podman.ContainerState.stopped.hasEnded)
        #expect(!Podman.ContainerState.running.hasEnded && !Podman.ContainerState.stopping.hasEnded)
    }

    @Test("health durations go on the wire as nanoseconds")
    func healthNanoseconds() throws {
        let config = Podman.ContainerCreateSpec.HealthConfig(
            test: ["CMD", "true"], interval: .seconds(10), timeout: .milliseconds(1500), retries: 3, startPeriod: .zero)
        let json = try JSONSerialization.jsonObject(with: JSONEncoder().encode(config)) as? [String: Any]
        #expect(json?["Interval"] as? Int64 == 10_000_000_000)
        #expect(json?["Timeout"] as? Int64 == 1_500_000_000)
        #expect(json?["StartPeriod"] as? Int64 == 0)
    }

    @Test("container inspect decodes both the 4.x and the 5.0 entrypoint shapes")
    func flexibleEntrypoint() throws {
        let old = #"{"Entrypoint":"/bin/sh -c"}"#
        let new = #"{"Entrypoint":["/bin/sh","-c"]}"#
        for body in [old, new] {
            let config = try JSONDecoder().decode(Podman.ContainerInspect.Configuration.self, from: Data(body.utf8))
            #expect(config.entrypoint?.values == ["/bin/sh", "-c"])
        }
    }

    /// The JSON keys of an encoded value, and of its objects one level down.
    static func keys(of value: some Encodable) throws -> [String: Set<String>] {
        let object = try JSONSerialization.jsonObject(with: JSONEncoder().encode(value)) as? [String: Any] ?? [:]
        var keys = ["": Set(object.keys)]
        for (key, nested) in object {
            if let nested = nested as? [String: Any] { keys[key] = Set(nested.keys) }
            if let first = (nested as? [[String: Any]])?.first { keys[key] = Set(first.keys) }
        }
        return keys
    }

    @Test("create specs go out under Podman's JSON names, whatever the Swift names")
    func createSpecKeys() throws {
        var spec = Podman.ContainerCreateSpec(name: "c", image: "i")
        spec.pod = "p"
        spec.command = ["a"]
        spec.entrypoint = ["b"]
        spec.env = ["K": "V"]
        spec.labels = ["l": "v"]
        spec.mounts = [.init(destination: "/d", source: "/s", options: ["rw"])]
        spec.volumes = [.init(name: "v", destination: "/v")]
        spec.secrets = [.init(source: "s", target: "t", uid: 1, gid: 2, mode: 0o400)]
        spec.secretEnv = ["PASSWORD": "s"]
        spec.healthConfig = .init(
            test: ["CMD", "true"], interval: .seconds(1), timeout: .seconds(1), retries: 1, startPeriod: .zero)
        spec.restartPolicy = "on-failure"
        spec.restartTries = 3
        spec.stopSignal = 15
        spec.stopTimeout = 10
        spec.user = "1000"
        spec.workDir = "/w"
        spec.createWorkingDir = true
        let keys = try Self.keys(of: spec)
        #expect(
            keys[""] == [
                "name", "pod", "image", "command", "entrypoint", "env", "labels", "mounts", "volumes", "secrets",
                "secret_env", "healthconfig", "restart_policy", "restart_tries", "stop_signal", "stop_timeout", "user",
                "work_dir", "create_working_dir",
            ])
        #expect(keys["volumes"] == ["Name", "Dest", "Options"])
        #expect(keys["secrets"] == ["Source", "Target", "UID", "GID", "Mode"])
        #expect(keys["healthconfig"] == ["Test", "Interval", "Timeout", "Retries", "StartPeriod"])
        let pod = Podman.PodCreateSpec(
            name: "p", labels: [:], portMappings: [.init(hostIP: "127.0.0.1", hostPort: 1, containerPort: 2)])
        let podKeys = try Self.keys(of: pod)
        #expect(podKeys[""] == ["name", "labels", "portmappings", "exit_policy"])
        #expect(podKeys["portmappings"] == ["host_ip", "host_port", "container_port", "protocol"])
        #expect(try Self.keys(of: Podman.VolumeCreateSpec(name: "v", labels: ["a": "b"]))[""] == ["Name", "Label"])
    }

    @Test("inspect and list answers decode from Podman's JSON names into Swift names")
    func answerKeys() throws {
        let inspect = #"""
            {"Id":"abc","Name":"c","Pod":"p","IsInfra":false,"ImageName":"i","RestartCount":2,
             "Config":{"Labels":{"a":"b"},"Env":["K=V"],"Cmd":["run"]},
             "State":{"Status":"running","Running":true,"ExitCode":0,"StartedAt":"now","ConmonPid":42,
                      "Health":{"Status":"healthy","FailingStreak":0,"Log":[{"ExitCode":0,"Output":"ok"}]}}}
            """#
        let container = try JSONDecoder().decode(Podman.ContainerInspect.self, from: Data(inspect.utf8))
        #expect(container.id == "abc" && container.restartCount == 2 && container.config?.command == ["run"])
        #expect(container.state.status == .running && container.state.conmonPID == 42)
        #expect(container.state.health?.status == .healthy && container.state.health?.log?.first?.output == "ok")
        let list = #"""
            [{"Id":"abc","Names":["c"],"State":"exited","Status":"Exited (0) 1 second ago","PodName":"p",
              "Ports":[{"host_ip":"127.0.0.1","host_port":8080,"container_port":80,"protocol":"tcp"}]}]
            """#
        let summary = try JSONDecoder().decode([Podman.ContainerSummary].self, from: Data(list.utf8))
        #expect(summary.first?.state == .exited && summary.first?.podName == "p")
        #expect(summary.first?.ports?.first?.hostIP == "127.0.0.1" && summary.first?.ports?.first?.hostPort == 8080)
        let pod = #"""
            {"Id":"p1","Name":"p","State":"Running","InfraContainerID":"i1",
             "InfraConfig":{"PortBindings":{"80/tcp":[{"HostIp":"127.0.0.1","HostPort":"8080"}]}},
             "Containers":[{"Id":"i1","Name":"p-infra","State":"running"}]}
            """#
        let podInspect = try JSONDecoder().decode(Podman.PodInspect.self, from: Data(pod.utf8))
        #expect(podInspect.infraContainerID == "i1" && podInspect.containers?.first?.state == .running)
        #expect(podInspect.infraConfig?.portBindings?["80/tcp"]?.first?.hostPort == "8080")
    }
}
