import Foundation
import Synchronization

/// The self-pipe trick: the C signal handler only writes the signal's number to a pipe (all it may
/// safely do), and a thread of its own reads the pipe and acts. That thread unblocks SIGINT and SIGTERM
/// for itself: a parent may start podstack with them blocked (Foundation's `Process` does), and a blocked
/// signal would stay pending forever. `UpResilienceTests.interrupted` caught exactly that.
/// The pipe's write end, for the C handler, which can capture nothing. An atomic load is lock-free, so
/// reading it is safe inside a signal handler. -1 until the one installation of the process.
private let signalPipeWriteEnd = Atomic<Int32>(-1)
/// Whether a handler was installed: a signal's disposition is the process's, so it is installed once.
private let signalPipeInstalled = Atomic<Bool>(false)

enum SignalPipe {
    /// Sends SIGINT and SIGTERM to `handler` from here on; a later call in the same process does nothing.
    static func install(_ handler: @escaping @Sendable (Int32) -> Void) {
        guard
            signalPipeInstalled.compareExchange(expected: false, desired: true, ordering: .sequentiallyConsistent)
                .exchanged
        else { return }
        var ends: [Int32] = [0, 0]
        guard pipe(&ends) == 0 else { return }
        signalPipeWriteEnd.store(ends[1], ordering: .sequentiallyConsistent)
        let readEnd = ends[0]
        let thread = Thread {
            var unblock = sigset_t()
            sigemptyset(&unblock)
            sigaddset(&unblock, SIGINT)
            sigaddset(&unblock, SIGTERM)
            pthread_sigmask(SIG_UNBLOCK, &unblock, nil)
            var byte: UInt8 = 0
            while read(readEnd, &byte, 1) == 1 { handler(Int32(byte)) }
        }
        thread.name = "podstack-signals"
        thread.start()
        for signalNumber in [SIGINT, SIGTERM] {
            signal(signalNumber) { number in
                var byte = UInt8(truncatingIfNeeded: number)
                _ = write(signalPipeWriteEnd.load(ordering: .relaxed), &byte, 1)
            }
        }
    }
}
