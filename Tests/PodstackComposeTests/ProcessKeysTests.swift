import Foundation
import Testing

@testable import PodstackCompose

@Suite("Keys of how the process runs")
struct ProcessKeysTests {
    static let file = """
        name: p
        services:
          a:
            image: x
            tmpfs: ["/run:size=64m,mode=1777", /cache]
            tty: true
            stdin_open: true
            init: true
            cap_add: [net_admin, CAP_SYS_TIME]
            cap_drop: [ALL]
            security_opt: ["label:disable", no-new-privileges:true, seccomp=unconfined]
            ulimits:
              nproc: 512
              nofile: {soft: 1024, hard: 2048}
            privileged: true
            read_only: true
            group_add: [wheel, "1001"]
            shm_size: 128m
            sysctls: {kernel.msgmax: "65536"}
            platform: \(NodeReader.hostPlatforms[0])
        """

    @Test("every key is read into the service's process settings")
    func readsAll() throws {
        let process = try #require(try load(Self.file).services.first).process
        #expect(process.tmpfs == [TmpfsMount(target: "/run", options: ["size=64m", "mode=1777"]), TmpfsMount(target: "/cache")])
        #expect(process.tty && process.stdinOpen && process.initProcess && process.privileged && process.readOnly)
        #expect(process.capAdd == ["CAP_NET_ADMIN", "CAP_SYS_TIME"])
        #expect(process.capDrop == ["ALL"])
        #expect(process.selinuxOptions == ["disable"])
        #expect(process.noNewPrivileges && process.seccompUnconfined)
        #expect(process.ulimits == [Ulimit(name: "nproc", soft: 512, hard: 512), Ulimit(name: "nofile", soft: 1024, hard: 2048)])
        #expect(process.groupAdd == ["wheel", "1001"])
        #expect(process.shmSizeBytes == Int64(134_217_728))
        #expect(process.sysctls == ["kernel.msgmax": "65536"])
    }

    @Test("a service without these keys has Podman's defaults")
    func defaults() throws {
        #expect(try load("name: p\nservices:\n  a: {image: x}\n").services.first?.process == ProcessSettings())
    }

    @Test(
        "a value podstack cannot honour is refused at its line",
        arguments: [
            ("    platform: linux/s390x", "is not this host's"),
            ("    security_opt: [systempaths=unconfined]", "security_opt 'systempaths=unconfined'"),
            ("    shm_size: lots", "shm_size of service 'a' 'lots' is not a size"),
            ("    tmpfs: run", "must start with an absolute path"),
            ("    cap_add: [\"NET ADMIN\"]", "is not a capability"),
            ("    ulimits: {nofile: {soft: 1}}", "needs soft: and hard:"),
        ])
    func refused(line: String, fragment: String) throws {
        let issues = try loadIssues("name: p\nservices:\n  a:\n    image: x\n" + line + "\n")
        let matching = issues.filter { $0.message.contains(fragment) }
        #expect(!matching.isEmpty, "\(issues.map(\.description))")
        #expect(matching.allSatisfy { $0.location?.line == 5 })
    }

    @Test("byte sizes take compose's units", arguments: [("64m", 67_108_864), ("1gb", 1_073_741_824), ("2k", 2048), ("100", 100)])
    func byteSizes(text: String, bytes: Int64) {
        #expect(ByteSize.bytes(text) == bytes)
    }
}
