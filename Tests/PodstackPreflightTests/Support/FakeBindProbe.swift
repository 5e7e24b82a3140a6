@testable import PodstackPreflight

/// A bind probe that answers from a table: tests decide which ports are taken.
struct FakeBindProbe: BindProbe {
    var takenPorts: Set<Int> = []
    var unavailableAddresses: Set<HostAddress> = []

    func probe(address: HostAddress, port: Int, transport: TransportProtocol) -> BindOutcome {
        if unavailableAddresses.contains(address) { return .addressUnavailable }
        return takenPorts.contains(port) ? .inUse : .free
    }
}
