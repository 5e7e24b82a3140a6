import CCurl
import Foundation
import Synchronization

/// The state of a transfer, shared between libcurl's callbacks (on a worker thread) and the task that waits
/// for it (which may cancel it from another thread). A worker's in-place state (`inPlaceContext`) serves its
/// in-place transfers one after another; its cancellation is the sending task's own.
final class TransferContext: @unchecked Sendable {
    // Fields below `cancelled` are touched only by the thread that runs the transfer, which also builds the
    // response from them when it ends (the waiter gets that value, not these fields). That one-thread rule
    // is why their dynamic exclusivity checks are off: they were a third of the header callback's cost.
    private let cancelled = Atomic<Bool>(false)
    @exclusivity(unchecked) var status = 0
    @exclusivity(unchecked) var body = Data()
    @exclusivity(unchecked) private var headDelivered = false
    /// The handle the transfer runs on, for the head of a stream at its first body bytes.
    @exclusivity(unchecked) var curl: UnsafeMutableRawPointer?
    /// The head's field lines as they arrive, in a buffer kept from transfer to transfer: appending them to
    /// an array one by one was the larger part of the header callback's cost.
    @exclusivity(unchecked) private var head = UnsafeMutableRawPointer.allocate(byteCount: 1024, alignment: 1)
    @exclusivity(unchecked) private var headCapacity = 1024
    @exclusivity(unchecked) private var headCount = 0
    /// Set when the request keeps no header fields (`HTTPRequest.ResponseHeaders.none`): libcurl then calls
    /// no header callback, and the status is read from it once the head is complete (`readStatus`).
    @exclusivity(unchecked) var headerCallbackOff = false
    /// With `.only`: the one field to keep, lower-cased.
    @exclusivity(unchecked) var onlyField: [UInt8]?
    /// Set for streamed responses: parts go out as they arrive instead of collecting in `body`.
    let deliver: (@Sendable (HTTPStreamPart) -> Void)?
    /// For the in-place transfer state (`CurlEasyHandle.inPlaceContext`): its callbacks run inside the task
    /// that sent the request, and read that task's cancellation.
    let runsInSendingTask: Bool

    init(runsInSendingTask: Bool = false, deliver: (@Sendable (HTTPStreamPart) -> Void)? = nil) {
        self.runsInSendingTask = runsInSendingTask
        self.deliver = deliver
    }

    deinit { head.deallocate() }

    var isCancelled: Bool { cancelled.load(ordering: .relaxed) || (runsInSendingTask && Task.isCancelled) }
    func cancel() { cancelled.store(true, ordering: .relaxed) }

    /// The head's fields received so far.
    var headers: HTTPHeaders { HTTPHeaders(received: UnsafeRawBufferPointer(start: head, count: headCount)) }

    /// The whole response, once the transfer has ended.
    var response: HTTPResponse { HTTPResponse(status: status, headers: headers, body: body) }

    /// Ready for the next in-place transfer; what the last one received belongs to its response now.
    func reuse() {
        cancelled.store(false, ordering: .relaxed)
        status = 0
        headCount = 0
    }

    /// One header line as libcurl hands it over (the status line included, CRLF at the end). Parsed on
    /// the bytes: Foundation's string trimming here was 80% of a ping's instructions, and a dictionary of
    /// the fields another fifth (callgrind, see docs/performance-notes.md).
    func receiveHeaderLine(_ line: UnsafeRawBufferPointer) {
        guard let bytes = line.baseAddress?.assumingMemoryBound(to: UInt8.self) else { return }
        let end = line.count
        // The blank line that ends the head ("\r\n") holds no field.
        guard end > 2 || (end > 0 && bytes[0] != 0x0D && bytes[0] != 0x0A) else { return }
        if end > 5, bytes[0] == 0x48, bytes[1] == 0x54, bytes[2] == 0x54, bytes[3] == 0x50, bytes[4] == 0x2F {
            // "HTTP/1.1 200 OK". A new status line (after a 100 Continue) starts a new set of headers.
            var index = 5
            while index < end, bytes[index] != 0x20 { index += 1 }
            while index < end, bytes[index] == 0x20 { index += 1 }
            var code = 0
            while index < end, bytes[index] >= 0x30, bytes[index] <= 0x39 {
                code = code * 10 + Int(bytes[index] - 0x30)
                index += 1
            }
            status = code
            headCount = 0
            return
        }
        if let onlyField, !onlyField.withUnsafeBufferPointer({ Self.line(bytes, count: end, isNamed: $0) }) {
            return
        }
        // Kept as it came, line end included: a lookup trims what it reads.
        appendToHead(bytes, end)
        if bytes[end - 1] != 0x0A { appendToHead("\n", 1) }
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
        guard headerCallbackOff, status == 0, let curl else { return }
        var code = 0
        _ = podstack_curl_getinfo_long(curl, CURLINFO_RESPONSE_CODE, &code)
        status = code
    }

