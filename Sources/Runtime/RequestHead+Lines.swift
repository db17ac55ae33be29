/// How a request head packs its header lines: names and values one after another in
/// one array, then a table of three UInt32 offsets per line (`Lines`).
extension RequestHead {
    /// Where one header line's name and value are among the bytes: the name is
    /// `nameStart..<valueStart`, the value `valueStart..<valueEnd`.
    struct Line: Sendable {
        var nameStart: Int
        var valueStart: Int
        var valueEnd: Int

        var name: Range<Int> { nameStart..<valueStart }
        var value: Range<Int> { valueStart..<valueEnd }
    }

    /// The line table at the end of the bytes: three UInt32 offsets per line.
    struct Lines {
        let table: UnsafeRawPointer?
        let count: Int

        var indices: Range<Int> { 0..<count }

        subscript(index: Int) -> Line {
            guard let table else { return Line(nameStart: 0, valueStart: 0, valueEnd: 0) }
            let offset = index &* 12
            return Line(nameStart: Int(table.loadUnaligned(fromByteOffset: offset, as: UInt32.self)),
                        valueStart: Int(table.loadUnaligned(fromByteOffset: offset &+ 4, as: UInt32.self)),
                        valueEnd: Int(table.loadUnaligned(fromByteOffset: offset &+ 8, as: UInt32.self)))
        }

        /// The first line whose name is `name`'s bytes exactly.
        func first(named name: UnsafeBufferPointer<UInt8>, in bytes: UnsafeBufferPointer<UInt8>) -> Int? {
            guard let table, let base = bytes.baseAddress, let wanted = name.baseAddress ?? (name.isEmpty ? base : nil) else { return nil }
            for index in indices {
                let offset = index &* 12
                let nameStart = Int(table.loadUnaligned(fromByteOffset: offset, as: UInt32.self))
                let valueStart = Int(table.loadUnaligned(fromByteOffset: offset &+ 4, as: UInt32.self))
                if valueStart &- nameStart == name.count, ASCIICase.same(UnsafeRawPointer(base + nameStart), UnsafeRawPointer(wanted), count: name.count) {
                    return index
                }
            }
            return nil
        }

        /// Bytes for a table of `count` lines after `contentBytes` of names and values.
        static func packedCount(contentBytes: Int, count: Int) -> Int { tableOffset(contentBytes) + 12 * count }

        static func tableOffset(_ contentBytes: Int) -> Int { (contentBytes + 3) & ~3 }

        /// Writes line `index`'s record into a packed array's table.
        static func store(_ line: Line, at index: Int, table: UnsafeMutableRawPointer) {
            let offset = index &* 12
            table.storeBytes(of: UInt32(truncatingIfNeeded: line.nameStart), toByteOffset: offset, as: UInt32.self)
            table.storeBytes(of: UInt32(truncatingIfNeeded: line.valueStart), toByteOffset: offset &+ 4, as: UInt32.self)
            table.storeBytes(of: UInt32(truncatingIfNeeded: line.valueEnd), toByteOffset: offset &+ 8, as: UInt32.self)
        }
    }

    /// Names lower-cased, every line's bytes after the one before, then the line table.
    static func pack(_ headers: [(name: String, value: String)]) -> ([UInt8], Int) {
        var bytes: [UInt8] = []
        var lines: [Line] = []
        for header in headers {
            let nameStart = bytes.count
            bytes += header.name.utf8.map(ASCIICase.lower)
            let valueStart = bytes.count
            bytes += header.value.utf8
            lines.append(Line(nameStart: nameStart, valueStart: valueStart, valueEnd: bytes.count))
        }
        let tableOffset = Lines.tableOffset(bytes.count)
        bytes += [UInt8](repeating: 0, count: tableOffset - bytes.count + 12 * lines.count)
        bytes.withUnsafeMutableBytes { raw in
            guard let base = raw.baseAddress else { return }
            for (index, line) in lines.enumerated() { Lines.store(line, at: index, table: base + tableOffset) }
        }
        return (bytes, lines.count)
    }

    static func known(_ bytes: [UInt8], count: Int) -> KnownHeaders {
        bytes.withUnsafeBufferPointer { buffer in
            KnownHeaders(buffer, Lines(table: buffer.baseAddress.map { UnsafeRawPointer($0 + bytes.count - 12 * count) }, count: count))
        }
    }
}
