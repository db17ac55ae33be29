/// Scans over a head's bytes eight at a time (the CR or LF that ends a line, control
/// characters in a value): values (dates, tokens, keys) are most of a head's bytes,
/// and byte-by-byte loops cost about ten instructions a byte.
enum HeadScan {
    /// The offset of the first CR or LF in `bytes[start..<end]`, or nil.
    static func first(in bytes: UnsafeRawBufferPointer, from start: Int, to end: Int) -> Int? {
        var index = start
        if let base = bytes.baseAddress {
            while index &+ 8 <= end {
                let word = UInt64(littleEndian: base.loadUnaligned(fromByteOffset: index, as: UInt64.self))
                // A byte of `word ^ pattern` is zero where the byte matches; the lowest
                // flagged byte of the zero-byte test is always a real match.
                let cr = word ^ 0x0D0D_0D0D_0D0D_0D0D, lf = word ^ 0x0A0A_0A0A_0A0A_0A0A
                let found = (((cr &- 0x0101_0101_0101_0101) & ~cr) | ((lf &- 0x0101_0101_0101_0101) & ~lf)) & 0x8080_8080_8080_8080
                if found != 0 { return index &+ found.trailingZeroBitCount / 8 }
                index &+= 8
            }
        }
        while index < end {
            if bytes[index] == .cr || bytes[index] == .lf { return index }
            index += 1
        }
        return nil
    }

    /// Whether `bytes[start..<end]` holds a control character other than tab (below
    /// 0x20, or DEL): what a field value may not contain (RFC 9110 5.5). Words with no
    /// byte below 0x20 and no DEL pass at once; any other word is looked at byte by byte
    /// (a tab sets the first test off too).
    static func containsControl(in bytes: UnsafeRawBufferPointer, from start: Int, to end: Int) -> Bool {
        var index = start
        if let base = bytes.baseAddress {
            while index &+ 8 <= end {
                let word = UInt64(littleEndian: base.loadUnaligned(fromByteOffset: index, as: UInt64.self))
                let del = word ^ 0x7F7F_7F7F_7F7F_7F7F
                let suspect = (((word &- 0x2020_2020_2020_2020) & ~word) | ((del &- 0x0101_0101_0101_0101) & ~del)) & 0x8080_8080_8080_8080
                if suspect != 0 { break }
                index &+= 8
            }
        }
        while index < end {
            let byte = bytes[index]
            if (byte < 0x20 && byte != .tab) || byte == 0x7F { return true }
            index += 1
        }
        return false
    }
}
