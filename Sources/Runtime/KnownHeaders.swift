/// Where a request's headers that the gateway reads by name are, found in one pass
/// when the head is built (as nginx fills `headers_in` while it parses), and which
/// lines are never forwarded upstream as the client sent them. A decision then reads
/// Host, Content-Length, Cookie and the rest by position, instead of comparing names
/// for each of the dozen lookups a decision makes.
struct KnownHeaders: Sendable {
    /// The names read by position. Raw values index `positions`.
    enum Name: Int, CaseIterable, Sendable {
        case host, contentLength, contentType, transferEncoding, cookie, origin, requestID, traceparent, connection,
             accessControlRequestMethod, accessControlRequestHeaders, secFetchSite, authorization, expect

        var text: String {
            switch self {
            case .host: "host"
            case .contentLength: "content-length"
            case .contentType: "content-type"
            case .transferEncoding: "transfer-encoding"
            case .cookie: "cookie"
            case .origin: "origin"
            case .requestID: "x-request-id"
            case .traceparent: "traceparent"
            case .connection: "connection"
            case .accessControlRequestMethod: "access-control-request-method"
            case .accessControlRequestHeaders: "access-control-request-headers"
            case .secFetchSite: "sec-fetch-site"
            case .authorization: "authorization"
            case .expect: "expect"
            }
        }
    }

    /// Per name, the position of its first line plus one (0 when absent), four names
    /// to a word. Not a SIMD16: its 32-byte alignment made every request head's box an
    /// aligned allocation (posix_memalign, which bypasses malloc's per-thread cache).
    private var words: (UInt64, UInt64, UInt64, UInt64) = (0, 0, 0, 0)
    /// The lines never forwarded upstream as sent (`HeaderNames.replacedUpstream`).
    private(set) var replacedUpstream = HeaderIndexSet()

    /// One pass over a head's lines (names lower-case, `RequestHead.Line`).
    init(_ bytes: UnsafeBufferPointer<UInt8>, _ lines: RequestHead.Lines) {
        let table = Self.table
        table.withValues { entries in
            for index in lines.indices {
                guard let position = table.position(ofLowercased: bytes, lines[index].name) else { continue }
                let entry = entries[position]
                if entry.replacedUpstream { replacedUpstream.insert(index) }
                if let name = entry.name, slot(name.rawValue) == 0, index < Int(UInt16.max) {
                    setSlot(name.rawValue, UInt16(index + 1))
                }
            }
        }
    }

    /// The position of `name`'s first line.
    func position(_ name: Name) -> Int? {
        let position = slot(name.rawValue)
        return position == 0 ? nil : Int(position) - 1
    }

    private func slot(_ index: Int) -> UInt16 {
        let word = switch index >> 2 {
        case 0: words.0
        case 1: words.1
        case 2: words.2
        default: words.3
        }
        return UInt16(truncatingIfNeeded: word >> UInt64((index & 3) * 16))
    }

    private mutating func setSlot(_ index: Int, _ value: UInt16) {
        let shift = UInt64((index & 3) * 16)
        let keep = ~(UInt64(0xFFFF) << shift), bits = UInt64(value) << shift
        switch index >> 2 {
        case 0: words.0 = words.0 & keep | bits
        case 1: words.1 = words.1 & keep | bits
        case 2: words.2 = words.2 & keep | bits
        default: words.3 = words.3 & keep | bits
        }
    }

    private struct Entry: Sendable {
        var name: Name?
        var replacedUpstream: Bool
    }

    private static let table: NameTable<Entry> = {
        let replaced = Set(HeaderNames.replacedUpstream)
        let named = Name.allCases.map { (name: $0.text, value: Entry(name: $0, replacedUpstream: replaced.contains($0.text))) }
        let others = HeaderNames.replacedUpstream.filter { name in !Name.allCases.contains { $0.text == name } }
        return NameTable(named + others.map { (name: $0, value: Entry(name: nil, replacedUpstream: true)) })
    }()
}
