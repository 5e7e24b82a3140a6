import Foundation
import Glibc

@testable import PodstackMigrate

/// An access that answers EACCES for chosen paths, as the kernel would for a user who is not root.
struct DenyingAccess: SourceFileAccess {
    let denied: Set<String>

    func open(_ hostPath: String, directory: Bool) -> Int32 {
        denied.contains(hostPath) ? -EACCES : SystemFileAccess().open(hostPath, directory: directory)
    }
}
