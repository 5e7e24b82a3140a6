import CCurl
import Foundation
import Synchronization

extension Podman.HTTP {
    /// A request body produced while it is sent (a build context's tar stream): libcurl asks for the next
    /// bytes as the socket takes them (its read callback, on the transfer's thread), so no more than one
    /// buffer of the body is ever in memory. Sent chunked, as its length is not known in advance.
    ///
    /// `produce` fills the buffer from its start and returns how many bytes it wrote, 0 at the end. What it
    /// throws stops the transfer and is kept in `failure`, for the caller to report instead of the
    /// transport's "aborted" (guarded by `BuildIntegrationTests.producerFailureIsReported`).
    public final class BodyStream: @unchecked Sendable {
        // Safe unchecked: `produce` is called only by the one thread that runs the transfer, one call at a
        // time; `failure` is behind a mutex, as the caller reads it from another thread once the transfer ends.
        private let produce: (UnsafeMutableRawBufferPointer) throws -> Int
        private let failed = Mutex<(any Error)?>(nil)

        public init(_ produce: @escaping (UnsafeMutableRawBufferPointer) throws -> Int) {
            self.produce = produce
        }

        /// What `produce` threw, if it did.
        public var failure: (any Error)? { failed.withLock { $0 } }

        /// libcurl's answer for the read callback: a byte count, or its abort code.
        func read(into buffer: UnsafeMutableRawBufferPointer) -> Int {
            do {
                return try produce(buffer)
            } catch {
                failed.withLock { $0 = error }
                return Self.abort
            }
        }

        /// `CURL_READFUNC_ABORT`, a macro Swift does not import.
        static let abort = 0x1000_0000
    }
}

/// The next bytes of a streamed request body (`Podman.HTTP.BodyStream`), into libcurl's upload buffer.
let curlReadCallback: podstack_curl_data_callback = { pointer, size, count, userdata in
    guard let userdata, let pointer else { return Podman.HTTP.BodyStream.abort }
    // Safe borrow: `CurlTransfer.perform` keeps the request, and with it the stream, alive until
    // curl_easy_perform returns.
    return Unmanaged<Podman.HTTP.BodyStream>.fromOpaque(userdata)._withUnsafeGuaranteedRef {
        $0.read(into: UnsafeMutableRawBufferPointer(start: pointer, count: size * count))
    }
}

extension CurlTransfer {
    /// A POST whose body comes from `stream` through the read callback, chunked. The handle's copied POST
    /// fields from an earlier request are cleared, or libcurl would send those instead.
    static func setStreamedBody(_ stream: Podman.HTTP.BodyStream, on handle: CurlEasyHandle) throws(CurlOptionRefused) {
        try handle.set(CURLOPT_POSTFIELDS, pointer: nil)
        try handle.set(CURLOPT_POSTFIELDSIZE_LARGE, offset: -1)
        try handle.set(CURLOPT_READFUNCTION, curlReadCallback)
        try handle.set(CURLOPT_READDATA, pointer: Unmanaged.passUnretained(stream).toOpaque())
    }
}
