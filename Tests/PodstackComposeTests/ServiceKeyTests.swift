import PodstackCompose
import Testing

/// The key enums are what makes the compiler point at every consumer of a new field; this is what makes a
/// new field need its enum case (docs/adding-a-compose-key.md).
@Suite("Each model struct's key enum lists exactly its stored properties")
struct ServiceKeyTests {
    static func storedProperties(of value: Any) -> [String] {
        Mirror(reflecting: value).children.compactMap(\.label)
    }

    @Test("ServiceDefinition.Key lists every stored property of ServiceDefinition, and nothing else")
    func service() {
        let service = ServiceDefinition(
            name: "web", podName: "p", image: "nginx", location: SourceLocation(file: "f", line: 1, column: 1))
        #expect(
            Set(Self.storedProperties(of: service)) == Set(ServiceDefinition.Key.allCases.map(\.rawValue)),
            "add a case to ServiceDefinition.Key (Sources/PodstackCompose/Model/ServiceKeys.swift) for each new field")
        #expect(Self.storedProperties(of: service).count == ServiceDefinition.Key.allCases.count)
    }

    @Test("ProcessSettings.Key lists every stored property of ProcessSettings, and nothing else")
    func process() {
        #expect(
            Set(Self.storedProperties(of: ProcessSettings())) == Set(ProcessSettings.Key.allCases.map(\.rawValue)),
            "add a case to ProcessSettings.Key for each new field")
        #expect(Self.storedProperties(of: ProcessSettings()).count == ProcessSettings.Key.allCases.count)
    }

    @Test("ServiceAddressing.Key lists every stored property of ServiceAddressing, and nothing else")
    func addressing() {
        #expect(
            Set(Self.storedProperties(of: ServiceAddressing())) == Set(ServiceAddressing.Key.allCases.map(\.rawValue)),
            "add a case to ServiceAddressing.Key for each new field")
        #expect(Self.storedProperties(of: ServiceAddressing()).count == ServiceAddressing.Key.allCases.count)
    }
}
