/// Normalizes a request target once, before routing. The path it produces is what
/// authorization sees and exactly what the upstream receives.
///
/// The rules (docs/path-normalization.md has the table and examples):
/// 1. The target is origin-form: it starts with `/`. A `#` fragment is refused.
/// 2. Raw control characters, spaces, non-ASCII bytes, `\` and `;` are refused.
/// 3. Each `%XX` is decoded once: unreserved characters (`A-Z a-z 0-9 - . _ ~`)
///    become themselves; `%2F`, `%5C`, `%00` and other control characters are
///    refused; everything else stays encoded with upper-case hex. Nothing is decoded
///    twice, so `%252F` stays `%252F`, and overlong UTF-8 (`%C0%AE`) stays encoded.
/// 4. Repeated slashes collapse to one; `.` segments are removed; `..` removes the
///    segment before it, and a `..` that would climb above the root is refused.
/// 5. A trailing slash is removed, except for the root path `/`.
/// 6. The query is kept as sent (after the same byte checks) and is not normalized.
public struct PathNormalizer: Sendable {
    public enum Failure: Error, Sendable, Equatable {
        /// 400, with the reason for the problem detail.
        case badRequest(String)
        /// 414: the target is longer than the limit.
        case tooLong
    }

    public var maxLength: Int

    public init(maxLength: Int = 8_192) {
        self.maxLength = maxLength
    }

    public struct Result: Sendable, Equatable {
        public var path: [UInt8]
        /// The query without its `?`, or nil when the target had none.
        public var query: [UInt8]?

        public var pathString: String { String(decoding: path, as: UTF8.self) }
    }

    /// The normalized target as views of memory that lives only as long as the
    /// closure given to `withNormalized`: the engine decides inside it.
    struct Normalized {
        var path: UnsafeBufferPointer<UInt8>
        /// The query without its `?` (a view of the target itself), or nil when there is none.
        var query: UnsafeBufferPointer<UInt8>?
    }

    public func normalize(_ target: String) -> Swift.Result<Result, Failure> {
        var target = target
        return target.withUTF8 { normalize($0) }
    }

    public func normalize(_ target: [UInt8]) -> Swift.Result<Result, Failure> {
        target.withUnsafeBufferPointer { normalize($0) }
    }

    public func normalize(_ target: UnsafeBufferPointer<UInt8>) -> Swift.Result<Result, Failure> {
        withNormalized(target) { result in result.map { Result(path: Array($0.path), query: $0.query.map { Array($0) }) } }
    }

    /// Normalizes into temporary (stack) memory and hands `body` views of it, so a
    /// decision's path costs no allocation.
    func withNormalized<Value>(_ target: UnsafeBufferPointer<UInt8>, _ body: (Swift.Result<Normalized, Failure>) -> Value) -> Value {
        guard target.count <= maxLength else { return body(.failure(.tooLong)) }
        guard target.first == UInt8(ascii: "/") else {
            return body(.failure(.badRequest("the request target must be a path starting with /")))
        }
        // Most paths are already normal: then the path is the target's own bytes, found
        // in one scan, and nothing is copied.
        if let length = Self.normalLength(target) {
            var query: UnsafeBufferPointer<UInt8>?
            if length < target.count {
                let rest = UnsafeBufferPointer(rebasing: target[(length + 1)...])
                if let problem = Self.queryProblem(rest) { return body(.failure(.badRequest(problem))) }
                query = rest
            }
            return body(.success(Normalized(path: UnsafeBufferPointer(rebasing: target[0..<length]), query: query)))
        }
        return withNormalizedBySegments(target, body)
    }

    /// The full normalization, segment by segment into temporary memory.
    func withNormalizedBySegments<Value>(_ target: UnsafeBufferPointer<UInt8>, _ body: (Swift.Result<Normalized, Failure>) -> Value) -> Value {
        var end = target.count
        var query: UnsafeBufferPointer<UInt8>?
        if let mark = target.firstIndex(of: UInt8(ascii: "?")) {
            end = mark
            let rest = UnsafeBufferPointer(rebasing: target[(mark + 1)...])
            if let problem = Self.queryProblem(rest) { return body(.failure(.badRequest(problem))) }
            query = rest
        }
        // Decoding only shrinks or keeps a path's length, and dropping segments shrinks
        // it: the output never outgrows the input's path.
        return withUnsafeTemporaryAllocation(of: UInt8.self, capacity: end) { output in
            var path = PathBytes(output)
            if let failure = Self.normalizePath(target, end: end, into: &path) { return body(.failure(failure)) }
            return body(.success(Normalized(path: UnsafeBufferPointer(rebasing: output[0..<path.count]), query: query)))
        }
    }

