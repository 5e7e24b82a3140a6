import Foundation
import Testing

@testable import PodstackCompose

/// `extends: {file:}` of a file in compose's first format (services at the top level, no `services:`),
/// read as podman-compose reads it, with a warning; only when every top-level key looks like a service.
@Suite("extends of a file in compose's first format")
struct ExtendsFirstFormatTests {
    @Test("a first-format file's top-level keys are its services: the base merges in, with one warning at the extends")
    func firstFormat() throws {
        let directory = try ScratchDirectory()
        try directory.write("common.yml", "webapp:\n  image: x\n  ports:\n    - \"8000:8000\"\n  environment: {A: base}\n")
        let main = try directory.write(
            "stack.yml",
            """
            name: p
            services:
              web:
                extends: {file: common.yml, service: webapp}
                ports: !reset []
              worker:
                extends: {file: common.yml, service: webapp}
                environment: {B: worker}
            """)
        let stack = try StackLoader(environment: testEnvironment()).load(projectFiles: [main])
        let web = try #require(stack.pods.first?.service(named: "web"))
        #expect(web.image == "x" && web.ports.isEmpty && web.environment == ["A": "base"])
        let worker = try #require(stack.pods.first?.service(named: "worker"))
        #expect(worker.ports.map(\.containerPort) == [8000] && worker.environment == ["A": "base", "B": "worker"])
        let warnings = stack.warnings.filter { $0.message.contains("first format") }
        #expect(warnings.count == 1, "once per file: \(stack.warnings.map(\.message))")
        #expect(warnings.first?.location?.line == 4 && warnings.first?.location?.file == main.path)
        #expect(warnings.first?.message.contains(directory.path + "/common.yml") == true)
    }

    @Test(
        "a file without services: whose top level does not look like services is not read as services",
        arguments: [
            "version: \"2\"\nwebapp:\n  image: x\n",  // a key that is no mapping
            "webapp:\n  image: x\n  not_a_service_key: 1\n",  // a key no service has
            "webapp: {}\n",  // an empty mapping
        ])
    func notFirstFormat(common: String) throws {
        let directory = try ScratchDirectory()
        try directory.write("common.yml", common)
        let main = try directory.write(
            "stack.yml", "name: p\nservices:\n  web:\n    extends: {file: common.yml, service: webapp}\n")
        let issues = projectIssues([main])
        #expect(issues.count == 1, "\(issues.map(\.message))")
        #expect(issues.first?.message.contains("extends names service 'webapp', which") == true)
        #expect(issues.first?.message.contains("does not define") == true)
        #expect(issues.first?.location?.line == 4)
    }
}
