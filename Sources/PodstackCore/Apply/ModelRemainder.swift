import Foundation
import PodstackCompose

/// A JSON value as the model's own `Codable` encoding writes it: how the fingerprint takes in fields it does
/// not spell out, so that a key added to the model needs no edit there.
enum ModelJSON: Codable, Equatable {
    case bool(Bool)
    case integer(Int64)
    case number(Double)
    case string(String)
    case array([ModelJSON])
    case object([String: ModelJSON])
    case null

    init(from decoder: any Decoder) throws {
        let single = try decoder.singleValueContainer()
        if single.decodeNil() {
            self = .null
        } else if let value = try? single.decode(Bool.self) {
            self = .bool(value)
        } else if let value = try? single.decode(Int64.self) {
            self = .integer(value)
        } else if let value = try? single.decode(Double.self) {
            self = .number(value)
        } else if let value = try? single.decode(String.self) {
            self = .string(value)
        } else if let value = try? single.decode([ModelJSON].self) {
            self = .array(value)
        } else {
            self = .object(try single.decode([String: ModelJSON].self))
        }
    }

    func encode(to encoder: any Encoder) throws {
        var single = encoder.singleValueContainer()
        switch self {
        case .bool(let value): try single.encode(value)
        case .integer(let value): try single.encode(value)
        case .number(let value): try single.encode(value)
        case .string(let value): try single.encode(value)
        case .array(let value): try single.encode(value)
        case .object(let value): try single.encode(value)
        case .null: try single.encodeNil()
        }
    }

    /// The value with every absent, false or empty member left out, as the fingerprint writes its own keys;
    /// nil when nothing is left. Array elements keep their places. A member named `location` is left out
    /// too: in the model it always says where a value was written (`SourceLocation`), never what it is, and a
    /// comment line above a service must not recreate its container.
    var pruned: ModelJSON? {
        switch self {
        case .null, .bool(false): return nil
        case .bool, .integer, .number, .string: return self
        case .array(let elements): return elements.isEmpty ? nil : .array(elements.map { $0.pruned ?? .object([:]) })
        case .object(let members):
            let kept = members.filter { $0.key != "location" }.compactMapValues(\.pruned)
            return kept.isEmpty ? nil : .object(kept)
        }
    }

    /// The stored properties of `value` whose names are not in `spelledOut`, each as its own encoding writes
    /// it, pruned: what a field added to the model since the fingerprint spelled out its keys contributes.
    /// Empty for a value that sets none. A property's name is its key in the model's synthesized `Codable`
    /// encoding. Only those properties are encoded, so today's model, which has none, costs no encoding.
    static func remainder<Value: Encodable>(of value: Value, spelledOut: Set<String>) -> [String: ModelJSON] {
        var members: [String: ModelJSON] = [:]
        for child in Mirror(reflecting: value).children {
            guard let name = child.label, !spelledOut.contains(name), let field = child.value as? any Encodable,
                let data = try? JSONEncoder().encode(field),
                let json = (try? JSONDecoder().decode(ModelJSON.self, from: data))?.pruned
            else { continue }
            members[name] = json
        }
        return members
    }
}

/// A coding key of any name, for the members the fingerprint takes from the model as they are.
struct ModelMemberKey: CodingKey {
    var stringValue: String
    var intValue: Int? { nil }

    init(stringValue: String) { self.stringValue = stringValue }
    init?(intValue: Int) { nil }
}

extension Encoder {
    /// Writes each member beside the keys the caller's own container writes (the same JSON object).
    func encodeMembers(_ members: [String: ModelJSON]) throws {
        guard !members.isEmpty else { return }
        var keyed = container(keyedBy: ModelMemberKey.self)
        for (name, value) in members { try keyed.encode(value, forKey: ModelMemberKey(stringValue: name)) }
    }
}
