import Foundation
import PodmanAPI
import PodstackCompose
import Testing

@testable import PodstackCore

/// The run-time keys in the create specs podstack sends. Where rootless Podman on cgroups v1 drops the
/// limits (both test beds), this is the proof that podstack asked for them.
@Suite("Run-time keys in the create specs")
struct RuntimeSpecTests {
    static let here = SourceLocation(file: "f.yml", line: 1, column: 1)

    static func service(_ change: (inout ServiceDefinition) -> Void) -> ServiceDefinition {
        var service = ServiceDefinition(name: "api", podName: "p", image: "x", location: here)
        change(&service)
        return service
    }

    static func body(_ service: ServiceDefinition) throws -> [String: Any] {
        let pod = PodDefinition(name: "p", sourceFile: "f.yml", services: [service])
        let data = try JSONEncoder().encode(ContainerSpecBuilder.container(service, in: pod))
        return try #require(try JSONSerialization.jsonObject(with: data) as? [String: Any])
    }

    @Test("memory, CPU and pids limits go into resource_limits as the OCI spec names them")
    func resourceLimits() throws {
        let service = Self.service {
            $0.resources.memoryBytes = 536_870_912
            $0.resources.memorySwapBytes = -1
            $0.resources.memoryReservationBytes = 1_048_576
            $0.resources.cpus = 0.5
            $0.resources.cpuShares = 256
            $0.resources.cpuset = "0-1"
            $0.resources.pids = 100
        }
        let limits = try #require(try Self.body(service)["resource_limits"] as? [String: [String: Any]])
        #expect(limits["memory"]?["limit"] as? Int == 536_870_912)
        #expect(limits["memory"]?["swap"] as? Int == -1)
        #expect(limits["memory"]?["reservation"] as? Int == 1_048_576)
        #expect(limits["cpu"]?["quota"] as? Int == 50_000 && limits["cpu"]?["period"] as? Int == 100_000)
        #expect(limits["cpu"]?["shares"] as? Int == 256 && limits["cpu"]?["cpus"] as? String == "0-1")
        #expect(limits["pids"]?["limit"] as? Int == 100)
        #expect(try Self.body(Self.service { _ in })["resource_limits"] == nil)
    }

    @Test("a seccomp profile and an AppArmor profile reach the spec and the annotations inspect reports")
    func securityProfiles() throws {
        let body = try Self.body(
            Self.service {
                $0.process.seccompProfile = "/srv/profile.json"
                $0.process.apparmorProfile = "unconfined"
            })
        #expect(body["seccomp_profile_path"] as? String == "/srv/profile.json")
        #expect(body["apparmor_profile"] as? String == "unconfined")
        let annotations = body["annotations"] as? [String: String]
        #expect(annotations?["io.podman.annotations.seccomp"] == "/srv/profile.json")
        #expect(annotations?["io.podman.annotations.apparmor"] == "unconfined")
    }

    @Test("logging becomes the log configuration: driver, path, size, and tag among the options")
    func logConfiguration() throws {
        let file = try Self.body(
            Self.service {
                $0.logging = LoggingSettings(driver: "k8s-file", maxSizeBytes: 1024, path: "/var/tmp/x.log")
            })
        let config = try #require(file["log_configuration"] as? [String: Any])
        #expect(config["driver"] as? String == "k8s-file" && config["path"] as? String == "/var/tmp/x.log")
        #expect(config["size"] as? Int == 1024 && config["options"] == nil)
        let journal = try Self.body(Self.service { $0.logging = LoggingSettings(driver: "journald", tag: "web") })
        #expect((journal["log_configuration"] as? [String: Any])?["options"] as? [String: String] == ["tag": "web"])
        #expect(try Self.body(Self.service { _ in })["log_configuration"] == nil)
    }

    @Test("userns_mode is the pod's userns, its options as the value; it changes the pod's hash")
    func userNamespace() throws {
        let keepID = PodDefinition(
            name: "p", sourceFile: "f.yml", services: [Self.service { $0.usernsMode = "keep-id:uid=1000,gid=1000" }])
        let spec = ContainerSpecBuilder.pod(keepID)
        #expect(spec.userns == Podman.Namespace(nsmode: "keep-id", value: "uid=1000,gid=1000"))
        let plain = PodDefinition(name: "p", sourceFile: "f.yml", services: [Self.service { _ in }])
        #expect(ContainerSpecBuilder.pod(plain).userns == nil)
        #expect(ConfigDigest.ports(keepID) != ConfigDigest.ports(plain))
    }

    @Test("each run-time key changes the container's hash; a service without them keeps its pinned hash")
    func fingerprint() {
        let bare = Self.service { _ in }
        let changed: [ServiceDefinition] = [
            Self.service { $0.resources.memoryBytes = 1 }, Self.service { $0.resources.cpus = 0.5 },
            Self.service { $0.resources.pids = 5 }, Self.service { $0.logging = LoggingSettings(driver: "none") },
            Self.service { $0.process.seccompProfile = "/p.json" }, Self.service { $0.process.apparmorProfile = "x" },
        ]
        for service in changed { #expect(ConfigDigest.service(service) != ConfigDigest.service(bare)) }
        #expect(ConfigDigest.service(DigestFixtures.bare) == "v2-324f06b18ffdcd4")
    }

    @Test("start_interval sets the probe period during start_period only, never below the fast poll")
    func startInterval() {
        var check = HealthCheck(test: ["CMD", "true"], startPeriodSeconds: 30)
        let quick = Duration.milliseconds(50)
        #expect(ReadinessWaiter.probePeriod(after: .seconds(1), lastProbe: quick, check: check) == .milliseconds(100))
        check.startIntervalSeconds = 5
        #expect(ReadinessWaiter.probePeriod(after: .seconds(1), lastProbe: quick, check: check) == .seconds(5))
        #expect(ReadinessWaiter.probePeriod(after: .seconds(31), lastProbe: quick, check: check) == .seconds(1))
        check.startIntervalSeconds = 0.01
        #expect(ReadinessWaiter.probePeriod(after: .seconds(1), lastProbe: quick, check: check) == .milliseconds(100))
    }
}
