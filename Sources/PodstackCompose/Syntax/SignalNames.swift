/// Signal names as compose writes them (`SIGTERM`, `TERM`, `15`) to numbers, as Podman's spec wants them.
package enum SignalNames {
    package static let numbers: [String: Int] = [
        "HUP": 1, "INT": 2, "QUIT": 3, "KILL": 9, "USR1": 10, "USR2": 12, "TERM": 15, "STOP": 19, "WINCH": 28,
        "PWR": 30,
    ]

    package static func number(_ name: String) -> Int? {
        if let number = Int(name) { return number }
        let bare = name.uppercased().hasPrefix("SIG") ? String(name.uppercased().dropFirst(3)) : name.uppercased()
        return numbers[bare]
    }
}
