import Foundation

/// A published port, as the pod create spec and container lists spell it.
public struct PortMappingSpec: Codable, Sendable, Hashable {
    public var host_ip: String?
    public var host_port: Int
    public var container_port: Int
    public var `protocol`: String?
    public var range: Int?

    public init(hostIP: String?, hostPort: Int, containerPort: Int, protocol: String = "tcp") {
        self.host_ip = hostIP
        self.host_port = hostPort
        self.container_port = containerPort
        self.protocol = `protocol`
    }
}

/// `POST /libpod/pods/create` body (PodSpecGenerator, the fields podstack sets).
public struct PodCreateSpec: Codable, Sendable {
    public var name: String
    public var labels: [String: String]
    public var portmappings: [PortMappingSpec]
    public var hostname: String?
    /// "continue" keeps the pod up when one container exits (a completed one-shot job must not stop it).
    public var exit_policy: String?

    public init(name: String, labels: [String: String], portmappings: [PortMappingSpec], hostname: String? = nil) {
        self.name = name
        self.labels = labels
        self.portmappings = portmappings
        self.hostname = hostname
        self.exit_policy = "continue"
    }
}

public struct IDResponse: Codable, Sendable {
    public var Id: String
}

/// `GET /libpod/pods/{name}/json` (abridged).
public struct PodInspect: Codable, Sendable {
    public var Id: String
    public var Name: String
    public var State: String
    public var Labels: [String: String]?
    public var InfraContainerID: String?
    public var InfraConfig: Infra?
    public var Containers: [Member]?

    public struct Infra: Codable, Sendable {
        public var PortBindings: [String: [HostBinding]]?
    }
    public struct HostBinding: Codable, Sendable {
        public var HostIp: String?
        public var HostPort: String?
    }
    public struct Member: Codable, Sendable {
        public var Id: String
        public var Name: String
        public var State: String
    }
}

/// An item of `GET /libpod/pods/json`.
public struct PodSummary: Codable, Sendable {
    public var Id: String
    public var Name: String
    public var Status: String
    public var Labels: [String: String]?
    public var InfraId: String?
    public var Containers: [Member]?

    public struct Member: Codable, Sendable {
        public var Id: String
        public var Names: String?
        public var Status: String?
    }
}

/// Start/stop/kill reports. `Errs` is an array of strings (or null); 409 answers carry it too.
public struct PodActionReport: Codable, Sendable {
    public var Errs: [String]?
    public var Id: String?
}

/// `DELETE /libpod/pods/{name}` report.
public struct PodRemoveReport: Codable, Sendable {
    public var Err: String?
    public var Id: String?
}