    private func appendToHead(_ bytes: UnsafeRawPointer, _ count: Int) {
        if headCount + count > headCapacity {
            headCapacity = max(headCapacity * 2, headCount + count)
            let grown = UnsafeMutableRawPointer.allocate(byteCount: headCapacity, alignment: 1)
            grown.copyMemory(from: head, byteCount: headCount)
            head.deallocate()
            head = grown
        }
        (head + headCount).copyMemory(from: bytes, byteCount: count)
        headCount += count
    }

    func receiveBody(_ bytes: UnsafeRawBufferPointer) {
        guard let deliver else {
            body.append(contentsOf: bytes)
            return
        }
        deliverHeadOnce()
        deliver(.data(Data(bytes)))
    }

    /// Completes the head (`readStatus`), and hands it to a stream's reader the first time.
    func deliverHeadOnce() {
        readStatus()
        guard let deliver, !headDelivered else { return }
        headDelivered = true
        deliver(.head(status: status, headers: headers))
    }
}

/// One request on one easy handle, start to end, on the calling (worker) thread.
enum CurlTransfer {
    static func perform(
        _ request: HTTPRequest, socketPath: String, connectTimeout: Duration,
        handle: CurlEasyHandle, context: TransferContext
    ) -> PodmanError? {
        if context.isCancelled { return .transport(.cancelled, socketPath: socketPath) }
        let curl = handle.raw
        handle.prepare(socketPath: socketPath, connectTimeout: connectTimeout, method: request.method)
        handle.setTarget(of: request)
        if handle.timeout.set(to: request.timeout) {
            _ = podstack_curl_setopt_long(curl, CURLOPT_TIMEOUT_MS, request.timeout.map(milliseconds) ?? 0)
        }
        let headerList = handle.headerList(for: request)
        if handle.headerList.set(to: headerList) {
            _ = podstack_curl_setopt_slist(curl, CURLOPT_HTTPHEADER, headerList)
        }

        switch request.method {
        case .get: break
        case .head: _ = podstack_curl_setopt_long(curl, CURLOPT_NOBODY, 1)
        case .delete: _ = podstack_curl_setopt_string(curl, CURLOPT_CUSTOMREQUEST, "DELETE")
        case .post:
            _ = podstack_curl_setopt_long(curl, CURLOPT_POST, 1)
            let body = request.body ?? Data()
            _ = podstack_curl_setopt_offset(curl, CURLOPT_POSTFIELDSIZE_LARGE, curl_off_t(body.count))
            body.withUnsafeBytes { bytes in
                // COPYPOSTFIELDS copies, so the bytes need not outlive this closure.
                let pointer = bytes.baseAddress.map { UnsafeMutableRawPointer(mutating: $0) }
                _ = podstack_curl_setopt_pointer(curl, CURLOPT_COPYPOSTFIELDS, pointer ?? emptyBody)
            }
        }

        context.headerCallbackOff = request.responseHeaders == .none
        if case .only(let name) = request.responseHeaders {
            context.onlyField = name.lowercased
        } else {
            context.onlyField = nil
        }
        context.curl = curl
        let userdata = Unmanaged.passUnretained(context).toOpaque()
        if handle.userdata.set(to: userdata) {
            _ = podstack_curl_setopt_pointer(curl, CURLOPT_WRITEDATA, userdata)
            _ = podstack_curl_setopt_pointer(curl, CURLOPT_XFERINFODATA, userdata)
        }
        // No header callback where no field is kept. Without one, HEADERDATA must be nil too: libcurl would
        // otherwise hand the head to the body callback.
        let headerUserdata = context.headerCallbackOff ? nil : userdata
        if handle.headerUserdata.set(to: headerUserdata) {
            _ = podstack_curl_setopt_data_callback(
                curl, CURLOPT_HEADERFUNCTION, headerUserdata == nil ? nil : headerCallback)
            _ = podstack_curl_setopt_pointer(curl, CURLOPT_HEADERDATA, headerUserdata)
        }

        let code = withExtendedLifetime(context) { curl_easy_perform(curl) }
        if code == CURLE_OK {
            context.deliverHeadOnce()
            return nil
        }
        return .transport(
            failure(for: code, request: request, socketPath: socketPath, context: context), socketPath: socketPath)
    }

