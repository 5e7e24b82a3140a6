import Foundation

/// A file the archive carries beside the context directory's own: a `dockerfile_inline` text, or a build
/// secret's value, which Podman's build endpoint takes from the context (and moves out of it before the
/// build runs, so no step can copy it into the image). Sent first, under `name` at the context's root; a
/// context file of the same name is left out, as the added one stands for it. Small by nature: held whole.
public struct AddedMember: Sendable, Equatable {
    public var name: String
    public var contents: [UInt8]
    /// Permission bits in the archive: a secret is 0600.
    public var mode: Int

    public init(name: String, contents: [UInt8], mode: Int = 0o644) {
        self.name = name
        self.contents = contents
        self.mode = mode
    }
}

extension ContextArchive {
    /// Queues the next added member whole; false once all have been sent.
    func startNextAddedMember() -> Bool {
        guard nextAdded < added.count else { return false }
        let member = added[nextAdded]
        nextAdded += 1
        // mtime 0: what the build sees of an added file is its content, so a rebuild finds its cache.
        let header = TarHeader(
            path: member.name, kind: .regular, mode: member.mode, size: member.contents.count, modificationTime: 0)
        queue(
            header.encoded() + member.contents
                + [UInt8](repeating: 0, count: TarHeader.padding(after: member.contents.count)))
        return true
    }
}
