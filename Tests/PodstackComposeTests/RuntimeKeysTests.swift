import Foundation
import Testing

@testable import PodstackCompose

@Suite("Run-time keys: volume driver_opts, resources, security_opt, logging, userns_mode, start_interval")
struct RuntimeKeysTests {
    @Test("driver_opts of the local driver are read into the volume, keys lower-cased; a bind names its device")
    func volumeDriverOptions() throws {
        let stack = try load(
            """
            name: p
            services:
              a: {image: x, volumes: [data:/data, scratch:/scratch]}
            volumes:
              data:
                driver: local
                driver_opts: {type: none, o: bind, device: /srv/data}
              scratch:
                driver_opts: [type=tmpfs, device=tmpfs, o=size=8m, UID=1000]
            """)
        let volumes = try #require(stack.pods.first).volumes
        let data = try #require(volumes.first { $0.key == "data" })
        #expect(data.driverOptions == ["type": "none", "o": "bind", "device": "/srv/data"])
        #expect(data.boundDevice == "/srv/data")
        let scratch = try #require(volumes.first { $0.key == "scratch" })
        #expect(scratch.driverOptions == ["type": "tmpfs", "device": "tmpfs", "o": "size=8m", "uid": "1000"])
        #expect(scratch.boundDevice == nil)
    }

    @Test(
        "driver_opts a rootless volume cannot have are refused at their line, with the reason",
        arguments: [
            (
                "driver_opts: {type: nfs, o: addr=10.0.0.1, device: \":/export\"}",
                "cannot be mounted by rootless Podman"
            ),
            ("driver_opts: {type: none, o: bind, device: ./data}", "is not an absolute path"),
            ("driver_opts: {type: none, o: bind}", "bind no device"),
            ("driver_opts: {colour: blue}", "is not an option of Podman's local driver"),
            ("driver: rexray\n    driver_opts: {type: none}", "volume driver 'rexray' is not supported"),
        ])
    func volumeDriverOptionsRefused(options: String, fragment: String) throws {
        let issues = try loadIssues("name: p\nservices:\n  a: {image: x}\nvolumes:\n  data:\n    \(options)\n")
        let matching = issues.filter { $0.message.contains(fragment) }
        #expect(!matching.isEmpty, "\(issues.map(\.description))")
        #expect(matching.allSatisfy { $0.location?.line == 6 })
    }

    @Test("the resource keys and deploy.resources are read as one set of limits; reservations.cpus is a CPU weight")
    func resources() throws {
        let stack = try load(
            """
            name: p
            services:
              a:
                image: x
                mem_limit: 512m
                memswap_limit: 1g
                cpus: 1.5
                cpuset: "0-1"
                pids_limit: 100
                deploy: {resources: {limits: {memory: 512M, pids: 100}, reservations: {memory: 128m, cpus: '0.25'}}}
              b:
                image: x
                cpu_shares: 512
                mem_reservation: 64m
                memswap_limit: -1
                deploy: {resources: {limits: {cpus: '0.5', memory: 1.5G}, reservations: {cpus: '0.5'}}}
              c: {image: x}
            """)
        let pod = try #require(stack.pods.first)
        let a = try #require(pod.service(named: "a")).resources
        #expect(a.memoryBytes == 536_870_912 && a.memorySwapBytes == 1_073_741_824)
        #expect(a.cpus == 1.5 && a.cpuQuotaMicroseconds == 150_000 && a.cpuset == "0-1" && a.pids == 100)
        #expect(a.memoryReservationBytes == 134_217_728 && a.cpuShares == 256)
        let b = try #require(pod.service(named: "b")).resources
        #expect(b.cpuShares == 512, "cpu_shares and reservations.cpus agree")
        #expect(b.memorySwapBytes == -1 && b.memoryReservationBytes == 67_108_864)
        #expect(b.cpus == 0.5 && b.memoryBytes == 1_610_612_736)
        #expect(try #require(pod.service(named: "c")).resources.isEmpty)
    }

