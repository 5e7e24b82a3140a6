import Foundation
import Testing

@testable import PodstackCompose

@Suite("Loading services")
struct LoaderTests {
    func onlyService(_ body: String, environment: [String: String] = testEnvironment()) throws -> ServiceDefinition {
        let stack = try load("name: p\nservices:\n  s:\n" + body, environment: environment)
        return try #require(stack.pods.first?.services.first)
    }

    @Test("names the container after pod and service and keeps where the service is written")
    func naming() throws {
        let service = try onlyService("    image: x\n")
        #expect(service.containerName == "p-s")
        #expect(service.podName == "p")
        #expect(service.location.line == 3 && service.location.column == 3)
        #expect(service.restart == .no)
        #expect(service.imageVariable == nil)
    }

    @Test("reads long port syntax with address, protocol, range and the variable of the published port")
    func longPorts() throws {
        let service = try onlyService(
            """
                image: x
                ports:
                  - target: 53
                    published: ${DNS_PORT:-5353}
                    protocol: udp
                    host_ip: 0.0.0.0
                  - target: 9000-9001
                    published: "8000-8001"
                  - "[::1]:7000:7000"

            """)
        #expect(service.ports.map(\.hostPort) == [5353, 8000, 8001, 7000])
        #expect(service.ports.map(\.containerPort) == [53, 9000, 9001, 7000])
        #expect(service.ports.map(\.hostIP) == ["0.0.0.0", "127.0.0.1", "127.0.0.1", "::1"])
        #expect(service.ports.map(\.protocol) == [.udp, .tcp, .tcp, .tcp])
        #expect(service.ports.map(\.hostPortVariable) == ["DNS_PORT", nil, nil, nil])
        #expect(service.ports.map(\.location.line) == [6, 10, 10, 12])
    }

    @Test("a port without a host port, short or long, is published on a port Podman picks, and never conflicts")
    func pickedHostPorts() throws {
        let yaml = """
            name: p
            services:
              a:
                image: x
                ports: ["8001", {target: 8006, protocol: udp}, {target: 8007, host_ip: 0.0.0.0}, {target: 8008, host_ip: ""}]
              b:
                image: y
                ports: ["8002"]
            """
        let pod = try #require(try load(yaml).pods.first)
        let ports = pod.portMappings
        #expect(ports.map(\.hostPort) == [0, 0, 0, 0, 0])
        #expect(ports.allSatisfy { $0.hostPortIsPicked })
        #expect(ports.map(\.containerPort) == [8001, 8006, 8007, 8008, 8002])
        // An empty host_ip is no address given: the default.
        #expect(ports.map(\.hostIP) == ["127.0.0.1", "127.0.0.1", "0.0.0.0", "127.0.0.1", "127.0.0.1"])
        #expect(ports.map(\.protocol) == [.tcp, .udp, .tcp, .tcp, .tcp])
        #expect(pod.hostPorts.isEmpty)
    }

    @Test("names the variable of the host port only, not of the address or the container port")
    func hostPortVariable() throws {
        let service = try onlyService(
            "    image: x\n    ports: [\"${IP:-127.0.0.2}:${WEB:-8080}:${INNER:-80}\", \"${IP:-127.0.0.2}:9090:90\"]\n")
        #expect(service.ports.map(\.hostPortVariable) == ["WEB", nil])
        #expect(service.ports.first?.hostIP == "127.0.0.2")
    }

