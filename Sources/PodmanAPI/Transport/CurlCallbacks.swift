import CCurl

// libcurl's callbacks for every transfer, set once per handle (`CurlEasyHandle.prepare`). Their userdata is
// the transfer's `TransferContext`, passed unretained. They borrow it (`_withUnsafeGuaranteedRef`) rather than
// retain it for every header line.

/// Body bytes: collected, or handed to a stream's reader. Returning less than was given stops the transfer.
let curlWriteCallback: podstack_curl_data_callback = { pointer, size, count, userdata in
    guard let userdata else { return 0 }
    let length = size * count
    // Safe borrow: `CurlTransfer.perform` keeps the context alive until curl_easy_perform returns.
    return Unmanaged<TransferContext>.fromOpaque(userdata)._withUnsafeGuaranteedRef { context in
        if context.isCancelled { return 0 }
        if let pointer, length > 0 { context.receiveBody(UnsafeRawBufferPointer(start: pointer, count: length)) }
        return length
    }
}

/// One line of the head, status line included.
let curlHeaderCallback: podstack_curl_data_callback = { pointer, size, count, userdata in
    guard let userdata else { return 0 }
    let length = size * count
    if let pointer, length > 0 {
        // Safe borrow: `CurlTransfer.perform` keeps the context alive until curl_easy_perform returns.
        Unmanaged<TransferContext>.fromOpaque(userdata)._withUnsafeGuaranteedRef {
            $0.receiveHeaderLine(UnsafeRawBufferPointer(start: pointer, count: length))
        }
    }
    return length
}

/// Called about once a second even while nothing arrives: a non-zero answer aborts a cancelled transfer.
let curlProgressCallback: podstack_curl_progress_callback = { userdata, _, _, _, _ in
    guard let userdata else { return 0 }
    // Safe borrow: `CurlTransfer.perform` keeps the context alive until curl_easy_perform returns.
    return Unmanaged<TransferContext>.fromOpaque(userdata)._withUnsafeGuaranteedRef { $0.isCancelled } ? 1 : 0
}
