import CCurl
import Foundation
import Synchronization

/// The state of a transfer, shared between libcurl's callbacks (on a worker thread) and the task that waits
/// for it (which may cancel it from another thread). A worker's in-place state (`inPlaceContext`) serves its
/// in-place transfers one after another; its cancellation is the sending task's own.
final class TransferContext: @unchecked Sendable {
    /// What the callbacks read and write while the transfer runs. Only the thread that runs the transfer
    /// touches it, and it builds the response from it when the transfer ends (the waiter gets that value).
    struct Received {
        var status = 0
        var body = Data()
        var headDelivered = false
        /// The head's field lines as they arrive, in a buffer kept from transfer to transfer.
        var head = UnsafeMutableRawPointer.allocate(byteCount: 1024, alignment: 1)
        var headCapacity = 1024
        var headCount = 0
    }

    /// How this transfer reads the head, set before it starts, by the thread that runs it.
    struct HeadSelection {
        /// Set when the request keeps no header fields (`ResponseHeaders.none`): libcurl then calls no header
        /// callback, and the status is read from it once the head is complete (`readStatus`).
        var headerCallbackOff = false
        /// With `.only`: the one field to keep, lower-cased.
        var onlyField: [UInt8]?
        /// The handle the transfer runs on, for the status at the first body bytes.
        var curl: UnsafeMutableRawPointer?
    }

    // Safe unchecked: one thread runs the transfer and is the only one to touch these (see `Received`).
    @exclusivity(unchecked) var received = Received()
    // Safe unchecked: set and read only by the thread that runs the transfer.
    @exclusivity(unchecked) var selection = HeadSelection()
    private let cancelled = Atomic<Bool>(false)
    /// Set for streamed responses: parts go out as they arrive instead of collecting in `body`.
    let deliver: (@Sendable (Podman.HTTP.StreamPart) -> Void)?
    /// For the in-place transfer state (`CurlEasyHandle.inPlaceContext`): its callbacks run inside the task
    /// that sent the request, and read that task's cancellation.
    let runsInSendingTask: Bool

    init(runsInSendingTask: Bool = false, deliver: (@Sendable (Podman.HTTP.StreamPart) -> Void)? = nil) {
        self.runsInSendingTask = runsInSendingTask
        self.deliver = deliver
    }

    deinit { received.head.deallocate() }

    var isCancelled: Bool { cancelled.load(ordering: .relaxed) || (runsInSendingTask && Task.isCancelled) }
    func cancel() { cancelled.store(true, ordering: .relaxed) }

    var status: Int { received.status }

    /// The head's fields received so far.
    var headers: Podman.HTTP.Headers {
        Podman.HTTP.Headers(received: UnsafeRawBufferPointer(start: received.head, count: received.headCount))
    }

    /// The whole response, once the transfer has ended.
    var response: Podman.HTTP.Response {
        Podman.HTTP.Response(status: received.status, headers: headers, body: received.body)
    }

    /// Ready for the next in-place transfer; what the last one received belongs to its response now.
    func reuse() {
        cancelled.store(false, ordering: .relaxed)
        received.status = 0
        received.headCount = 0
    }

    /// Sets which of the response's header fields to keep, for the transfer about to run on `curl`.
    func select(_ headers: Podman.HTTP.Request.ResponseHeaders, on curl: UnsafeMutableRawPointer) {
        selection.headerCallbackOff = headers == .none
        if case .only(let name) = headers {
            selection.onlyField = name.lowercased
        } else {
            selection.onlyField = nil
        }
        selection.curl = curl
    }

    /// One header line as libcurl hands it over (the status line included, CRLF at the end). Parsed on the
    /// bytes, with no String or dictionary work: it runs for every line kept (docs/performance-notes.md).
    func receiveHeaderLine(_ line: UnsafeRawBufferPointer) {
        guard let bytes = line.baseAddress?.assumingMemoryBound(to: UInt8.self) else { return }
        let end = line.count
        // The blank line that ends the head ("\r\n") holds no field.
        guard end > 2 || (end > 0 && bytes[0] != 0x0D && bytes[0] != 0x0A) else { return }
        if end > 5, bytes[0] == 0x48, bytes[1] == 0x54, bytes[2] == 0x54, bytes[3] == 0x50, bytes[4] == 0x2F {
            // "HTTP/1.1 200 OK". A new status line (after a 100 Continue) starts a new set of headers.
            received.status = Self.statusCode(in: bytes, count: end)
            received.headCount = 0
            return
        }
        if let onlyField = selection.onlyField,
            !onlyField.withUnsafeBufferPointer({ Self.line(bytes, count: end, isNamed: $0) })
        {
            return
        }
        // Kept as it came, line end included: a lookup trims what it reads.
        appendToHead(bytes, end)
        if bytes[end - 1] != 0x0A { appendToHead("\n", 1) }
    }

    /// The code in a status line: the digits after "HTTP/x.y ".
    private static func statusCode(in bytes: UnsafePointer<UInt8>, count end: Int) -> Int {
        var index = 5
        while index < end, bytes[index] != 0x20 { index += 1 }
        while index < end, bytes[index] == 0x20 { index += 1 }
        var code = 0
        while index < end, bytes[index] >= 0x30, bytes[index] <= 0x39 {
            code = code * 10 + Int(bytes[index] - 0x30)
            index += 1
        }
        return code
    }

    /// Whether a field line is the field `name` (lower-cased); only ASCII letters are folded.
    private static func line(
        _ bytes: UnsafePointer<UInt8>, count: Int, isNamed name: UnsafeBufferPointer<UInt8>
    ) -> Bool {
        let length = name.count
        guard count > length, bytes[length] == 0x3A else { return false }
        for index in 0..<length {
            let byte = bytes[index]
            if (byte >= 0x41 && byte <= 0x5A ? byte | 0x20 : byte) != name[index] { return false }
        }
        return true
    }

    /// Without the header callback: the status, from libcurl, once the head is complete (at the first body
    /// bytes, or at the end).
    private func readStatus() {
        guard selection.headerCallbackOff, received.status == 0, let curl = selection.curl else { return }
        var code = 0
        // A failed read leaves 0, which no caller accepts as a status.
        _ = podstack_curl_getinfo_long(curl, CURLINFO_RESPONSE_CODE, &code)
        received.status = code
    }

    private func appendToHead(_ bytes: UnsafeRawPointer, _ count: Int) {
        if received.headCount + count > received.headCapacity {
            received.headCapacity = max(received.headCapacity * 2, received.headCount + count)
            let grown = UnsafeMutableRawPointer.allocate(byteCount: received.headCapacity, alignment: 1)
            grown.copyMemory(from: received.head, byteCount: received.headCount)
            received.head.deallocate()
            received.head = grown
        }
        (received.head + received.headCount).copyMemory(from: bytes, byteCount: count)
        received.headCount += count
    }

    func receiveBody(_ bytes: UnsafeRawBufferPointer) {
        guard let deliver else {
            received.body.append(contentsOf: bytes)
            return
        }
        deliverHeadOnce()
        deliver(.data(Data(bytes)))
    }

    /// Completes the head (`readStatus`), and hands it to a stream's reader the first time.
    func deliverHeadOnce() {
        readStatus()
        guard let deliver, !received.headDelivered else { return }
        received.headDelivered = true
        deliver(.head(status: received.status, headers: headers))
    }
}
