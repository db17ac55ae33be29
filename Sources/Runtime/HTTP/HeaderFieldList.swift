/// A message's header fields as the engine reads them, whatever holds them: the
/// harness's `[Header]`, or the server's offsets into the bytes it received (so a
/// reply's head is edited without turning its lines into Strings).
protocol HeaderFieldList {
    var fieldCount: Int { get }
    /// Calls `body` with field `index`'s name as it came (any case).
    func withFieldName<Result>(_ index: Int, _ body: (UnsafeRawBufferPointer) -> Result) -> Result
    /// Calls `body` with field `index`'s value, without surrounding whitespace.
    func withFieldValue<Result>(_ index: Int, _ body: (UnsafeRawBufferPointer) -> Result) -> Result
}

extension Array: HeaderFieldList where Element == Header {
    var fieldCount: Int { count }

    func withFieldName<Result>(_ index: Int, _ body: (UnsafeRawBufferPointer) -> Result) -> Result {
        var name = self[index].name
        return name.withUTF8 { body(UnsafeRawBufferPointer($0)) }
    }

    func withFieldValue<Result>(_ index: Int, _ body: (UnsafeRawBufferPointer) -> Result) -> Result {
        var value = self[index].value
        return value.withUTF8 { body(UnsafeRawBufferPointer($0)) }
    }
}

extension HeaderFieldList {
    /// Whether field `index` is named `name` (lower-case), ignoring the field's case.
    func fieldName(_ index: Int, is name: StaticString) -> Bool {
        withFieldName(index) { ParsedRequestHead.equalsIgnoringCase($0, name) }
    }

    /// The fields a Connection header names as its own (RFC 9110 7.6.1: hop-by-hop,
    /// so a proxy removes them), by position. Empty, and cheap, without one.
    func namedByConnection() -> HeaderIndexSet {
        var named = HeaderIndexSet()
        for connection in 0..<fieldCount where fieldName(connection, is: "connection") {
            withFieldValue(connection) { value in
                ConnectionTokens.forEach(in: value) { token in
                    for index in 0..<fieldCount where withFieldName(index, { ASCIICase.equal(raw: $0, token) }) { named.insert(index) }
                }
            }
        }
        return named
    }

    /// The fields as `Header`s (names lower-cased): for the harness, record mode and
    /// enveloped replies, not the streaming path.
    var headers: [Header] {
        (0..<fieldCount).map { index in
            Header(withFieldName(index) { String(decoding: $0, as: UTF8.self) }, withFieldValue(index) { String(decoding: $0, as: UTF8.self) })
        }
    }
}

/// Header fields as offsets into bytes the caller holds for the duration of a call.
struct ParsedHeaderFields: HeaderFieldList {
    let bytes: UnsafeRawBufferPointer
    let fields: [ParsedRequestHead.Field]

    var fieldCount: Int { fields.count }

    func withFieldName<Result>(_ index: Int, _ body: (UnsafeRawBufferPointer) -> Result) -> Result {
        body(UnsafeRawBufferPointer(rebasing: bytes[fields[index].name]))
    }

    func withFieldValue<Result>(_ index: Int, _ body: (UnsafeRawBufferPointer) -> Result) -> Result {
        body(UnsafeRawBufferPointer(rebasing: bytes[fields[index].value]))
    }

    /// Field `index`'s whole line, CRLF included, as it came.
    func line(_ index: Int) -> UnsafeRawBufferPointer {
        UnsafeRawBufferPointer(rebasing: bytes[fields[index].line])
    }
}
