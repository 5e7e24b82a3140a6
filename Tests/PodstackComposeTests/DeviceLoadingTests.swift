import Foundation
import Testing

@testable import PodstackCompose

@Suite("devices, gpus and device reservations are read at their lines and translated")
struct DeviceLoadingTests {
    static func devices(_ keys: String) throws -> [DeviceRequest] {
        try load("name: p\nservices:\n  a:\n    image: x\n\(keys)").services.first?.devices ?? []
    }

    @Test(
        "each syntax becomes the create spec's device paths",
        arguments: [
            ("    devices: [example.com/gpu=fake0]\n", ["example.com/gpu=fake0"]),
            (
                "    devices: [\"/dev/dri:/dev/dri:rwm\", /dev/kfd]\n",
                ["/dev/dri:/dev/dri:rwm", "/dev/kfd:/dev/kfd:rwm"]
            ),
            ("    gpus: all\n", ["nvidia.com/gpu=all"]),
            ("    gpus: [{device_ids: [\"0\", \"2\"]}]\n", ["nvidia.com/gpu=0", "nvidia.com/gpu=2"]),
            (
                "    deploy: {resources: {reservations: {devices: [{driver: nvidia, count: all, capabilities: [gpu]}]}}}\n",
                ["nvidia.com/gpu=all"]
            ),
            (
                "    deploy:\n      resources:\n        reservations:\n          devices:\n"
                    + "            - driver: cdi\n              device_ids: [example.com/gpu=fake0]\n"
                    + "              capabilities: [gpu]\n",
                ["example.com/gpu=fake0"]
            ),
            (
                "    deploy: {resources: {reservations: {devices: [{driver: amd, count: 1, capabilities: [gpu]}]}}}\n",
                ["amd.com/gpu=0"]
            ),
        ])
    func translated(keys: String, paths: [String]) throws {
        #expect(try Self.devices(keys).map(\.path) == paths)
    }

    @Test("the reason says what the file wrote and what it became, at the line it was written")
    func reason() throws {
        let device = try #require(try Self.devices("    gpus: all\n").first)
        #expect(device.reason.hasPrefix("gpus: all -> nvidia.com/gpu=all"))
        #expect(device.location?.line == 5)
    }

    @Test(
        "what cannot be honoured is refused at its line",
        arguments: [
            ("    devices: [dev/dri]\n", "neither an absolute path nor a CDI name"),
            ("    gpus: some\n", "not all or a list"),
            ("    gpus: [{count: 1, device_ids: [\"0\"]}]\n", "count"),
            ("    deploy: {resources: {limits: {devices: []}}}\n", "unknown key 'devices' in limits"),
            ("    deploy: {resources: {reservations: {generic_resources: []}}}\n", "'generic_resources' in reservations"),
            (
                "    deploy: {resources: {reservations: {devices: [{count: two, capabilities: [gpu]}]}}}\n",
                "count 'two'"
            ),
        ])
    func refused(keys: String, fragment: String) throws {
        let issues = try loadIssues("name: p\nservices:\n  a:\n    image: x\n\(keys)")
        #expect(
            issues.contains { $0.message.contains(fragment) && $0.location?.line == 5 }, "\(issues.map(\.description))")
    }

    @Test("a service without devices has none, and a source line moved does not change the located-free copy")
    func noneAndLocationFree() throws {
        #expect(try Self.devices("    restart: always\n").isEmpty)
        let first = try load("name: p\nservices:\n  a:\n    image: x\n    gpus: all\n").services.first
        let moved = try load("name: p\nservices:\n\n  a:\n    image: x\n\n    gpus: all\n").services.first
        #expect(first?.withoutSourceLocations.devices == moved?.withoutSourceLocations.devices)
        #expect(first?.devices.first?.location != moved?.devices.first?.location)
    }
}
