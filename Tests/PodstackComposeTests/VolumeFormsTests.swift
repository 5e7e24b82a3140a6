import Foundation
import Testing

@testable import PodstackCompose

/// Volume and extends forms real files use: anonymous volumes, binds above the compose directory, an
/// empty source from an unset variable, and an extends that cannot be resolved.
@Suite("volume forms and broken extends")
struct VolumeFormsTests {
    @Test("an anonymous volume, short or long, is a volume of the service's own that the stack makes and keeps")
    func anonymousVolumes() throws {
        let stack = try load(
            """
            name: p
            services:
              app:
                image: x
                volumes:
                  - /data
                  - {type: volume, target: /var/lib/cache, read_only: true}
            """)
        let pod = try #require(stack.pods.first)
        #expect(
            pod.services.first?.mounts == [
                .volume(name: "p_app_data", target: "/data", readOnly: false),
                .volume(name: "p_app_var_lib_cache", target: "/var/lib/cache", readOnly: true),
            ])
        #expect(pod.volumes.map(\.name) == ["p_app_data", "p_app_var_lib_cache"])
    }

    @Test("a bind above the compose directory resolves against it, as compose does")
    func bindAboveDirectory() throws {
        let directory = try ScratchDirectory()
        let file = try directory.write(
            "sub/stack.yml", "name: p\nservices:\n  a:\n    image: x\n    volumes: [\"../storage:/s\"]\n")
        let stack = try StackLoader(environment: testEnvironment()).load(files: [file])
        let expected = PathResolution.normalize(directory.path + "/storage")
        #expect(stack.services.first?.mounts == [.bind(source: expected, target: "/s", readOnly: false, selinux: nil)])
    }

    @Test("an empty volume source names the variable that is empty, at its line")
    func emptySource() throws {
        let issues = try loadIssues(
            "name: p\nservices:\n  a:\n    image: x\n    volumes:\n      - ${MEDIA_PATH}:/media\n")
        let issue = try #require(issues.first)
        #expect(issue.message.contains("is empty: variable MEDIA_PATH is empty or not set"), "\(issue.message)")
        #expect(issue.location?.line == 6)
        #expect(issue.hint?.contains("set MEDIA_PATH") == true)
    }

    @Test("an extends that cannot be resolved is the one issue: no follow-on 'has no image'")
    func brokenExtends() throws {
        let directory = try ScratchDirectory()
        try directory.write("old.yml", "version: \"1\"\nwebapp:\n  image: x\n")
        let file = try directory.write(
            "stack.yml",
            "name: p\nservices:\n  a:\n    extends: {file: gone.yml, service: s}\n  b:\n    extends: {file: old.yml, service: webapp}\n"
        )
        let issues = projectIssues([file])
        #expect(issues.count == 2, "\(issues.map(\.message))")
        #expect(issues.allSatisfy { !$0.message.contains("has no image") })
    }
}
