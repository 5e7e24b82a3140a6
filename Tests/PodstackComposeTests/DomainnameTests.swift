import Testing

@testable import PodstackCompose

/// `domainname`: Podman 4.3.1 and 5.4.2 drop it from a create spec without a word (measured: inspect's
/// Config.Domainname stays empty and /proc/sys/kernel/domainname reads "(none)"), so it is refused, never
/// accepted and lost.
@Suite("domainname")
struct DomainnameTests {
    @Test("domainname is refused at its line with the reason and the ways to write the domain instead")
    func refused() throws {
        let issues = try loadIssues("name: p\nservices:\n  a:\n    image: x\n    domainname: example.test\n")
        #expect(issues.count == 1, "\(issues.map(\.message))")
        let issue = try #require(issues.first)
        #expect(issue.message == "'domainname' in service 'a' is not supported by podstack")
        #expect(issue.location?.line == 5)
        #expect(issue.hint?.contains("Podman cannot set a container's domain name") == true)
        #expect(issue.hint?.contains("hostname (web.example.test) or dns_search") == true)
    }
}