    /// The length of the target's path when it is already normal, else nil: only
    /// plain bytes between single slashes, no `.` or `..` segment, no trailing slash
    /// (the root, `/`, takes the long way). The caller checked the leading `/`.
    private static func normalLength(_ target: UnsafeBufferPointer<UInt8>) -> Int? {
        var index = 1
        var segment = 1
        while index < target.count {
            let byte = target[index]
            if byte == UInt8(ascii: "/") {
                guard isNormalSegment(target, segment, index) else { return nil }
                segment = index &+ 1
            } else if byte == UInt8(ascii: "?") {
                break
            } else if !isPlain(byte) {
                return nil
            }
            index &+= 1
        }
        return isNormalSegment(target, segment, index) ? index : nil
    }

    @inline(__always)
    private static func isNormalSegment(_ target: UnsafeBufferPointer<UInt8>, _ start: Int, _ end: Int) -> Bool {
        let dot = UInt8(ascii: ".")
        switch end - start {
        case 0: return false
        case 1: return target[start] != dot
        case 2: return target[start] != dot || target[start + 1] != dot
        default: return true
        }
    }

    /// Output memory and how much of it is written.
    private struct PathBytes {
        let memory: UnsafeMutableBufferPointer<UInt8>
        var count = 0

        init(_ memory: UnsafeMutableBufferPointer<UInt8>) { self.memory = memory }

        mutating func append(_ byte: UInt8) {
            memory[count] = byte
            count &+= 1
        }

        subscript(index: Int) -> UInt8 { memory[index] }

        /// Copies the plain bytes from `index` on, stopping at the first that is not
        /// (or at `end`). The output never outgrows the input, so there is room.
        @inline(__always)
        mutating func copyPlain(from target: UnsafeBufferPointer<UInt8>, _ index: inout Int, end: Int) {
            guard let input = target.baseAddress, let output = memory.baseAddress else { return }
            var (from, to) = (index, count)
            while from < end {
                let byte = input[from]
                guard PathNormalizer.isPlain(byte) else { break }
                output[to] = byte
                (from, to) = (from &+ 1, to &+ 1)
            }
            (index, count) = (from, to)
        }

        func lastSlash() -> Int? {
            var index = count - 1
            while index >= 0 {
                if memory[index] == UInt8(ascii: "/") { return index }
                index -= 1
            }
            return nil
        }
    }

    /// One pass over the bytes into one output buffer: each segment is decoded in
    /// place after its `/`, then dropped (empty, `.`), or resolved (`..` truncates the
    /// output back to the previous `/`).
    private static func normalizePath(_ target: UnsafeBufferPointer<UInt8>, end: Int, into path: inout PathBytes) -> Failure? {
        var segmentStart = 0
        var index = 1
        path.append(UInt8(ascii: "/"))
        while true {
            // Most bytes of any path are plain: copied in a tight loop over local
            // positions, one test each (through `path` they cost twice as much).
            path.copyPlain(from: target, &index, end: end)
            let atEnd = index >= end
            let byte = atEnd ? UInt8(ascii: "/") : target[index]
            if byte == UInt8(ascii: "/") {
                if let failure = closeSegment(&path, segmentStart) { return failure }
                if atEnd { break }
                segmentStart = path.count
                path.append(UInt8(ascii: "/"))
                index += 1
                continue
            }
            if byte == UInt8(ascii: "%") {
                guard let high = hex(target, index + 1, end), let low = hex(target, index + 2, end) else {
                    return .badRequest("a % in the path is not followed by two hex digits")
                }
                let decoded = high << 4 | low
                if let problem = decodedProblem(decoded) { return .badRequest(problem) }
                if isUnreserved(decoded) {
                    path.append(decoded)
                } else {
                    path.append(UInt8(ascii: "%"))
                    path.append(hexDigit(decoded >> 4))
                    path.append(hexDigit(decoded & 0xF))
                }
                index += 3
                continue
            }
            if byte == UInt8(ascii: "#") { return .badRequest("a fragment (#) cannot be sent in a request") }
            if let problem = rawProblem(byte) { return .badRequest(problem) }
            path.append(byte)
            index += 1
        }
        if path.count == 0 { path.append(UInt8(ascii: "/")) }
        return nil
    }