    @Test("resolves bind sources against the file's directory and HOME, and volumes to their Podman names")
    func mounts() throws {
        let directory = try ScratchDirectory()
        let file = try directory.write(
            "stack.yml",
            """
            name: p
            services:
              s:
                image: x
                volumes:
                  - ./data:/data:ro,Z
                  - ~/models:/models:z
                  - cache:/cache
                  - /abs/../abs2/./x:/x:rw
                  - type: volume
                    source: named
                    target: /named
                    read_only: true
                  - type: bind
                    source: sub/dir
                    target: /sub
                    bind: { selinux: z, create_host_path: true }
            volumes:
              cache:
              named:
                name: explicit-name
                labels: { keep: "yes" }
            """)
        let stack = try StackLoader(environment: testEnvironment()).load(files: [file])
        let pod = try #require(stack.pods.first)
        let base = PathResolution.normalize(directory.path)
        #expect(
            pod.services.first?.mounts == [
                .bind(source: base + "/data", target: "/data", readOnly: true, selinux: .private),
                .bind(source: "/home/tester/models", target: "/models", readOnly: false, selinux: .shared),
                .volume(name: "p_cache", target: "/cache", readOnly: false),
                .bind(source: "/abs2/x", target: "/x", readOnly: false, selinux: nil),
                .volume(name: "explicit-name", target: "/named", readOnly: true),
                .bind(source: base + "/sub/dir", target: "/sub", readOnly: false, selinux: .shared),
            ])
        #expect(pod.volumes.map(\.name) == ["p_cache", "explicit-name"])
        #expect(pod.volume(key: "named")?.labels == ["keep": "yes"])
    }

    @Test("reads environment maps and lists, env_file under them, and unset names left out")
    func environment() throws {
        let directory = try ScratchDirectory()
        try directory.write("common.env", "FROM_FILE=file\nOVERRIDDEN=file\n")
        let file = try directory.write(
            "stack.yml",
            """
            name: p
            services:
              a:
                image: x
                env_file: [common.env, {path: missing.env, required: false}]
                environment:
                  OVERRIDDEN: map
                  NUMBER: 5
                  BOOL: true
                  PASSED_THROUGH:
                  NOT_SET:
              b:
                image: x
                environment: ["A=1", "B=has=equals", "PASSED_THROUGH", "EMPTY="]
            """)
        let stack = try StackLoader(environment: testEnvironment(["PASSED_THROUGH": "yes"])).load(files: [file])
        let services = try #require(stack.pods.first?.services)
        #expect(
            services[0].environment == [
                "FROM_FILE": "file", "OVERRIDDEN": "map", "NUMBER": "5", "BOOL": "true", "PASSED_THROUGH": "yes",
            ])
        #expect(services[1].environment == ["A": "1", "B": "has=equals", "PASSED_THROUGH": "yes", "EMPTY": ""])
    }

    @Test(
        "fills in compose's health check defaults and reads disabling",
        arguments: [
            ("test: curl -f http://x", HealthCheck(test: ["CMD-SHELL", "curl -f http://x"]), false),
            (
                "test: [\"CMD\", \"true\"]\n      interval: 1m30s\n      timeout: 500ms\n      retries: 7\n      start_period: 1h",
                HealthCheck(
                    test: ["CMD", "true"], intervalSeconds: 90, timeoutSeconds: 0.5, startPeriodSeconds: 3600,
                    retries: 7),
                false
            ),
            ("test: [\"NONE\"]", nil, true),
            ("disable: true", nil, true),
            // Immich's `disable: false` alone: no check of the file's, none disabled (the image's stays).
            ("disable: false", nil, false),
        ])
    func healthchecks(body: String, expected: HealthCheck?, disabled: Bool) throws {
        let service = try onlyService("    image: x\n    healthcheck:\n      \(body)\n")
        #expect(service.healthcheck == expected)
        #expect(service.healthcheckDisabled == disabled)
    }

    @Test("timings without a test are refused at the healthcheck's line: Podman takes no timings without one")
    func healthcheckTimingsWithoutTest() throws {
        let issues = try loadIssues("name: p\nservices:\n  a:\n    image: x\n    healthcheck:\n      interval: 5s\n")
        #expect(issues.contains { $0.message.contains("healthcheck of service 'a' has no test") && $0.location?.line == 6 })
    }

    @Test(
        "reads restart policies",
        arguments: [
            ("no", RestartPolicy.no), ("always", .always), ("unless-stopped", .unlessStopped),
            ("on-failure", .onFailure(maxRetries: nil)), ("on-failure:3", .onFailure(maxRetries: 3)),
        ])
    func restart(text: String, policy: RestartPolicy) throws {
        #expect(try onlyService("    image: x\n    restart: \"\(text)\"\n").restart == policy)
    }

    @Test("reads commands, dependencies, secrets and the small keys")
    func otherKeys() throws {
        let stack = try load(
            """
            name: p
            services:
              a:
                image: ${A_IMAGE:-registry/a:1}
                command: serve --port "80 81"
                entrypoint: ["/bin/sh", "-c"]
                user: "1000:1000"
                working_dir: /srv
                stop_signal: SIGINT
                stop_grace_period: 1m
                labels: ["team=ai", "empty"]
                depends_on:
                  b: { condition: service_completed_successfully, required: false }
                  c:
                secrets:
                  - token
                  - source: token
                    target: renamed
                    mode: 0440
                    uid: "0"
              b:
                image: x
              c:
                image: x
            secrets:
              token:
                environment: TOKEN
            """, environment: testEnvironment(["TOKEN": "secret"]))
        let pod = try #require(stack.pods.first)
        let a = try #require(pod.service(named: "a"))
        #expect(a.image == "registry/a:1" && a.imageVariable == "A_IMAGE")
        #expect(a.command == ["serve", "--port", "80 81"])
        #expect(a.entrypoint == ["/bin/sh", "-c"])
        #expect(a.user == "1000:1000" && a.workingDir == "/srv" && a.stopSignal == "SIGINT")
        #expect(a.stopGracePeriodSeconds == 60)
        #expect(a.labels == ["team": "ai", "empty": ""])
        #expect(
            a.dependsOn == [
                Dependency(service: "b", condition: .completedSuccessfully, required: false), Dependency(service: "c"),
            ])
        #expect(
            a.secrets == [
                SecretReference(source: "token"),
                SecretReference(source: "token", target: "/run/secrets/renamed", uid: "0", mode: 0o440),
            ])
        #expect(
            pod.secret(key: "token")
                == SecretDefinition(key: "token", name: "p_token", source: .environment(variable: "TOKEN")))
    }

    @Test("shares settings through YAML anchors and '<<' merges, with written keys winning")
    func merges() throws {
        let stack = try load(
            """
            x-common: &common
              image: shared
              restart: always
              labels: { from: anchor }
            name: p
            services:
              a:
                <<: *common
                restart: "no"
              b: *common
            """)
        let services = try #require(stack.pods.first?.services)
        #expect(services.map(\.image) == ["shared", "shared"])
        #expect(services.map(\.restart) == [.no, .always])
        #expect(services[0].labels == ["from": "anchor"])
    }

    @Test("a bad '<<' merge under an anchor used four times is reported once, at its line")
    func badMergeReportedOnce() throws {
        let uses = (1...4).map { "  s\($0): *bad\n" }.joined()
        let issues = try loadIssues("name: p\nx-bad: &bad\n  <<: 5\n  image: x\nservices:\n" + uses)
        #expect(issues.map { $0.location?.line } == [3])
        #expect(issues.first?.message.contains("'<<' merge") == true)
    }

    @Test("includes a service with profiles only when one is active, and drops optional dependencies on it")
    func profiles() throws {
        let yaml = """
            name: p
            services:
              app:
                image: x
                depends_on:
                  debug: { condition: service_started, required: false }
              debug:
                image: x
                profiles: [debug, tools]
            """
        let plain = try load(yaml)
        #expect(plain.pods.first?.services.map(\.name) == ["app"])
        #expect(plain.pods.first?.services.first?.dependsOn.isEmpty == true)
        let withTools = try load(yaml, profiles: ["tools"])
        #expect(withTools.pods.first?.services.map(\.name) == ["app", "debug"])
        #expect(withTools.pods.first?.services.first?.dependsOn.map(\.service) == ["debug"])
    }

    @Test("interpolates values but not keys, and never reads an interpolated value as YAML")
    func interpolationScope() throws {
        let service = try onlyService(
            "    image: x\n    environment:\n      ${KEY}: ${VALUE}\n",
            environment: testEnvironment(["KEY": "SHOULD_NOT_APPEAR", "VALUE": "a: b\n- c"]))
        #expect(service.environment == ["${KEY}": "a: b\n- c"])
    }

    @Test("warns about variables used while unset and about 'version', without failing")
    func warnings() throws {
        let stack = try load(
            "version: \"3.8\"\nname: p\nservices:\n  s:\n    image: x\n    environment: { A: \"${NOBODY}\" }\n")
        #expect(
            stack.warnings.map(\.message) == [
                "'version' is obsolete and ignored", "variable NOBODY is not set; using an empty string",
            ])
        #expect(stack.warnings.map { $0.location?.line } == [1, 6])
    }

    @Test("encodes the same stack to the same JSON every time, whatever the dictionary order")
    func stableJSON() throws {
        let environment = testEnvironment(["XDG_DATA_HOME": "/data"])
        let files = repositoryComposeFiles()
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        let first = try encoder.encode(try StackLoader(environment: environment).load(files: files))
        let second = try encoder.encode(try StackLoader(environment: environment).load(files: files))
        #expect(first == second)
        let decoded = try JSONDecoder().decode(Stack.self, from: first)
        #expect(decoded == (try StackLoader(environment: environment).load(files: files)))
        let text = String(decoding: first, as: UTF8.self)
        #expect(text.contains("\"restart\":\"unless-stopped\""))
    }

    @Test("blanks source locations for hashing, so moving a service in its file changes nothing")
    func locationFreeHash() throws {
        let one = try onlyService("    image: x\n    ports: [\"8080:80\"]\n")
        let moved = try load("# a comment\n\nname: p\nservices:\n  s:\n    image: x\n    ports: [\"8080:80\"]\n")
        let two = try #require(moved.pods.first?.services.first)
        #expect(one != two)
        #expect(one.withoutSourceLocations == two.withoutSourceLocations)
    }

    @Test("expose is taken as checked and changes nothing: the services of a pod reach each other's ports")
    func expose() throws {
        let plain = try load("name: p\nservices:\n  s:\n    image: x\n")
        let exposed = try load("name: p\nservices:\n  s:\n    image: x\n    expose: [5432, \"8000-8001/udp\"]\n")
        #expect(exposed.pods.first?.services.first?.ports == plain.pods.first?.services.first?.ports)
        #expect(exposed.pods.first?.services.first?.ports == [])
    }
}
