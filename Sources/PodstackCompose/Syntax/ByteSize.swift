/// Compose's byte values (`shm_size: 64m`, `mem_limit: 1gb`): a whole number of bytes, or a number with a
/// unit b, k, m or g (kb, mb, gb too), in any case.
enum ByteSize {
    static func bytes(_ text: String) -> Int64? {
        let lowered = text.lowercased()
        let digits = lowered.prefix { $0.isASCIIDigit || $0 == "." }
        guard !digits.isEmpty, let amount = Double(digits), amount.isFinite else { return nil }
        let multipliers: [String: Double] = [
            "": 1, "b": 1, "k": 1024, "kb": 1024, "m": 1_048_576, "mb": 1_048_576, "g": 1_073_741_824,
            "gb": 1_073_741_824,
        ]
        guard let multiplier = multipliers[String(lowered.dropFirst(digits.count))] else { return nil }
        let bytes = (amount * multiplier).rounded()
        guard bytes >= 0, bytes < 9e18 else { return nil }
        return Int64(bytes)
    }
}