    private static func failure(
        for code: CURLcode, request: HTTPRequest, socketPath: String, context: TransferContext
    ) -> TransportFailure {
        if context.isCancelled { return .cancelled }
        let message = String(cString: curl_easy_strerror(code))
        switch code {
        case CURLE_COULDNT_CONNECT:
            return SocketDiagnosis.failure(forUnconnectable: socketPath)
        case CURLE_OPERATION_TIMEDOUT:
            return .timedOut(milliseconds: request.timeout.map(milliseconds) ?? 0)
        case CURLE_GOT_NOTHING, CURLE_RECV_ERROR, CURLE_SEND_ERROR, CURLE_PARTIAL_FILE,
            CURLE_WEIRD_SERVER_REPLY, CURLE_UNSUPPORTED_PROTOCOL:
            return .connectionLost(message)
        default:
            return .other(code: Int(code.rawValue), message: message)
        }
    }

    /// Whole milliseconds, rounded up: libcurl reads 0 as "no timeout", so a bound under a millisecond
    /// must not become none.
    static func milliseconds(_ duration: Duration) -> Int {
        let (seconds, attoseconds) = duration.components
        let whole = Int(seconds) * 1000 + Int(attoseconds / 1_000_000_000_000_000)
        let rest = attoseconds % 1_000_000_000_000_000
        return rest > 0 ? whole + 1 : whole
    }
}

private nonisolated(unsafe) let emptyBody = UnsafeMutableRawPointer.allocate(byteCount: 1, alignment: 1)

// The callbacks borrow the context (`_withUnsafeGuaranteedRef`): the transfer keeps it alive, and a retain
// and release for each header line added up.
private let writeCallback: podstack_curl_data_callback = { pointer, size, count, userdata in
    guard let userdata else { return 0 }
    let length = size * count
    return Unmanaged<TransferContext>.fromOpaque(userdata)._withUnsafeGuaranteedRef { context in
        if context.isCancelled { return 0 }
        if let pointer, length > 0 { context.receiveBody(UnsafeRawBufferPointer(start: pointer, count: length)) }
        return length
    }
}

private let headerCallback: podstack_curl_data_callback = { pointer, size, count, userdata in
    guard let userdata else { return 0 }
    let length = size * count
    if let pointer, length > 0 {
        Unmanaged<TransferContext>.fromOpaque(userdata)._withUnsafeGuaranteedRef {
            $0.receiveHeaderLine(UnsafeRawBufferPointer(start: pointer, count: length))
        }
    }
    return length
}

private let progressCallback: podstack_curl_progress_callback = { userdata, _, _, _, _ in
    guard let userdata else { return 0 }
    return Unmanaged<TransferContext>.fromOpaque(userdata)._withUnsafeGuaranteedRef { $0.isCancelled } ? 1 : 0
}

extension CurlEasyHandle {
    /// Sets what stays the same from request to request once per handle, and resets the handle only when
    /// the last request left a method option behind, or the socket or connect timeout changed. Resetting and
    /// setting every option for every request was an eighth of a ping's instructions (callgrind,
    /// docs/performance-notes.md). A reset keeps the handle's open connection, which is what makes
    /// keep-alive work across requests.
    func prepare(socketPath: String, connectTimeout: Duration, method: HTTPRequest.Method) {
        // HEAD (NOBODY) and DELETE (CUSTOMREQUEST) leave options behind that only a reset clears for sure.
        let methodLeftOptions = lastMethod == .head || lastMethod == .delete
        if configuredSocket != socketPath || configuredConnectTimeout != connectTimeout || methodLeftOptions {
            curl_easy_reset(raw)
            forgetOptions()
            let timeout = CurlTransfer.milliseconds(connectTimeout)
            _ = podstack_curl_setopt_string(raw, CURLOPT_UNIX_SOCKET_PATH, socketPath)
            // Worker threads must not get SIGALRM from libcurl's resolver timeouts.
            _ = podstack_curl_setopt_long(raw, CURLOPT_NOSIGNAL, 1)
            _ = podstack_curl_setopt_long(raw, CURLOPT_CONNECTTIMEOUT_MS, timeout)
            _ = podstack_curl_setopt_data_callback(raw, CURLOPT_WRITEFUNCTION, writeCallback)
            // The progress callback is how a cancelled task stops a blocked transfer; libcurl calls it about
            // once a second while idle, so cancelling a silent stream takes up to a second.
            _ = podstack_curl_setopt_long(raw, CURLOPT_NOPROGRESS, 0)
            _ = podstack_curl_setopt_progress_callback(raw, CURLOPT_XFERINFOFUNCTION, progressCallback)
            configuredSocket = socketPath
            configuredConnectTimeout = connectTimeout
        } else if lastMethod == .post && method != .post {
            // Out of POST mode (libcurl then ignores the POST fields it copied); HEAD and DELETE set their
            // own option on top of this.
            _ = podstack_curl_setopt_long(raw, CURLOPT_HTTPGET, 1)
        }
        lastMethod = method
    }

