/// The keys of one mapping, checked against the keys its schema allows.
///
/// Creating it reports every unknown key (with a suggestion); afterwards callers ask
/// for the keys they know. A key's schema lives in `SpecSchema`, the same list the
/// docs test reads, so the reference cannot silently fall behind the decoder.
struct Fields {
    let mapping: YAMLMapping
    private var byKey: [String: YAMLMapping.Entry] = [:]

    init(_ mapping: YAMLMapping, allowed: [String], context: String, bag: inout DiagnosticBag) {
        self.mapping = mapping
        for entry in mapping.entries {
            guard allowed.contains(entry.key.value) else {
                bag.error(.unknownKey, "unknown key `\(entry.key.value)` in \(context)", at: entry.key.location,
                          hint: Suggestions.hint(for: entry.key.value, in: allowed))
                continue
            }
            byKey[entry.key.value] = entry
        }
    }

    subscript(key: String) -> YAMLNode? { byKey[key]?.value }

    func keyLocation(_ key: String) -> SourceLocation? { byKey[key]?.key.location }

    func has(_ key: String) -> Bool { byKey[key] != nil }
}
