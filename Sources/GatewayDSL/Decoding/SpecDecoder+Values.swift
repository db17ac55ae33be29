/// Readers for typed values. Each reports a wrong type or a malformed value with the
/// expected form and an example, and returns nil so decoding carries on.
extension SpecDecoder {
    mutating func expectMapping(_ node: YAMLNode, what: String, example: String) -> YAMLMapping? {
        if case .mapping(let mapping) = node { return mapping }
        if node.isPlaceholder { return nil }
        bag.error(.wrongType, "\(what) must be a mapping, but found \(node.kindDescription)", at: node.location,
                  hint: "for example:\n    \(example.replacing("\n", with: "\n    "))")
        return nil
    }

    mutating func scalar(_ node: YAMLNode, what: String, example: String) -> YAMLScalar? {
        if case .scalar(let scalar) = node, !scalar.isNull { return scalar }
        if node.isPlaceholder { return nil }
        bag.error(.wrongType, "\(what) must be a single value, but found \(node.kindDescription)", at: node.location,
                  hint: "for example: \(example)")
        return nil
    }

    mutating func string(_ node: YAMLNode, what: String, example: String = "a word") -> Located<String>? {
        guard let scalar = scalar(node, what: what, example: example) else { return nil }
        return Located(scalar.value, at: scalar.location)
    }

    /// A list; a single scalar counts as a list of one, so `allow: trader` reads naturally.
    mutating func list(_ node: YAMLNode, what: String, example: String) -> [YAMLNode] {
        switch node {
        case .sequence(let sequence): return sequence.items
        case .scalar(let scalar) where !scalar.isNull: return [node]
        case _ where node.isPlaceholder: return []
        default:
            bag.error(.wrongType, "\(what) must be a list, but found \(node.kindDescription)", at: node.location,
                      hint: "for example: \(example)")
            return []
        }
    }

    mutating func strings(_ node: YAMLNode, what: String, example: String) -> [Located<String>] {
        list(node, what: what, example: example).compactMap { string($0, what: "each item of \(what)", example: example) }
    }

    /// `true` or `false` only: YAML 1.1's `yes`/`no`/`on`/`off` are refused, since they
    /// read differently in different tools.
    mutating func bool(_ node: YAMLNode, what: String) -> Located<Bool>? {
        guard let scalar = scalar(node, what: what, example: "true") else { return nil }
        switch scalar.value {
        case "true": return Located(true, at: scalar.location)
        case "false": return Located(false, at: scalar.location)
        default:
            bag.error(.invalidValue, "\(what) must be `true` or `false`, not `\(scalar.value.truncatedForMessage)`",
                      at: scalar.location, hint: "write `true` or `false`")
            return nil
        }
    }

    mutating func integer(_ node: YAMLNode, what: String, range: ClosedRange<Int>) -> Located<Int>? {
        guard let scalar = scalar(node, what: what, example: "\(range.lowerBound)") else { return nil }
        guard let value = Int(scalar.value), scalar.style == .plain else {
            bag.error(.invalidValue, "\(what) must be a whole number, not `\(scalar.value.truncatedForMessage)`",
                      at: scalar.location, hint: "for example: \(range.lowerBound)")
            return nil
        }
        guard range.contains(value) else {
            bag.error(.outOfRange, "\(what) is \(value), outside \(range.lowerBound)...\(range.upperBound)", at: scalar.location,
                      hint: "use a value from \(range.lowerBound) to \(range.upperBound)")
            return nil
        }
        return Located(value, at: scalar.location)
    }

    /// A duration no shorter than `minimum` and no longer than `maximum`.
    mutating func duration(
        _ node: YAMLNode, what: String,
        minimum: SpecDuration = SpecDuration(milliseconds: 1),
        maximum: SpecDuration = SpecDuration(milliseconds: 86_400_000)
    ) -> Located<SpecDuration>? {
        guard let scalar = scalar(node, what: what, example: "250ms") else { return nil }
        guard let value = SpecDuration(parsing: scalar.value) else {
            let bare = Int(scalar.value) != nil
            bag.error(.invalidValue, "\(what) must be a duration, not `\(scalar.value.truncatedForMessage)`", at: scalar.location,
                      hint: bare ? "add a unit: `\(scalar.value)ms` or `\(scalar.value)s`" : "write a whole number and a unit (ms, s, m, h, d), such as `250ms`, `5s` or `1m`")
            return nil
        }
        guard value >= minimum, value <= maximum else {
            bag.error(.outOfRange, "\(what) is \(value), outside \(minimum)...\(maximum)", at: scalar.location,
                      hint: "use a duration from \(minimum) to \(maximum)")
            return nil
        }
        return Located(value, at: scalar.location)
    }

