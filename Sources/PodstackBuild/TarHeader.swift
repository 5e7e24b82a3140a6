/// One archive member's header in POSIX ustar form, preceded by a pax extended header when a field does
/// not fit ustar (a path or link target over 100 bytes, a size of 8 GiB or more). Owners are always 0:0,
/// as `docker build` sends its context: what the image's files belong to is the Dockerfile's business.
struct TarHeader {
    enum Kind: UInt8 {
        case regular = 0x30  // '0'
        case symlink = 0x32  // '2'
        case directory = 0x35  // '5'
        case paxExtended = 0x78  // 'x'
    }

    var path: String
    var kind: Kind
    var mode: Int
    var size: Int
    var modificationTime: Int
    var linkTarget: String = ""

    static let blockSize = 512
    /// The largest size ustar's 11 octal digits hold.
    static let largestUstarSize = 0o77777777777

    /// The header block(s) for this member, pax header first when one is needed.
    func encoded() -> [UInt8] {
        var records: [(String, String)] = []
        let name = kind == .directory && !path.hasSuffix("/") ? path + "/" : path
        if name.utf8.count > 100 { records.append(("path", name)) }
        if linkTarget.utf8.count > 100 { records.append(("linkpath", linkTarget)) }
        if size > Self.largestUstarSize { records.append(("size", String(size))) }
        var bytes: [UInt8] = []
        if !records.isEmpty {
            let body = Self.paxRecords(records)
            let paxName = "PaxHeaders/" + String(decoding: name.utf8.suffix(80), as: UTF8.self)
            bytes += Self.block(
                name: paxName, kind: .paxExtended, mode: 0o644, size: body.count, modificationTime: modificationTime,
                linkTarget: "")
            bytes += body
            bytes += [UInt8](repeating: 0, count: Self.padding(after: body.count))
        }
        bytes += Self.block(
            name: name, kind: kind, mode: mode, size: min(size, Self.largestUstarSize),
            modificationTime: modificationTime, linkTarget: linkTarget)
        return bytes
    }

    /// Zero bytes that bring `count` up to a whole block.
    static func padding(after count: Int) -> Int {
        let rest = count % blockSize
        return rest == 0 ? 0 : blockSize - rest
    }

    /// pax records, `"<length> <key>=<value>\n"`, where the length counts the whole record, itself included.
    static func paxRecords(_ records: [(String, String)]) -> [UInt8] {
        var bytes: [UInt8] = []
        for (key, value) in records {
            let rest = " \(key)=\(value)\n".utf8.count
            var length = rest + String(rest).count
            if String(length).count != String(rest).count { length = rest + String(length).count }
            bytes += Array("\(length) \(key)=\(value)\n".utf8)
        }
        return bytes
    }

    /// One ustar block. Fields too long are cut; the pax header before it carries the whole value.
    private static func block(
        name: String, kind: Kind, mode: Int, size: Int, modificationTime: Int, linkTarget: String
    ) -> [UInt8] {
        var block = [UInt8](repeating: 0, count: blockSize)
        func put(_ text: some Collection<UInt8>, at offset: Int, width: Int) {
            for (index, byte) in text.prefix(width).enumerated() { block[offset + index] = byte }
        }
        func putOctal(_ value: Int, at offset: Int, width: Int) {
            let digits = String(max(value, 0), radix: 8)
            let padded = String(repeating: "0", count: max(width - 1 - digits.count, 0)) + digits
            put(Array(padded.utf8), at: offset, width: width - 1)
        }
        put(Array(name.utf8), at: 0, width: 100)
        putOctal(mode, at: 100, width: 8)
        putOctal(0, at: 108, width: 8)  // uid
        putOctal(0, at: 116, width: 8)  // gid
        putOctal(size, at: 124, width: 12)
        putOctal(modificationTime, at: 136, width: 12)
        block[156] = kind.rawValue
        put(Array(linkTarget.utf8), at: 157, width: 100)
        put(Array("ustar\u{0}00".utf8), at: 257, width: 8)
        // The checksum is taken with its own field as eight spaces, then written as six digits, NUL, space.
        put(Array("        ".utf8), at: 148, width: 8)
        let checksum = block.reduce(0) { $0 + Int($1) }
        putOctal(checksum, at: 148, width: 7)
        block[154] = 0
        block[155] = 0x20
        return block
    }
}
