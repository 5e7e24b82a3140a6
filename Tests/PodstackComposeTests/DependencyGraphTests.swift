import Testing

@testable import PodstackCompose

@Suite("Dependency graph")
struct DependencyGraphTests {
    /// A pod from `name: dependencies` pairs, in the order given.
    static func pod(_ edges: KeyValuePairs<String, [String]>) -> PodDefinition {
        let services = edges.enumerated().map { index, edge in
            ServiceDefinition(
                name: edge.key, podName: "p", image: "x",
                dependsOn: edge.value.map { Dependency(service: $0, condition: .healthy) },
                location: SourceLocation(file: "p.yml", line: index + 3, column: 3))
        }
        return PodDefinition(name: "p", sourceFile: "p.yml", services: services)
    }

    struct GraphCase: Sendable, CustomTestStringConvertible {
        var name: String
        var pod: PodDefinition
        var levels: [[String]]
        var testDescription: String { name }
    }

    @Test(
        "puts each service one level after its deepest dependency, keeping file order within a level",
        arguments: [
            GraphCase(name: "no dependencies", pod: pod(["a": [], "b": [], "c": []]), levels: [["a", "b", "c"]]),
            GraphCase(name: "chain", pod: pod(["a": [], "b": ["a"], "c": ["b"]]), levels: [["a"], ["b"], ["c"]]),
            GraphCase(
                name: "chain written backwards", pod: pod(["c": ["b"], "b": ["a"], "a": []]),
                levels: [["a"], ["b"], ["c"]]),
            GraphCase(
                name: "diamond",
                pod: pod(["top": [], "left": ["top"], "right": ["top"], "bottom": ["left", "right"]]),
                levels: [["top"], ["left", "right"], ["bottom"]]),
            GraphCase(
                name: "the local-ai shape",
                pod: pod(["ollama": [], "qdrant": [], "open-webui": ["ollama"], "mindsdb": ["ollama", "qdrant"]]),
                levels: [["ollama", "qdrant"], ["open-webui", "mindsdb"]]),
            GraphCase(
                name: "uneven depths", pod: pod(["a": [], "b": ["a"], "c": ["b"], "d": ["a"], "e": ["c", "d"]]),
                levels: [["a"], ["b", "d"], ["c"], ["e"]]),
            GraphCase(
                name: "a dependency written twice", pod: pod(["a": [], "b": ["a", "a"]]), levels: [["a"], ["b"]]),
        ])
    func levels(_ graphCase: GraphCase) throws {
        #expect(try DependencyGraph(pod: graphCase.pod).levels == graphCase.levels)
    }

    @Test(
        "names each cycle, starting from its first service in file order",
        arguments: [
            (pod(["a": ["a"]]), ["dependency cycle: a -> a"]),
            (pod(["a": ["b"], "b": ["a"]]), ["dependency cycle: a -> b -> a"]),
            (pod(["x": [], "a": ["b"], "b": ["c"], "c": ["a"]]), ["dependency cycle: a -> b -> c -> a"]),
            (
                pod(["a": ["b"], "b": ["a"], "c": ["d"], "d": ["c"]]),
                ["dependency cycle: a -> b -> a", "dependency cycle: c -> d -> c"]
            ),
            (pod(["ok": [], "a": ["ok", "b"], "b": ["a"]]), ["dependency cycle: a -> b -> a"]),
        ])
    func cycles(pod: PodDefinition, messages: [String]) {
        #expect {
            try DependencyGraph(pod: pod)
        } throws: { error in
            (error as? StackLoadError)?.issues.map(\.message) == messages
        }
    }

    @Test("points a cycle at the line of the service it starts from")
    func cycleLocation() {
        #expect {
            try DependencyGraph(pod: Self.pod(["x": [], "a": ["b"], "b": ["a"]]))
        } throws: { error in
            (error as? StackLoadError)?.issues.first?.location == SourceLocation(file: "p.yml", line: 4, column: 3)
        }
    }

    @Test("refuses a required dependency on a service outside the pod and leaves out an optional one")
    func missingDependencies() throws {
        var pod = Self.pod(["a": ["ghost"]])
        #expect(throws: StackLoadError.self) { try DependencyGraph(pod: pod) }
        pod.services[0].dependsOn = [Dependency(service: "ghost", required: false)]
        let graph = try DependencyGraph(pod: pod)
        #expect(graph.levels == [["a"]])
        #expect(graph.directDependencies(of: "a").isEmpty)
    }

    @Test("finds transitive dependencies and dependents in start order")
    func transitive() throws {
        let graph = try DependencyGraph(
            pod: Self.pod(["a": [], "b": ["a"], "c": ["b"], "d": ["a"], "e": ["c", "d"], "f": []]))
        #expect(graph.dependencies(of: "e") == ["a", "b", "d", "c"])
        #expect(graph.dependencies(of: "a").isEmpty)
        #expect(graph.dependents(of: "a") == ["b", "d", "c", "e"])
        #expect(graph.dependents(of: "c") == ["e"])
        #expect(graph.dependents(of: "f").isEmpty)
        #expect(graph.directDependencies(of: "e") == ["c", "d"])
    }
}
