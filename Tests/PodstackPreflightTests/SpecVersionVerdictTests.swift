import PodstackHost
import PodstackTestSupport
import Testing

@testable import PodstackPreflight

@Suite("A CDI spec newer than the Podman in use reads")
struct SpecVersionVerdictTests {
    static func row(specVersion: String, newest: String?) throws -> PreflightReport.DeviceRow? {
        let tree = try RecordedTree()
        try tree.write(
            "/etc/cdi/nvidia.yaml",
            "cdiVersion: \(specVersion)\nkind: nvidia.com/gpu\ndevices:\n  - name: all\n"
                + "    containerEdits:\n      env: [NVIDIA_VISIBLE_DEVICES=all]\n")
        let checker = DeviceChecker(
            root: tree.root, newestSpecVersion: newest.flatMap(CDIVersion.init),
            user: DeviceChecker.User(uid: 1000, name: "alice", primaryGID: 1000))
        return checker.check([DeviceClaim(pod: "local-ai", service: "ollama", device: "nvidia.com/gpu=all")]).first
    }

    @Test(
        "is refused with both versions named, and the ways out are an older toolkit's spec or a newer Podman",
        arguments: [("0.6.0", "0.5.0"), ("1.0.0", "0.8.0")])
    func refused(spec: String, newest: String) throws {
        let row = try #require(try Self.row(specVersion: spec, newest: newest))
        #expect(row.verdict == .specTooNew(file: "/etc/cdi/nvidia.yaml", version: spec, supported: newest))
        #expect(row.verdict.refuses)
        let sentence = row.problemSentence ?? ""
        #expect(sentence.contains("CDI version \(spec)") && sentence.contains("up to \(newest)"), "\(sentence)")
        #expect(row.waysOut.map(\.action) == [.generateSpec, .inspect])
        #expect(row.waysOut.first?.sentence.contains("CDI \(newest) or older") == true)
        #expect(row.waysOut.last?.command == "podman version --format '{{.Server.Version}}'")
    }

    @Test(
        "a spec at or below the newest version, or any spec when the version is unknown, resolves",
        arguments: [("0.5.0", "0.5.0"), ("0.8.0", "0.8.0"), ("1.0.0", nil)] as [(String, String?)])
    func accepted(spec: String, newest: String?) throws {
        #expect(try Self.row(specVersion: spec, newest: newest)?.verdict == .available(source: "/etc/cdi/nvidia.yaml"))
    }
}
