import Testing

@testable import PodstackCompose

/// `depends_on` in each form compose has: a list, and a mapping with `condition`, `required` and `restart`.
@Suite("depends_on forms")
struct DependsOnFormsTests {
    @Test("a list and a mapping with condition, required and restart are read as written")
    func forms() throws {
        let stack = try load(
            """
            name: p
            services:
              db: {image: x}
              cache: {image: x}
              listed:
                image: x
                depends_on: [db, cache]
              mapped:
                image: x
                depends_on:
                  db: {condition: service_healthy, restart: true}
                  cache: {condition: service_started, required: true, restart: false}
                  listed:
            """)
        let pod = try #require(stack.pods.first)
        #expect(pod.service(named: "listed")?.dependsOn == [Dependency(service: "db"), Dependency(service: "cache")])
        #expect(
            pod.service(named: "mapped")?.dependsOn == [
                Dependency(service: "db", condition: .healthy, restart: true),
                Dependency(service: "cache", restart: false), Dependency(service: "listed"),
            ])
    }

    @Test("required: false on a service that is not loaded (off by profile, or not in the file) is skipped")
    func optionalMissing() throws {
        let stack = try load(
            """
            name: p
            services:
              app:
                image: x
                depends_on:
                  debug: {condition: service_started, required: false}
                  elsewhere: {required: false}
              debug: {image: x, profiles: [debug]}
            """)
        #expect(stack.pods.first?.service(named: "app")?.dependsOn == [])
        let withProfile = try load(
            "name: p\nservices:\n  app:\n    image: x\n    depends_on: {debug: {required: false}}\n"
                + "  debug: {image: x, profiles: [debug]}\n", profiles: ["debug"])
        #expect(
            withProfile.pods.first?.service(named: "app")?.dependsOn == [Dependency(service: "debug", required: false)])
    }

    @Test("a required dependency off by profile, and a restart that is not a boolean, are refused at their lines")
    func refusals() throws {
        let offProfile = try loadIssues(
            "name: p\nservices:\n  app:\n    image: x\n    depends_on: [debug]\n  debug: {image: x, profiles: [debug]}\n"
        )
        #expect(offProfile.first?.message.contains("which no active profile includes") == true)
        #expect(offProfile.first?.hint?.contains("required: false") == true)
        let badRestart = try loadIssues(
            "name: p\nservices:\n  db: {image: x}\n  app:\n    image: x\n    depends_on:\n      db:\n        restart: sometimes\n"
        )
        #expect(
            badRestart.first?.message.contains("restart of depends_on of service 'app' must be true or false") == true)
        #expect(badRestart.first?.location?.line == 8)
    }
}