    mutating func size(_ node: YAMLNode, what: String, maximum: ByteSize = ByteSize(bytes: 1 << 30)) -> Located<ByteSize>? {
        guard let scalar = scalar(node, what: what, example: "64KiB") else { return nil }
        guard let value = ByteSize(parsing: scalar.value) else {
            let decimal = ["KB", "MB", "GB", "kb", "mb", "gb", "K", "M", "G"].first { scalar.value.hasSuffix($0) }
            bag.error(.invalidValue, "\(what) must be a size, not `\(scalar.value.truncatedForMessage)`", at: scalar.location,
                      hint: decimal != nil ? "sizes use binary units: B, KiB, MiB, GiB (e.g. `64KiB`)" : "write a whole number and a unit (B, KiB, MiB, GiB), such as `64KiB`")
            return nil
        }
        guard value.bytes > 0, value <= maximum else {
            bag.error(.outOfRange, "\(what) is \(value), outside 1B...\(maximum)", at: scalar.location,
                      hint: "use a size from 1B to \(maximum)")
            return nil
        }
        return Located(value, at: scalar.location)
    }

    /// Parses `text` as a rate; `written` is the whole value, shown in messages.
    mutating func rate(_ scalar: YAMLScalar, text: String, what: String, written: String? = nil) -> Rate? {
        switch Rate.parse(text) {
        case .success(let rate): return rate
        case .failure(.zero):
            bag.error(.outOfRange, "\(what) `\(text)` allows nothing; a rate and its burst must be at least 1", at: scalar.location,
                      hint: "to block a route, use `respond:` or leave the role out of `allow`")
        case .failure:
            bag.error(.invalidValue, "\(what) must be a rate, not `\((written ?? text).truncatedForMessage)`", at: scalar.location,
                      hint: "write COUNT/PERIOD with period s, min, h or d, optionally `burst N`: `50/s`, `1000/min burst 100`"
                          + (written != nil ? ", then `per principal`, `per api-key`, `per ip` or `per route`" : ""))
        }
        return nil
    }

    /// A secret reference. The value is never echoed: it may be the secret itself.
    mutating func secret(_ node: YAMLNode, what: String) -> Located<SecretReference>? {
        guard let scalar = scalar(node, what: what, example: "env:NAME") else { return nil }
        if let reference = SecretReference(parsing: scalar.value) {
            return Located(reference, at: scalar.location)
        }
        let looksLikeReference = scalar.value.hasPrefix("env:") || scalar.value.hasPrefix("file:")
        if looksLikeReference {
            bag.error(.invalidValue, "\(what) is not a valid secret reference", at: scalar.location,
                      hint: "`env:NAME` takes letters, digits and `_`; `file:PATH` takes a non-empty path")
        } else {
            bag.error(.inlineSecret, "\(what) must reference a secret, not contain it (the value is not shown)", at: scalar.location,
                      hint: "write `env:NAME` or `file:path/to/secret`; secrets are read at boot and never written into the artifact")
        }
        return nil
    }

    /// One of an enum's raw values, with a suggestion when misspelled.
    mutating func choice<T: RawRepresentable & CaseIterable>(_ node: YAMLNode, what: String, as: T.Type) -> Located<T>?
    where T.RawValue == String {
        let options = T.allCases.map(\.rawValue)
        guard let scalar = scalar(node, what: what, example: options.first ?? "") else { return nil }
        guard let value = T(rawValue: scalar.value) else {
            bag.error(.invalidValue, "\(what) must be one of \(options.map { "`\($0)`" }.joined(separator: ", ")), not `\(scalar.value.truncatedForMessage)`",
                      at: scalar.location, hint: Suggestions.closest(to: scalar.value, in: options).map { "did you mean `\($0)`?" })
            return nil
        }
        return Located(value, at: scalar.location)
    }

    /// An HTTP header name (an RFC 9110 token), lower-cased for comparison.
    mutating func headerName(_ scalar: YAMLScalar, what: String) -> String? {
        let token = Set("!#$%&'*+-.^_`|~abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789")
        guard !scalar.value.isEmpty, scalar.value.allSatisfy(token.contains) else {
            bag.error(.invalidValue, "\(what) `\(scalar.value.truncatedForMessage)` is not a valid header name", at: scalar.location,
                      hint: "header names are letters, digits and `-`, such as `X-Request-Id`")
            return nil
        }
        return scalar.value.lowercased()
    }

    /// A header value: visible ASCII, spaces and tabs only, so no CR/LF can be injected.
    mutating func headerValue(_ node: YAMLNode, what: String) -> String? {
        guard let scalar = scalar(node, what: what, example: "\"no-store\"") else { return nil }
        guard scalar.value.unicodeScalars.allSatisfy({ ($0.value >= 0x20 && $0.value < 0x7F) || $0 == "\t" }) else {
            bag.error(.invalidValue, "\(what) holds a control or non-ASCII character", at: scalar.location,
                      hint: "header values are printable ASCII; line breaks would split the header")
            return nil
        }
        return scalar.value
    }

    /// An origin as browsers send it: `scheme://host[:port]`, no path.
    mutating func origin(_ located: Located<String>, what: String) -> Bool {
        let text = located.value
        if text == "*" { return true }
        if case .success(let endpoint) = Endpoint.parse(text), endpoint.basePath.isEmpty, !text.hasSuffix("/"), text == text.lowercased() {
            return true
        }
        bag.error(.invalidValue, "\(what) `\(text.truncatedForMessage)` is not an origin", at: located.location,
                  hint: "an origin is lower-case `scheme://host[:port]` with no path or trailing slash, e.g. `https://trade.forex.example`")
        return false
    }
}
