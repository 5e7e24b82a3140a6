import Foundation
import PodmanAPI
import PodstackCompose

/// What `host-gateway` in `extra_hosts` becomes in the pod create spec of the Podman at hand.
///
/// From 4.7 (containers/podman#19152) Podman takes `host-gateway` itself and maps it to the address it gives
/// `host.containers.internal` (169.254.1.2 under pasta on 5.x). Older ones refuse the word ("invalid IP
/// address in add-host"), so podstack writes the address they give `host.containers.internal` rootless:
/// the host's first non-loopback address, as containers/common's `GetLocalIP` picks it. Either way a
/// listener on the host is reached when it listens on that address or on all of them, not on 127.0.0.1
/// alone: the meaning compose gives host-gateway on Linux (PodNamespacesIntegrationTests.hostGateway).
enum HostGatewayAddress {
    static let resolvedByPodmanSince = Podman.LibpodVersion(4, 7, 0)

    /// The address to write for `host-gateway`: the word itself where Podman resolves it, else the host's
    /// address from `localAddresses` (in interface order). With no such address the word is kept, and an
    /// older Podman refuses the pod with its own message.
    static func forPodman(apiVersion: String, localAddresses: () -> [String]) -> String {
        if let version = Podman.LibpodVersion(apiVersion), version >= resolvedByPodmanSince {
            return HostEntry.hostGateway
        }
        return firstHostAddress(localAddresses()) ?? HostEntry.hostGateway
    }

    /// The first global unicast IPv4 address, else the first such IPv6 address.
    static func firstHostAddress(_ addresses: [String]) -> String? {
        let global = addresses.filter(isGlobalUnicast)
        return global.first { !$0.contains(":") } ?? global.first
    }

    static func isGlobalUnicast(_ address: String) -> Bool {
        if address.contains(":") {
            let lower = address.lowercased()
            return lower != "::1" && lower != "::" && !lower.hasPrefix("fe8") && !lower.hasPrefix("fe9")
                && !lower.hasPrefix("fea") && !lower.hasPrefix("feb") && !lower.hasPrefix("ff")
        }
        let octets = address.split(separator: ".").compactMap { Int($0) }
        guard octets.count == 4 else { return false }
        return octets[0] != 0 && octets[0] != 127 && octets[0] < 224 && !(octets[0] == 169 && octets[1] == 254)
    }

    /// The addresses of this host's interfaces, in the order the kernel lists them (as Go's
    /// `net.InterfaceAddrs` has them). The rootless Podman service runs in the host's network namespace.
    static func interfaceAddresses() -> [String] {
        var list: UnsafeMutablePointer<ifaddrs>?
        guard getifaddrs(&list) == 0, let first = list else { return [] }
        defer { freeifaddrs(list) }
        var found: [String] = []
        for entry in sequence(first: first, next: { $0.pointee.ifa_next }) {
            guard let address = entry.pointee.ifa_addr else { continue }
            let family = Int32(address.pointee.sa_family)
            guard family == AF_INET || family == AF_INET6 else { continue }
            var text = [CChar](repeating: 0, count: Int(NI_MAXHOST))
            let length = socklen_t(family == AF_INET ? MemoryLayout<sockaddr_in>.size : MemoryLayout<sockaddr_in6>.size)
            guard getnameinfo(address, length, &text, socklen_t(text.count), nil, 0, NI_NUMERICHOST) == 0 else {
                continue
            }
            found.append(String(decoding: text.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self))
        }
        return found
    }
}
