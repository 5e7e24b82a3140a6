import Foundation

extension Podman {
    /// A published port, as the pod create spec and container lists spell it.
    public struct PortMapping: Codable, Sendable, Hashable {
        public var hostIP: String?
        public var hostPort: Int
        public var containerPort: Int
        public var `protocol`: String?
        public var range: Int?

        public init(hostIP: String?, hostPort: Int, containerPort: Int, protocol: String = "tcp") {
            self.hostIP = hostIP
            self.hostPort = hostPort
            self.containerPort = containerPort
            self.protocol = `protocol`
        }

        enum CodingKeys: String, CodingKey {
            case hostIP = "host_ip"
            case hostPort = "host_port"
            case containerPort = "container_port"
            case `protocol`, range
        }
    }

    /// `POST /libpod/pods/create` body (PodSpecGenerator, the fields podstack sets).
    public struct PodCreateSpec: Codable, Sendable {
        public var name: String
        public var labels: [String: String]
        public var portMappings: [PortMapping]
        public var hostname: String?
        /// "continue" keeps the pod up when one container exits (a completed one-shot job must not stop it).
        public var exitPolicy: String?
        /// `/etc/hosts` entries as `name:address`, shared by every container of the pod.
        public var hostAdd: [String]?
        public var dnsServer: [String]?
        public var dnsSearch: [String]?
        public var dnsOption: [String]?
        /// The pod's network: `{"nsmode": "host"}` or `"none"`; nil for a network namespace of its own.
        public var netns: Namespace?
        /// Bytes of the pod's /dev/shm, which its containers share with the IPC namespace.
        public var shmSize: Int64?
        /// The namespaces the pod's containers share; nil for Podman's default (ipc, net, uts).
        public var sharedNamespaces: [String]?
        /// The pod's user namespace (`keep-id`, `auto`...), which every container of the pod joins.
        public var userns: Namespace?

        public init(name: String, labels: [String: String], portMappings: [PortMapping], hostname: String? = nil) {
            self.name = name
            self.labels = labels
            self.portMappings = portMappings
            self.hostname = hostname
            self.exitPolicy = "continue"
        }

        enum CodingKeys: String, CodingKey {
            case name, labels, hostname
            case portMappings = "portmappings"
            case exitPolicy = "exit_policy"
            case hostAdd = "hostadd"
            case dnsServer = "dns_server"
            case dnsSearch = "dns_search"
            case dnsOption = "dns_option"
            case shmSize = "shm_size"
            case sharedNamespaces = "shared_namespaces"
            case netns, userns
        }
    }

    /// A namespace choice of a create spec (`nsmode`: host, none, private...; `container` with the
    /// container's name or ID in `value`).
    public struct Namespace: Codable, Sendable, Hashable {
        public var nsmode: String
        /// The mode's options (`uid=1000,gid=1000` of keep-id, `size=N` of auto); nil for none.
        public var value: String?

        public init(nsmode: String, value: String? = nil) {
            self.nsmode = nsmode
            self.value = value
        }
    }

    /// The answer to a pod create.
    struct IDResponse: Codable, Sendable {
        var id: String

        enum CodingKeys: String, CodingKey { case id = "Id" }
    }

    /// `GET /libpod/pods/{name}/json` (abridged).
    public struct PodInspect: Codable, Sendable {
        public var id: String
        public var name: String
        /// The pod's state: Created, Running, Degraded, Stopped, Exited, Paused, Error (capitalized, unlike a
        /// container's).
        public var state: String
        public var labels: [String: String]?
        public var infraContainerID: String?
        public var infraConfig: Infra?
        public var containers: [Member]?

        enum CodingKeys: String, CodingKey {
            case id = "Id"
            case name = "Name"
            case state = "State"
            case labels = "Labels"
            case infraContainerID = "InfraContainerID"
            case infraConfig = "InfraConfig"
            case containers = "Containers"
        }

        public struct Infra: Codable, Sendable {
            public var portBindings: [String: [HostBinding]]?

            enum CodingKeys: String, CodingKey { case portBindings = "PortBindings" }
        }
        public struct HostBinding: Codable, Sendable {
            public var hostIP: String?
            public var hostPort: String?

            public init(hostIP: String?, hostPort: String?) {
                self.hostIP = hostIP
                self.hostPort = hostPort
            }

            /// A container's published ports (as its list entry has them) in the form of the pod's bindings:
            /// by `<container port>/<protocol>`.
            public static func bindings(of ports: [PortMapping]?) -> [String: [HostBinding]] {
                Dictionary(grouping: ports ?? []) { "\($0.containerPort)/\($0.protocol ?? "tcp")" }
                    .mapValues { $0.map { HostBinding(hostIP: $0.hostIP, hostPort: String($0.hostPort)) } }
            }

            enum CodingKeys: String, CodingKey {
                case hostIP = "HostIp"
                case hostPort = "HostPort"
            }
        }
        public struct Member: Codable, Sendable {
            public var id: String
            public var name: String
            public var state: ContainerState

            enum CodingKeys: String, CodingKey {
                case id = "Id"
                case name = "Name"
                case state = "State"
            }
        }
    }

    /// An item of `GET /libpod/pods/json`.
    public struct PodSummary: Codable, Sendable {
        public var id: String
        public var name: String
        /// The pod's state, as in `PodInspect.state`.
        public var status: String
        public var labels: [String: String]?
        public var infraID: String?
        public var containers: [Member]?

        enum CodingKeys: String, CodingKey {
            case id = "Id"
            case name = "Name"
            case status = "Status"
            case labels = "Labels"
            case infraID = "InfraId"
            case containers = "Containers"
        }

        public struct Member: Codable, Sendable {
            public var id: String
            public var names: String?
            public var status: ContainerState?

            enum CodingKeys: String, CodingKey {
                case id = "Id"
                case names = "Names"
                case status = "Status"
            }
        }
    }

    /// Start/stop/kill reports. `Errs` is an array of strings (or null); 409 answers carry it too.
    struct PodActionReport: Codable, Sendable {
        var errors: [String]?
        var id: String?

        enum CodingKeys: String, CodingKey {
            case errors = "Errs"
            case id = "Id"
        }
    }

    /// `DELETE /libpod/pods/{name}` report.
    struct PodRemoveReport: Codable, Sendable {
        var error: String?
        var id: String?

        enum CodingKeys: String, CodingKey {
            case error = "Err"
            case id = "Id"
        }
    }
}
