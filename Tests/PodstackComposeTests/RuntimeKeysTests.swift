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
            ("driver_opts: {type: nfs, o: addr=10.0.0.1, device: \":/export\"}", "cannot be mounted by rootless Podman"),
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
}
