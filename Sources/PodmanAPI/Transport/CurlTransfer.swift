import CCurl
import Foundation

/// One request on one easy handle, start to end, on the calling (worker) thread.
enum CurlTransfer {
    /// Runs the request; nil when an answer arrived (its status is for the caller to judge), else why not.
    static func perform(
        _ request: Podman.HTTP.Request, socketPath: String, connectTimeout: Duration,
        handle: CurlEasyHandle?, context: TransferContext
    ) -> PodmanError? {
        guard let handle else { return .transport(.noCurlHandle, socketPath: socketPath) }
        if context.isCancelled { return .transport(.cancelled, socketPath: socketPath) }
        do {
            try handle.prepare(socketPath: socketPath, connectTimeout: connectTimeout, method: request.method)
            try configure(request, on: handle, context: context)
        } catch {
            // Some options may be set and others not: the next request starts from a reset handle.
            handle.forgetOptions()
            let failure = PodmanError.TransportFailure.optionRefused(
                option: error.optionName, code: Int(error.code.rawValue),
                message: String(cString: curl_easy_strerror(error.code)))
            return .transport(failure, socketPath: socketPath)
        }
        let code = withExtendedLifetime((context, request.bodyStream)) { curl_easy_perform(handle.raw) }
        // A streamed body leaves a read callback and its data behind: the next request starts from a reset.
        if request.bodyStream != nil { handle.forgetOptions() }
        if code == CURLE_OK {
            context.deliverHeadOnce()
            return nil
        }
        return .transport(
            failure(for: code, request: request, socketPath: socketPath, context: context), socketPath: socketPath)
    }

    /// Sets what this request needs beyond `prepare`: target, timeout, headers, method and body, and the
    /// callbacks' view of the transfer. Options equal to the last request's are not set again.
    private static func configure(
        _ request: Podman.HTTP.Request, on handle: CurlEasyHandle, context: TransferContext
    ) throws(CurlOptionRefused) {
        try handle.setTarget(of: request)
        if handle.timeout.set(to: request.timeout) {
            try handle.set(CURLOPT_TIMEOUT_MS, request.timeout.map(milliseconds) ?? 0)
        }
        let headerList = handle.headerList(for: request)
        if handle.headerList.set(to: headerList) {
            try handle.set(CURLOPT_HTTPHEADER, headerList)
        }
        try setMethod(of: request, on: handle)
        context.select(request.responseHeaders, on: handle.raw)
        try setUserdata(context, on: handle)
    }

    private static func setMethod(of request: Podman.HTTP.Request, on handle: CurlEasyHandle) throws(CurlOptionRefused)
    {
        switch request.method {
        case .get: break
        case .head: try handle.set(CURLOPT_NOBODY, 1)
        case .delete: try handle.set(CURLOPT_CUSTOMREQUEST, "DELETE")
        case .post:
            try handle.set(CURLOPT_POST, 1)
            if let stream = request.bodyStream { return try setStreamedBody(stream, on: handle) }
            let body = request.body ?? Data()
            try handle.set(CURLOPT_POSTFIELDSIZE_LARGE, offset: curl_off_t(body.count))
            // COPYPOSTFIELDS copies, so the bytes need not outlive this closure.
            let code = body.withUnsafeBytes { bytes in
                let pointer = bytes.baseAddress.map { UnsafeMutableRawPointer(mutating: $0) }
                return podstack_curl_setopt_pointer(handle.raw, CURLOPT_COPYPOSTFIELDS, pointer ?? emptyBody)
            }
            try CurlOptionRefused.check(code, CURLOPT_COPYPOSTFIELDS)
        }
    }

    /// Points the callbacks at this transfer's context. No header callback where no field is kept; without
    /// one, HEADERDATA must be nil too, or libcurl hands the head to the body callback.
    private static func setUserdata(_ context: TransferContext, on handle: CurlEasyHandle) throws(CurlOptionRefused) {
        // Unretained: `perform` keeps the context alive for as long as libcurl may call back with it.
        let userdata = Unmanaged.passUnretained(context).toOpaque()
        if handle.userdata.set(to: userdata) {
            try handle.set(CURLOPT_WRITEDATA, pointer: userdata)
            try handle.set(CURLOPT_XFERINFODATA, pointer: userdata)
        }
        let headerUserdata = context.selection.headerCallbackOff ? nil : userdata
        if handle.headerUserdata.set(to: headerUserdata) {
            let callback: podstack_curl_data_callback? = headerUserdata == nil ? nil : curlHeaderCallback
            try handle.set(CURLOPT_HEADERFUNCTION, callback)
            try handle.set(CURLOPT_HEADERDATA, pointer: headerUserdata)
        }
    }

    private static func failure(
        for code: CURLcode, request: Podman.HTTP.Request, socketPath: String, context: TransferContext
    ) -> PodmanError.TransportFailure {
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

// Safe unsynchronized: one byte allocated once and never written; libcurl only copies from it (an empty body).
private nonisolated(unsafe) let emptyBody = UnsafeMutableRawPointer.allocate(byteCount: 1, alignment: 1)

/// Tells a missing socket from a refused or forbidden one, so the error can say what to do.
enum SocketDiagnosis {
    static func failure(forUnconnectable path: String) -> PodmanError.TransportFailure {
        var info = stat()
        if stat(path, &info) != 0 {
            return errno == EACCES ? .permissionDenied : .socketMissing
        }
        if access(path, R_OK | W_OK) != 0 { return .permissionDenied }
        return .connectionRefused
    }
}
