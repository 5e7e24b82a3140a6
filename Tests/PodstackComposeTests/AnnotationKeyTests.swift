import Testing

@testable import PodstackCompose

/// `annotations:`, the key docs/adding-a-compose-key.md walks through.
@Suite("annotations: read in both forms")
struct AnnotationKeyTests {
    @Test("annotations are read as a mapping and as KEY=value list entries")
    func bothForms() throws {
        let stack = try load(
            """
            name: p
            services:
              a:
                image: x
                annotations: {com.example.team: data, com.example.empty: ""}
              b:
                image: x
                annotations: ["com.example.tier=back=end", com.example.bare]
            """)
        let services = try #require(stack.pods.first).services
        #expect(services[0].annotations == ["com.example.team": "data", "com.example.empty": ""])
        #expect(services[1].annotations == ["com.example.tier": "back=end", "com.example.bare": ""])
    }

    @Test("an annotations value that is neither a mapping nor a list is an error at its line")
    func wrongShape() throws {
        let issues = try loadIssues("name: p\nservices:\n  a:\n    image: x\n    annotations: yes\n")
        #expect(issues.map { $0.location?.line } == [5], "\(issues)")
    }
}
