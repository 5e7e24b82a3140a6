import Foundation
import PodstackCompose
import Testing

@testable import PodstackCore

/// How the fingerprint takes a key added to the model without an edit of its own (ContainerFingerprint).
@Suite("The fingerprint takes fields added to the model as they encode, and only when set")
struct FingerprintLaterKeysTests {
    /// A model as it may look after a later release added `pidsLimit` and `tags` to it.
    struct GrownModel: Encodable {
        var image = "nginx"
        var pidsLimit: Int?
        var tags: [String] = []
        var readOnly = false
        var location = PodstackCompose.SourceLocation(file: "a.yml", line: 3, column: 5)
        var options: Options?

        struct Options: Encodable {
            var mode: String
            var location: PodstackCompose.SourceLocation
        }
    }

    @Test("a field that is unset, empty or false contributes nothing, so such a service keeps its hash")
    func unsetContributesNothing() {
        #expect(ModelJSON.remainder(of: GrownModel(), spelledOut: ["image", "location"]).isEmpty)
    }

    @Test("a field that is set contributes itself under its own name; where it was written does not")
    func setContributes() {
        var model = GrownModel()
        model.pidsLimit = 0
        model.tags = ["a"]
        model.options = .init(mode: "x", location: PodstackCompose.SourceLocation(file: "b.yml", line: 9, column: 1))
        let members = ModelJSON.remainder(of: model, spelledOut: ["image", "location"])
        #expect(members["pidsLimit"] == .integer(0))
        #expect(members["tags"] == .array([.string("a")]))
        #expect(members["options"] == .object(["mode": .string("x")]))
        #expect(members.count == 3)
    }

    @Test("every field of today's model is spelled out or outside the container, never both")
    func todaysKeysAreAllDecided() {
        let spelled = ContainerFingerprint.spelledOut
        let outside = ContainerFingerprint.outsideTheContainer
        #expect(spelled.isDisjoint(with: outside))
        let undecided = Set(ServiceDefinition.Key.allCases).subtracting(spelled).subtracting(outside)
        // A field added since is taken as it encodes: listed here, it is the proof that the rule reaches it.
        #expect(undecided.map(\.rawValue).sorted() == ["annotations"])
        #expect(ContainerFingerprint(DigestFixtures.rich).laterKeys.isEmpty)
    }
}