    @Test(
        "resource values podstack cannot honour are refused at their line",
        arguments: [
            ("    cpus: lots", "is not a number of CPUs"),
            ("    cpuset: 0-a", "is not a list of CPUs"),
            ("    mem_limit: 1q", "is not a size"),
            ("    pids_limit: -2", "out of range"),
            ("    deploy: {resources: {limits: {memory: 1g, gpus: 1}}}", "unknown key 'gpus'"),
            ("    deploy: {resources: {reservations: {pids: 3}}}", "'pids' in reservations"),
            ("    mem_limit: 1g\n    memswap_limit: 512m", "is less than its memory limit"),
            (
                "    cpu_shares: 100\n    deploy: {resources: {reservations: {cpus: '1'}}}",
                "sets cpus unlike cpu_shares"
            ),
            ("    logging: {driver: none, options: {max-size: 1m}}", "is not taken by none"),
        ])
    func resourcesRefused(line: String, fragment: String) throws {
        let issues = try loadIssues("name: p\nservices:\n  a:\n    image: x\n" + line + "\n")
        #expect(
            issues.contains { $0.message.contains(fragment) && $0.location?.line ?? 0 >= 5 },
            "\(issues.map(\.description))")
    }

    @Test("a limit set both as a service key and under deploy.resources must agree; the error names both lines")
    func resourcesDisagree() throws {
        let issues = try loadIssues(
            "name: p\nservices:\n  a:\n    image: x\n    mem_limit: 1g\n    deploy: {resources: {limits: {memory: 2g}}}\n"
        )
        let issue = try #require(
            issues.first { $0.message.contains("unlike mem_limit at ") && $0.message.contains("stack.yml:5") },
            "\(issues)")
        #expect(issue.location?.line == 6)
    }

    @Test("seccomp and apparmor profiles are read: a relative profile is the compose file's, a missing one is refused")
    func securityProfiles() throws {
        let directory = try ScratchDirectory()
        _ = try directory.write("profile.json", "{}")
        let file = try directory.write(
            "stack.yml",
            "name: p\nservices:\n  a:\n    image: x\n    security_opt: [\"seccomp:./profile.json\", \"apparmor:unconfined\"]\n"
        )
        let process = try #require(
            try StackLoader(environment: testEnvironment()).load(files: [file]).pods.first?.services.first
        ).process
        #expect(process.seccompProfile == file.deletingLastPathComponent().appendingPathComponent("profile.json").path)
        #expect(process.apparmorProfile == "unconfined")
        #expect(!process.seccompUnconfined)
        let missing = try directory.write(
            "missing.yml", "name: q\nservices:\n  a:\n    image: x\n    security_opt: [seccomp=gone.json]\n")
        let issues = projectIssues([missing])
        #expect(
            issues.contains {
                $0.message.contains("seccomp profile 'gone.json'") && $0.message.contains("does not exist")
                    && $0.location?.line == 5
            }, "\(issues)")
    }

    @Test("logging takes Podman's drivers and the options each has")
    func logging() throws {
        let stack = try load(
            """
            name: p
            services:
              a: {image: x, logging: {driver: json-file, options: {max-size: 10m, path: /var/tmp/a.log}}}
              b: {image: x, logging: {driver: journald, options: {tag: web}}}
              c: {image: x, logging: {driver: none}}
              d: {image: x}
            """)
        let pod = try #require(stack.pods.first)
        #expect(
            pod.service(named: "a")?.logging
                == LoggingSettings(driver: "json-file", maxSizeBytes: 10_485_760, path: "/var/tmp/a.log"))
        #expect(pod.service(named: "b")?.logging == LoggingSettings(driver: "journald", tag: "web"))
        #expect(pod.service(named: "c")?.logging == LoggingSettings(driver: "none"))
        #expect(pod.service(named: "d")?.logging == nil)
    }

    @Test("max-file loads: 1 is what Podman does; above 1 with a max-size, a warning at its line says Podman keeps one file")
    func logMaxFile() throws {
        let one = try load("name: p\nservices:\n  a:\n    image: x\n    logging: {options: {max-size: 1m, max-file: '1'}}\n")
        #expect(one.warnings.isEmpty, "\(one.warnings)")
        #expect(one.pods.first?.service(named: "a")?.logging?.maxSizeBytes == 1_048_576)
        let three = try load("name: p\nservices:\n  a:\n    image: x\n    logging: {options: {max-size: 1m, max-file: 3}}\n")
        let warning = try #require(three.warnings.first)
        #expect(warning.message.contains("is 3, but Podman keeps one log file per container, cut at max-size"), "\(warning)")
        #expect(warning.location?.line == 5)
        let unbounded = try load("name: p\nservices:\n  a:\n    image: x\n    logging: {options: {max-file: 3}}\n")
        // Without max-size Docker keeps one unbounded file as well: nothing differs, nothing to say.
        #expect(unbounded.warnings.isEmpty, "\(unbounded.warnings)")
    }

    @Test(
        "a log driver or option Podman does not have is refused at its line, with the reason",
        arguments: [
            ("{driver: syslog}", "log driver 'syslog'"),
            ("{driver: k8s-file, options: {tag: x}}", "conmon's log file carries no tag"),
            ("{driver: json-file, options: {max-file: none}}", "must be a whole number"),
            ("{driver: journald, options: {max-file: '3'}}", "is not taken by journald"),
            ("{driver: journald, options: {max-size: 1m}}", "is not taken by journald"),
            ("{driver: k8s-file, options: {path: rel.log}}", "must be an absolute path"),
        ])
    func loggingRefused(logging: String, fragment: String) throws {
        let issues = try loadIssues("name: p\nservices:\n  a:\n    image: x\n    logging: \(logging)\n")
        #expect(
            issues.contains { $0.message.contains(fragment) && $0.location?.line == 5 }, "\(issues.map(\.description))")
    }

    @Test("userns_mode is the pod's: one mode for all, options kept; two modes are refused naming both lines")
    func userNamespace() throws {
        let stack = try load(
            "name: p\nservices:\n  a: {image: x, userns_mode: \"keep-id:uid=1000,gid=1000\"}\n  b: {image: x}\n")
        #expect(stack.pods.first?.usernsMode == "keep-id:uid=1000,gid=1000")
        #expect(try load("name: p\nservices:\n  a: {image: x}\n").pods.first?.usernsMode == nil)
        let issues = try loadIssues(
            "name: p\nservices:\n  a:\n    image: x\n    userns_mode: keep-id\n  b:\n    image: x\n    userns_mode: auto\n"
        )
        let issue = try #require(
            issues.first { $0.message.contains("userns_mode 'auto' of service 'b' differs") }, "\(issues)")
        #expect(issue.location?.line == 8)
        #expect(issue.message.contains("stack.yml:5"))
        let unknown = try loadIssues("name: p\nservices:\n  a:\n    image: x\n    userns_mode: private\n")
        #expect(
            unknown.contains {
                $0.message.contains("is not a user namespace Podman gives a pod") && $0.location?.line == 5
            })
    }

    @Test("healthcheck.start_interval is read as seconds")
    func startInterval() throws {
        let stack = try load(
            "name: p\nservices:\n  a:\n    image: x\n    healthcheck: {test: [CMD, true], start_period: 30s, start_interval: 2s}\n"
        )
        #expect(stack.pods.first?.services.first?.healthcheck?.startIntervalSeconds == 2)
    }
}
