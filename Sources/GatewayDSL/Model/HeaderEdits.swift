/// `headers:` edits on the request sent upstream or the response sent back.
public struct HeaderEdits: Sendable, Hashable {
    public var setHeaders: [(name: String, value: String)]
    public var removeHeaders: [String]

    public init(setHeaders: [(name: String, value: String)] = [], removeHeaders: [String] = []) {
        self.setHeaders = setHeaders
        self.removeHeaders = removeHeaders
    }

    public var isEmpty: Bool { setHeaders.isEmpty && removeHeaders.isEmpty }

    public static func == (lhs: HeaderEdits, rhs: HeaderEdits) -> Bool {
        lhs.setHeaders.map(\.name) == rhs.setHeaders.map(\.name) && lhs.setHeaders.map(\.value) == rhs.setHeaders.map(\.value)
            && lhs.removeHeaders == rhs.removeHeaders
    }

    public func hash(into hasher: inout Hasher) {
        for pair in setHeaders { hasher.combine(pair.name); hasher.combine(pair.value) }
        hasher.combine(removeHeaders)
    }
}
