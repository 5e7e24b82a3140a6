import Foundation

/// What podstack reads of the process it runs in: its environment and whom it runs as. Read once, at the
/// command's start (`current`), and passed down, so that code below takes them as parameters and a test
/// can give its own.
public struct HostContext: Sendable {
    public var environment: [String: String]
    public var effectiveUID: UInt32

    public init(environment: [String: String], effectiveUID: UInt32) {
        self.environment = environment
        self.effectiveUID = effectiveUID
    }

    public static var current: HostContext {
        HostContext(environment: ProcessInfo.processInfo.environment, effectiveUID: geteuid())
    }

    public var isRoot: Bool { effectiveUID == 0 }
}
