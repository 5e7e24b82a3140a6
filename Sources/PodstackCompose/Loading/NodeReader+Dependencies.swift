extension NodeReader {
    mutating func dependencies(_ node: ComposeNode, service: String, context: String) -> [Dependency] {
        let what = "depends_on of \(context)"
        if case .sequence(let list) = node.kind {
            return list.compactMap { item in
                guard let name = nonEmptyString(item, "each item of \(what)") else { return nil }
                dependencyLocations[DependencyKey(service: service, dependency: name)] = location(item)
                return Dependency(service: name)
            }
        }
        guard let entries = mapping(node, what) else { return [] }
        return entries.compactMap { entry in
            var dependency = Dependency(service: entry.key)
            dependencyLocations[DependencyKey(service: service, dependency: entry.key)] = location(entry.keyNode)
            if Self.isNull(entry.value) { return dependency }
            guard let options = mapping(entry.value, "depends_on '\(entry.key)' of \(context)") else { return nil }
            let keys = knownEntries(
                options, allowed: ComposeKeys.dependency, context: "depends_on '\(entry.key)' of \(context)")
            if let node = keys["condition"]?.value, let text = string(node, "condition of \(what)") {
                guard let condition = Dependency.Condition(rawValue: text) else {
                    report(
                        node,
                        "condition '\(text.prefix(40))' in \(what) is not one of service_started, service_healthy, "
                            + "service_completed_successfully")
                    return nil
                }
                dependency.condition = condition
            }
            if let node = keys["required"]?.value, let required = bool(node, "required of \(what)") {
                dependency.required = required
            }
            if let node = keys["restart"]?.value { dependency.restart = bool(node, "restart of \(what)") }
            return dependency
        }
    }
}
