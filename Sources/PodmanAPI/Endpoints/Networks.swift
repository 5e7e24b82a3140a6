import Foundation

/// Network routes (`/libpod/networks/...`): the Podman networks of a pod whose services each have a network
/// namespace of their own.
extension PodmanClient {
    /// `POST /networks/create` (200). 409 when the name is taken.
    public func createNetwork(_ spec: Podman.NetworkCreateSpec) async throws -> Podman.NetworkInfo {
        try await post("/networks/create", json: spec, accepting: [200, 201])
    }

    /// `GET /networks/{name}/exists`.
    public func networkExists(_ name: String) async throws -> Bool {
        try await send(.get, "/networks/\(name)/exists", accepting: [204, 404]).status == 204
    }

    /// `GET /networks/{name}/json`.
    public func inspectNetwork(_ name: String) async throws -> Podman.NetworkInfo {
        try await get("/networks/\(name)/json")
    }

    /// `GET /networks/json?filters={"label":[...]}`.
    public func listNetworks(labels: [String] = []) async throws -> [Podman.NetworkInfo] {
        try await get("/networks/json", query: Self.filters(labels.isEmpty ? [:] : ["label": labels]))
    }

    /// `DELETE /networks/{name}` (200, with what was removed; 409 while a container is on it; 404 when gone).
    public func removeNetwork(_ name: String) async throws {
        try await send(.delete, "/networks/\(name)", accepting: [200, 204])
    }
}

extension Podman {
    /// libpod's network create body (the fields podstack sets).
    public struct NetworkCreateSpec: Codable, Sendable, Hashable {
        public var name: String
        public var driver: String
        public var labels: [String: String]?
        public var isInternal: Bool?
        /// Podman's CLI turns DNS on for every network it makes; the API's default is off, and without it
        /// the containers on the network cannot resolve each other's names.
        public var dnsEnabled: Bool
        public var subnets: [Subnet]?

        public init(
            name: String, labels: [String: String]? = nil, isInternal: Bool? = nil, subnets: [Subnet]? = nil
        ) {
            self.name = name
            driver = "bridge"
            self.labels = labels
            self.isInternal = isInternal
            dnsEnabled = true
            self.subnets = subnets
        }

        enum CodingKeys: String, CodingKey {
            case name, driver, labels, subnets
            case isInternal = "internal"
            case dnsEnabled = "dns_enabled"
        }

        public struct Subnet: Codable, Sendable, Hashable {
            public var subnet: String
            public var gateway: String?

            public init(subnet: String, gateway: String? = nil) {
                self.subnet = subnet
                self.gateway = gateway
            }
        }
    }

    /// What a network list or inspect answers (the fields podstack reads).
    public struct NetworkInfo: Codable, Sendable, Hashable {
        public var name: String
        public var id: String?
        public var labels: [String: String]?
        public var isInternal: Bool?
        public var dnsEnabled: Bool?
        public var subnets: [NetworkCreateSpec.Subnet]?

        enum CodingKeys: String, CodingKey {
            case name, id, labels, subnets
            case isInternal = "internal"
            case dnsEnabled = "dns_enabled"
        }
    }
}
