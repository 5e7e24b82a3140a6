/// The compose short syntax for ports: `[HOST_IP:]HOST_PORT:CONTAINER_PORT[/PROTOCOL]`, where either port may
/// be a range (`8000-8002:9000-9002`) and an IPv6 host address is written in brackets (`[::1]:80:80`).
///
/// A port without a host port (`"8001"`, `"127.0.0.1::8001"`) is published on a host port Podman picks, as
/// compose does: `PortMapping.podmanPicksHostPort`. The preflight has nothing to check for it, and `ps` shows
/// the port Podman chose.
enum PortSyntax {
    struct Parsed: Equatable {
        var hostIP: String
        var hostPort: Int
        var containerPort: Int
        var transport: PortMapping.TransportProtocol
        /// Where the host port was written in the text, in UTF-8 offsets, to find the variable that set it.
        var hostPortOffsets: Range<Int>
    }

    struct Failure: Error, Equatable {
        var message: String
        var hint: String?
    }

    static func parse(_ text: String) -> Result<[Parsed], Failure> {
        do {
            return .success(try parseThrowing(text))
        } catch {
            return .failure(error)
        }
    }

    private static func parseThrowing(_ text: String) throws(Failure) -> [Parsed] {
        let bytes = Array(text.utf8)
        var body = bytes[...]
        var transport = PortMapping.TransportProtocol.tcp
        if let slash = body.lastIndex(of: UInt8(ascii: "/")) {
            transport = try parseProtocol(String(decoding: body[(slash + 1)...], as: UTF8.self))
            body = body[..<slash]
        }
        var hostIP = PortMapping.defaultHostIP
        let bracketed = body.first == UInt8(ascii: "[")
        if bracketed {
            guard let close = body.firstIndex(of: UInt8(ascii: "]")),
                body.index(after: close) < body.endIndex, body[body.index(after: close)] == UInt8(ascii: ":")
            else { throw Failure(message: "port '\(text)' has an unclosed IPv6 address", hint: "write [::1]:8080:80") }
            hostIP = String(decoding: body[(body.startIndex + 1)..<close], as: UTF8.self)
            try validateAddress(hostIP, in: text)
            body = body[(close + 2)...]
        }
        let parts = body.split(separator: UInt8(ascii: ":"), omittingEmptySubsequences: false)
        let hostPart: ArraySlice<UInt8>
        let containerPart: ArraySlice<UInt8>
        if parts.count == 2 {
            hostPart = parts[0]
            containerPart = parts[1]
        } else if parts.count == 3, !bracketed {
            // An empty address (`:2283:2283`, Immich's default) is docker's "no address given": the default.
            if !parts[0].isEmpty {
                hostIP = String(decoding: parts[0], as: UTF8.self)
                try validateAddress(hostIP, in: text)
            }
            hostPart = parts[1]
            containerPart = parts[2]
        } else if parts.count == 1 {
            hostPart = []
            containerPart = parts[0]
        } else {
            throw Failure(
                message: "port '\(text)' is not HOST:CONTAINER or IP:HOST:CONTAINER",
                hint: "write an IPv6 host address in brackets: [::1]:8080:80")
        }
        let hostOffsets = hostPart.startIndex..<hostPart.endIndex
        let containerPorts = try parseRange(String(decoding: containerPart, as: UTF8.self))
        let hostPorts =
            hostPart.isEmpty
            ? containerPorts.map { _ in PortMapping.podmanPicksHostPort }
            : try parseRange(String(decoding: hostPart, as: UTF8.self))
        guard hostPorts.count == containerPorts.count else {
            throw Failure(
                message: "port '\(text)' maps \(hostPorts.count) host port(s) to \(containerPorts.count) "
                    + "container port(s)",
                hint: "give ranges of the same length on both sides")
        }
        return zip(hostPorts, containerPorts).map { host, container in
            Parsed(
                hostIP: hostIP, hostPort: host, containerPort: container, transport: transport,
                hostPortOffsets: hostOffsets)
        }
    }

    static func parseProtocol(_ text: String) throws(Failure) -> PortMapping.TransportProtocol {
        guard let transport = PortMapping.TransportProtocol(rawValue: text.lowercased()) else {
            throw Failure(message: "protocol '\(text)' is not supported", hint: "use tcp or udp")
        }
        return transport
    }

    /// A single port or an ascending range `LOW-HIGH`, each in 1-65535.
    static func parseRange(_ text: String) throws(Failure) -> [Int] {
        let bounds = text.split(separator: "-", omittingEmptySubsequences: false)
        switch bounds.count {
        case 1:
            return [try parsePort(text)]
        case 2:
            let low = try parsePort(String(bounds[0]))
            let high = try parsePort(String(bounds[1]))
            guard low <= high else {
                throw Failure(message: "port range '\(text)' runs backwards", hint: "write the lower port first")
            }
            return Array(low...high)
        default:
            throw Failure(message: "'\(text)' is not a port or a range of ports", hint: nil)
        }
    }

    static func parsePort(_ text: String) throws(Failure) -> Int {
        guard !text.isEmpty, text.utf8.allSatisfy({ $0 >= UInt8(ascii: "0") && $0 <= UInt8(ascii: "9") }) else {
            throw Failure(message: "'\(text)' is not a port number", hint: nil)
        }
        // Too many digits for Int is out of range too, not a parse failure worth a different message.
        guard let port = Int(text), PortMapping.validRange.contains(port) else {
            throw Failure(message: "port \(text.prefix(40)) is out of range 1-65535", hint: nil)
        }
        return port
    }

    static func validateAddress(_ address: String, in text: String) throws(Failure) {
        if isIPv4(address) || isIPv6(address) { return }
        throw Failure(
            message: "'\(address)' in port '\(text)' is not an IP address",
            hint: "write an IPv4 address such as 127.0.0.1, or an IPv6 address in brackets such as [::1]")
    }

    static func isIPv4(_ address: String) -> Bool {
        let octets = address.split(separator: ".", omittingEmptySubsequences: false)
        return octets.count == 4
            && octets.allSatisfy { octet in
                octet.count <= 3 && !octet.isEmpty && octet.allSatisfy(\.isASCIIDigit) && (Int(octet) ?? 256) <= 255
            }
    }

    static func isIPv6(_ address: String) -> Bool {
        address.contains(":") && address.count <= 45
            && address.allSatisfy { $0.isHexDigit || $0 == ":" || $0 == "." }
    }
}

extension Character {
    var isASCIIDigit: Bool { isASCII && isNumber }
}