    /// Finishes the segment that starts with the `/` at `start`.
    private static func closeSegment(_ path: inout PathBytes, _ start: Int) -> Failure? {
        let length = path.count - start - 1
        let dot = UInt8(ascii: ".")
        if length == 0 || (length == 1 && path[start + 1] == dot) {
            path.count = start
        } else if length == 2 && path[start + 1] == dot && path[start + 2] == dot {
            path.count = start
            guard let previous = path.lastSlash() else { return .badRequest("the path climbs above the root with ..") }
            path.count = previous
        }
        return nil
    }

    /// Printable ASCII except the bytes with a rule of their own: `/ % # ; \` (a `?`
    /// never reaches the path). One bit per byte in two words.
    @inline(__always)
    fileprivate static func isPlain(_ byte: UInt8) -> Bool {
        let low: UInt64 = 0xF7FF_7FD6_0000_0000, high: UInt64 = 0x7FFF_FFFF_EFFF_FFFF
        // One word or the other by the byte's sixth bit, then one shift: no branch
        // but the loop's.
        let word = byte & 0x40 == 0 ? low : high
        return byte < 128 && (word >> UInt64(byte & 63)) & 1 == 1
    }

    static func isUnreserved(_ byte: UInt8) -> Bool {
        (byte >= 0x41 && byte <= 0x5A) || (byte >= 0x61 && byte <= 0x7A) || (byte >= 0x30 && byte <= 0x39)
            || byte == UInt8(ascii: "-") || byte == UInt8(ascii: ".") || byte == UInt8(ascii: "_") || byte == UInt8(ascii: "~")
    }

    private static func rawProblem(_ byte: UInt8) -> String? {
        switch byte {
        case 0..<0x20, 0x7F: "the path holds a control character"
        case UInt8(ascii: " "): "the path holds a space"
        case 0x80...: "the path holds a raw non-ASCII byte; percent-encode it"
        case UInt8(ascii: "\\"): "the path holds a backslash"
        case UInt8(ascii: ";"): "path parameters (;) are not accepted"
        default: nil
        }
    }

    private static func decodedProblem(_ byte: UInt8) -> String? {
        switch byte {
        case UInt8(ascii: "/"): "an encoded slash (%2F) is not accepted in a path"
        case UInt8(ascii: "\\"): "an encoded backslash (%5C) is not accepted in a path"
        case 0: "an encoded NUL (%00) is not accepted"
        case 0x01..<0x20, 0x7F: "an encoded control character is not accepted"
        default: nil
        }
    }

    private static func queryProblem(_ query: UnsafeBufferPointer<UInt8>) -> String? {
        for byte in query {
            switch byte {
            case 0..<0x20, 0x7F: return "the query holds a control character"
            case UInt8(ascii: " "): return "the query holds a space"
            case 0x80...: return "the query holds a raw non-ASCII byte; percent-encode it"
            case UInt8(ascii: "#"): return "a fragment (#) cannot be sent in a request"
            default: continue
            }
        }
        return nil
    }

    private static func hex(_ bytes: UnsafeBufferPointer<UInt8>, _ index: Int, _ end: Int) -> UInt8? {
        guard index < end else { return nil }
        switch bytes[index] {
        case UInt8(ascii: "0")...UInt8(ascii: "9"): return bytes[index] - UInt8(ascii: "0")
        case UInt8(ascii: "a")...UInt8(ascii: "f"): return bytes[index] - UInt8(ascii: "a") + 10
        case UInt8(ascii: "A")...UInt8(ascii: "F"): return bytes[index] - UInt8(ascii: "A") + 10
        default: return nil
        }
    }

    private static func hexDigit(_ value: UInt8) -> UInt8 {
        value < 10 ? UInt8(ascii: "0") + value : UInt8(ascii: "A") + value - 10
    }
}
