import PodstackCompose
import Testing

@testable import PodstackExport

/// Kubernetes expands `$(NAME)` in a container's command, args and env values, and reads `$$` as `$`;
/// what compose meant literally must come out of that expansion unchanged.
@Suite("Export: kube values survive Kubernetes' $(...) expansion")
struct ExportKubeExpansionTests {
    typealias F = ExportFixture

    /// Kubernetes' expansion (third_party/forked/golang/expansion/expand.go): `$$` is `$`, `$(NAME)` is the
    /// variable when it is set and stays as written when not, `$` before anything else stays.
    static func expandedByKubernetes(_ text: String, _ variables: [String: String]) -> String {
        let input = Array(text)
        var out = ""
        var index = 0
        while index < input.count {
            guard input[index] == "$", index + 1 < input.count else {
                out.append(input[index])
                index += 1
                continue
            }
            let next = input[index + 1]
            if next == "$" {
                out.append("$")
                index += 2
            } else if next == "(", let close = input[(index + 2)...].firstIndex(of: ")") {
                let name = String(input[(index + 2)..<close])
                out += variables[name] ?? "$(\(name))"
                index = close + 1
            } else {
                out.append("$")
                out.append(next)
                index += 2
            }
        }
        return out
    }

    static let samples = [
        "echo $(date)", "$(HOME)", "a$$b", "$$(x)", "$", "x$", "$$", "$$$", "$x $HOME", "$(unclosed", "(x)$", "",
        "price: 5$ (tax)", "$(A)$(B)$$(C)",
    ]

    @Test("a compose $$(date), which reaches the export as $(date), is written $$(date) in args, command and env")
    func escapesReferences() throws {
        var service = F.service("web", environment: ["STAMP": "$(date)", "PLAIN": "$HOME"])
        service.command = ["sh", "-c", "echo $(date) $$"]
        service.entrypoint = ["/bin/$(SHELL)"]
        let web = try F.workload(F.pod([service]))["spec", "containers", 0]
        #expect(web?["args", 2]?.string == "echo $$(date) $$$")
        #expect(web?["command", 0]?.string == "/bin/$$(SHELL)")
        #expect(web?["env", 1, "name"]?.string == "STAMP" && web?["env", 1, "value"]?.string == "$$(date)")
        #expect(web?["env", 0, "value"]?.string == "$HOME")
    }

    @Test("every value reaches the container as written, with the variables it names set", arguments: samples)
    func survivesExpansion(text: String) {
        let variables = ["HOME": "/root", "date": "NOW", "x": "X", "A": "1", "B": "2", "C": "3"]
        #expect(Self.expandedByKubernetes(KubePodBuilder.unexpanded(text), variables) == text)
    }

    @Test("the model of Kubernetes' expansion does expand, so the pass above means something")
    func modelExpands() {
        #expect(Self.expandedByKubernetes("echo $(date) $$ $x", ["date": "NOW"]) == "echo NOW $ $x")
        #expect(Self.expandedByKubernetes("$(nope)", [:]) == "$(nope)")
    }
}
