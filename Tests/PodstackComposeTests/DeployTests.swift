import Foundation
import Testing

@testable import PodstackCompose

@Suite("deploy: what one container can honour")
struct DeployTests {
    static func service(_ deploy: String, restart: String = "") throws -> ServiceDefinition? {
        try load("name: p\nservices:\n  a:\n    image: x\n\(restart)    deploy: \(deploy)\n").services.first
    }

    @Test(
        "restart_policy becomes Podman's restart policy",
        arguments: [
            ("{restart_policy: {condition: on-failure, max_attempts: 3}}", "on-failure:3"),
            ("{restart_policy: {condition: on-failure}}", "on-failure"),
            ("{restart_policy: {condition: none}}", "no"),
            ("{restart_policy: {}}", "always"),
            ("{replicas: 1, mode: replicated, restart_policy: {condition: any}}", "always"),
        ])
    func restartPolicy(deploy: String, expected: String) throws {
        #expect(try Self.service(deploy)?.restart.description == expected)
    }

    @Test(
        "what one container cannot honour is refused at its line",
        arguments: [
            ("{replicas: 0}", "podstack runs every service it loads"),
            ("{resources: {limits: {memory: lots}}}", "memory of limits of deploy.resources of service 'a' 'lots'"),
            ("{restart_policy: {delay: 5s}}", "'delay' in restart_policy"),
            ("{restart_policy: {max_attempts: 2}}", "needs condition: on-failure"),
            ("{mode: global}", "mode 'global'"),
        ])
    func refused(deploy: String, fragment: String) throws {
        let issues = try loadIssues("name: p\nservices:\n  a:\n    image: x\n    deploy: \(deploy)\n")
        #expect(issues.contains { $0.message.contains(fragment) && $0.location?.line == 5 }, "\(issues.map(\.description))")
    }

    @Test("restart and deploy.restart_policy together are refused, not one silently preferred")
    func both() throws {
        let issues = try loadIssues(
            "name: p\nservices:\n  a:\n    image: x\n    restart: always\n    deploy: {restart_policy: {condition: none}}\n")
        #expect(issues.contains { $0.message.contains("both restart and deploy.restart_policy") && $0.location?.line == 6 })
    }
}