    /// What this handle's options were set to is unknown after `curl_easy_reset`: each is set again.
    private func forgetOptions() {
        configuredSocket = nil
        configuredTarget = nil
        timeout.forget()
        headerList.forget()
        userdata.forget()
        headerUserdata.forget()
        lastMethod = nil
    }

    /// The request's URL, set only when it differs from the last one's (a poll asks the same path again
    /// and again). The host is a placeholder: the socket decides where the request goes. libcurl copies it.
    func setTarget(of request: HTTPRequest) {
        if request.query.isEmpty, configuredTarget == request.path { return }
        var url = Array("http://d".utf8)
        request.appendTarget(to: &url)
        url.append(0)
        url.withUnsafeBufferPointer { buffer in
            buffer.withMemoryRebound(to: CChar.self) {
                _ = podstack_curl_setopt_string(raw, CURLOPT_URL, $0.baseAddress)
            }
        }
        // Only a path without a query is remembered: comparing queries would cost what building them does.
        configuredTarget = request.query.isEmpty ? request.path : nil
    }

    /// One request run in place, on the thread that owns this handle, with the handle's own transfer state.
    func performInPlace(_ request: HTTPRequest, socketPath: String, connectTimeout: Duration) throws -> HTTPResponse {
        let context = inPlaceContext
        context.reuse()
        // The body belongs to the response: the worker does not keep it until its next request.
        defer { context.body = Data() }
        if let failure = CurlTransfer.perform(
            request, socketPath: socketPath, connectTimeout: connectTimeout, handle: self, context: context)
        {
            throw failure
        }
        return context.response
    }

    /// The request's header list, kept on the handle for the common header sets (none but Content-Type).
    /// Without an explicit Content-Type libcurl sends x-www-form-urlencoded, and Go's ParseForm then eats
    /// the body (libpod-api.md §8). `Expect:` stops libcurl from waiting on 100-continue.
    func headerList(for request: HTTPRequest) -> UnsafeMutablePointer<curl_slist>? {
        func build() -> UnsafeMutablePointer<curl_slist>? {
            var list = curl_slist_append(nil, "Expect:")
            if let contentType = request.contentType { list = curl_slist_append(list, "Content-Type: \(contentType)") }
            for (name, value) in request.headers { list = curl_slist_append(list, "\(name): \(value)") }
            return list
        }
        guard request.headers.isEmpty else {
            // Requests with headers of their own (registry credentials) are rare; their list lives until the
            // next one of their kind.
            oneOffHeaderList.map { curl_slist_free_all($0) }
            oneOffHeaderList = build()
            return oneOffHeaderList
        }
        // Most requests send no Content-Type: their list is at hand without hashing a key. A request with no
        // body to send needs no list at all ("Expect:" is about bodies), which spares libcurl matching its own
        // headers against one.
        guard let key = request.contentType else {
            guard request.method == .post else { return nil }
            if plainHeaderList == nil { plainHeaderList = build() }
            return plainHeaderList
        }
        if let cached = headerLists[key] { return cached }
        let list = build()
        headerLists[key] = list
        return list
    }
}

/// Tells a missing socket from a refused or forbidden one, so the error can say what to do.
enum SocketDiagnosis {
    static func failure(forUnconnectable path: String) -> TransportFailure {
        var info = stat()
        if stat(path, &info) != 0 {
            return errno == EACCES ? .permissionDenied : .socketMissing
        }
        if access(path, R_OK | W_OK) != 0 { return .permissionDenied }
        return .connectionRefused
    }
}
