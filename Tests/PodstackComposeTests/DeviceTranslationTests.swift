import Testing

@testable import PodstackCompose

@Suite("GPU and device forms translated to the CDI names Podman resolves")
struct DeviceTranslationTests {
    static let here = SourceLocation(file: "compose.yaml", line: 12, column: 9)

    static func reservation(
        driver: String? = "nvidia", count: DeviceReservation.Count? = nil, ids: [String]? = nil,
        capabilities: [String] = ["gpu"], options: [String: String] = [:]
    ) -> DeviceForm {
        .reservation(
            DeviceReservation(
                driver: driver, count: count, deviceIDs: ids, capabilities: capabilities, options: options,
                location: here))
    }

    @Test(
        "each form gives the device paths Docker's meaning of it calls for",
        arguments: [
            (DeviceForm.devicesEntry("nvidia.com/gpu=all", here), ["nvidia.com/gpu=all"]),
            (.devicesEntry("nvidia.com/gpu=0", here), ["nvidia.com/gpu=0"]),
            (.devicesEntry("amd.com/gpu=all", here), ["amd.com/gpu=all"]),
            (.devicesEntry("/dev/dri:/dev/dri:rwm", here), ["/dev/dri:/dev/dri:rwm"]),
            (.devicesEntry("/dev/kfd", here), ["/dev/kfd:/dev/kfd:rwm"]),
            (.devicesEntry("/dev/dri/renderD128:rw", here), ["/dev/dri/renderD128:/dev/dri/renderD128:rw"]),
            (.devicesEntry("/dev/null:/dev/fakegpu0", here), ["/dev/null:/dev/fakegpu0:rwm"]),
            (.allGPUs(here), ["nvidia.com/gpu=all"]),
            (.gpusEntry(DeviceReservation(count: .all, location: here)), ["nvidia.com/gpu=all"]),
            (
                .gpusEntry(DeviceReservation(deviceIDs: ["0", "2"], location: here)),
                ["nvidia.com/gpu=0", "nvidia.com/gpu=2"]
            ),
            (reservation(count: .all), ["nvidia.com/gpu=all"]),
            (reservation(count: .number(1)), ["nvidia.com/gpu=0"]),
            (reservation(count: .number(2)), ["nvidia.com/gpu=0", "nvidia.com/gpu=1"]),
            (reservation(), ["nvidia.com/gpu=all"]),
            (reservation(ids: ["GPU-8f6e-41"]), ["nvidia.com/gpu=GPU-8f6e-41"]),
            (reservation(driver: nil, count: .number(1)), ["nvidia.com/gpu=0"]),
            (
                reservation(driver: "NVIDIA", count: .all, capabilities: ["gpu", "utility", "compute"]),
                ["nvidia.com/gpu=all"]
            ),
            (reservation(driver: "amd", count: .all), ["amd.com/gpu=all"]),
            (reservation(driver: "amd", ids: ["1"]), ["amd.com/gpu=1"]),
            (reservation(driver: "cdi", ids: ["example.com/gpu=fake0"]), ["example.com/gpu=fake0"]),
            (
                reservation(driver: "cdi", ids: ["nvidia.com/gpu=0", "nvidia.com/gpu=1"]),
                ["nvidia.com/gpu=0", "nvidia.com/gpu=1"]
            ),
        ])
    func translates(form: DeviceForm, expected: [String]) throws {
        let requests = try DeviceTranslation.translate([form])
        #expect(requests.map(\.path) == expected)
        #expect(requests.allSatisfy { $0.location == Self.here })
        #expect(requests.allSatisfy { $0.isCDI == !$0.path.hasPrefix("/") })
        #expect(requests.allSatisfy { $0.reason.hasSuffix($0.path) || $0.reason.contains("-> \($0.path)") })
    }

    @Test(
        "what has no translation is refused at its place, saying what to write instead",
        arguments: [
            (reservation(count: .number(2), ids: ["0"]), "count and device_ids cannot both be set"),
            (reservation(count: .number(0)), "count 0 asks for no GPU"),
            (reservation(capabilities: []), "capabilities is missing"),
            (reservation(driver: nil, capabilities: ["tpu"]), "ask for no GPU"),
            (reservation(capabilities: ["gpu", "tpu"]), "unknown capabilities tpu"),
            (reservation(driver: "3dfx"), "driver 3dfx has no CDI translation"),
            (reservation(driver: "cdi", count: .all), "driver cdi needs device_ids"),
            (reservation(driver: "cdi", ids: ["0"]), "\"0\" is not a CDI name"),
            (reservation(ids: ["nvidia.com/gpu=0"]), "is not a GPU index or UUID"),
            (reservation(ids: []), "device_ids is empty"),
            (reservation(count: .all, options: ["virtualization": "false"]), "options virtualization"),
            (DeviceForm.devicesEntry("dri", here), "neither an absolute path nor a CDI name"),
            (.devicesEntry("/dev/dri:/dev/dri:rwx", here), "are not made of r, w and m"),
            (.devicesEntry("/dev/a:/dev/b:rw:x", here), "more than three parts"),
            (.devicesEntry("nvidia.com=0", here), "its kind must be vendor/class"),
            (.devicesEntry("nvidia.com/gpu=", here), "must all be given"),
        ])
    func refuses(form: DeviceForm, expected: String) {
        do {
            let requests = try DeviceTranslation.translate([form])
            Issue.record("translated to \(requests.map(\.path))")
        } catch {
            #expect(error.issues.count == 1)
            #expect(error.issues.first?.location == Self.here)
            #expect(error.description.contains(expected), "\(error)")
        }
    }

    @Test("every problem of a service is reported together, and a device asked twice is given once")
    func collectsAndDeduplicates() throws {
        let twice = try DeviceTranslation.translate([
            .allGPUs(Self.here), .devicesEntry("nvidia.com/gpu=all", Self.here),
        ])
        #expect(twice.map(\.path) == ["nvidia.com/gpu=all"])
        #expect(twice.first?.reason.hasPrefix("gpus: all") == true)
        #expect(throws: StackLoadError.self) { try DeviceTranslation.translate([.devicesEntry("dri", Self.here)]) }
        do {
            _ = try DeviceTranslation.translate([
                .devicesEntry("dri", Self.here), Self.reservation(driver: "3dfx"), .allGPUs(Self.here),
            ])
        } catch {
            #expect(error.issues.count == 2)
        }
    }

    @Test("a host node keeps its host side and permissions apart for preflight; a CDI name has neither")
    func hostSideKept() throws {
        let requests = try DeviceTranslation.translate([
            .devicesEntry("/dev/null:/dev/fakegpu0:rw", Self.here), .devicesEntry("amd.com/gpu=all", Self.here),
        ])
        #expect(requests.map(\.hostPath) == ["/dev/null", nil])
        #expect(requests.map(\.permissions) == ["rw", nil])
    }

    @Test("count N is the first N GPUs by index, and the reason says so")
    func countReason() throws {
        let requests = try DeviceTranslation.translate([Self.reservation(count: .number(2))])
        #expect(requests.map(\.reason).allSatisfy { $0.contains("the first 2 GPUs by index") })
    }
}
