/// Parses route path templates, reporting each problem at its character.
public enum PathTemplateParser {
    public struct Failure: Error, Sendable {
        public var message: String
        public var offset: Int
        public var hint: String?
    }

    /// Characters a static segment may hold: RFC 3986 `pchar` without `%` (write the
    /// decoded character) and without `;` (the normalizer strips matrix parameters).
    static let staticCharacters = Set("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-._~!$&'()*+,=:@")

    /// Parses `text`; offsets in failures and `locate` count characters of `text`.
    public static func parse(_ text: String, locate: (Int) -> SourceLocation) -> Result<PathTemplate, Failure> {
        let characters = Array(text)
        guard characters.first == "/" else {
            return .failure(Failure(message: "path must start with `/`", offset: 0, hint: "write `/\(text)`"))
        }
        if characters.count == 1 { return .success(PathTemplate(segments: [], segmentLocations: [])) }
        if characters.last == "/" {
            return .failure(Failure(message: "path ends with `/`", offset: characters.count - 1,
                                    hint: "the gateway removes trailing slashes before routing; drop it"))
        }
        var segments: [PathTemplate.Segment] = []
        var locations: [SourceLocation] = []
        var names: Set<String> = []
        var start = 1
        for (index, raw) in splitSegments(characters) {
            start = index
            let segment: PathTemplate.Segment
            switch parseSegment(raw, offset: start) {
            case .failure(let failure): return .failure(failure)
            case .success(let parsed): segment = parsed
            }
            if let name = segment.parameterName, !names.insert(name).inserted {
                return .failure(Failure(message: "parameter `\(name)` appears twice", offset: start,
                                        hint: "give each parameter its own name"))
            }
            if case .wildcard(let name) = segments.last {
                return .failure(Failure(message: "wildcard `{\(name)...}` must be the last segment", offset: start, hint: nil))
            }
            segments.append(segment)
            locations.append(locate(start))
        }
        return .success(PathTemplate(segments: segments, segmentLocations: locations))
    }

    /// Splits on `/` outside braces, so `{pair:[A-Z]{6}}` stays one segment.
    private static func splitSegments(_ characters: [Character]) -> [(Int, ArraySlice<Character>)] {
        var result: [(Int, ArraySlice<Character>)] = []
        var depth = 0
        var start = 1
        for index in 1..<characters.count {
            switch characters[index] {
            case "{": depth += 1
            case "}": depth = max(0, depth - 1)
            case "/" where depth == 0:
                result.append((start, characters[start..<index]))
                start = index + 1
            default: break
            }
        }
        result.append((start, characters[start..<characters.count]))
        return result
    }

    private static func parseSegment(_ raw: ArraySlice<Character>, offset: Int) -> Result<PathTemplate.Segment, Failure> {
        if raw.isEmpty {
            return .failure(Failure(message: "empty path segment (`//`)", offset: offset, hint: "remove the extra `/`"))
        }
        if raw.first == "{" { return parseParameter(raw, offset: offset) }
        if raw == ["."] || raw == [".", "."] {
            return .failure(Failure(message: "`\(String(raw))` segments are removed by path normalization, so this route could never match",
                                    offset: offset, hint: nil))
        }
        for (index, character) in zip(raw.indices, raw) where !staticCharacters.contains(character) {
            let at = offset + (index - raw.startIndex)
            if character == "{" || character == "}" {
                return .failure(Failure(message: "a parameter must fill a whole segment", offset: at,
                                        hint: "write `/{name}` as its own segment"))
            }
            if character == "%" {
                return .failure(Failure(message: "percent-encoding in a route path", offset: at,
                                        hint: "write the decoded character; the gateway decodes paths before routing"))
            }
            return .failure(Failure(message: "`\(character)` is not allowed in a path segment", offset: at, hint: nil))
        }
        return .success(.literal(String(raw)))
    }

    private static func parseParameter(_ raw: ArraySlice<Character>, offset: Int) -> Result<PathTemplate.Segment, Failure> {
        guard raw.last == "}" else {
            return .failure(Failure(message: "`{` is not closed by `}` at the end of the segment", offset: offset,
                                    hint: "a parameter must fill a whole segment, e.g. `/{id}`"))
        }
        let body = raw.dropFirst().dropLast()
        let colon = body.firstIndex(of: ":")
        let nameEnd = colon ?? body.endIndex
        var name = String(body[body.startIndex..<nameEnd])
        var isWildcard = false
        if colon == nil, name.hasSuffix("...") {
            name.removeLast(3)
            isWildcard = true
        }
        guard isIdentifier(name) else {
            return .failure(Failure(message: "parameter name `\(name)` must be letters, digits and `_`, starting with a letter",
                                    offset: offset + 1, hint: nil))
        }
        if isWildcard { return .success(.wildcard(name: name)) }
        guard let colon else { return .success(.parameter(name: name)) }
        let constraintText = String(body[body.index(after: colon)...])
        let constraintOffset = offset + 1 + (body.distance(from: body.startIndex, to: colon)) + 1
        if constraintText.isEmpty {
            return .failure(Failure(message: "constraint after `:` is empty", offset: constraintOffset,
                                    hint: "use a type (\(PathConstraint.NamedType.allCases.map(\.rawValue).joined(separator: ", "))) or a pattern such as `[A-Z]{6}`"))
        }
        if let type = PathConstraint.NamedType(rawValue: constraintText) {
            return .success(.constrained(name: name, constraint: .type(type)))
        }
        switch PathPatternParser.parse(constraintText) {
        case .success(let pattern):
            return .success(.constrained(name: name, constraint: .pattern(pattern)))
        case .failure(let failure):
            return .failure(Failure(message: failure.message, offset: constraintOffset + failure.offset, hint: nil))
        }
    }

    static func isIdentifier(_ text: String) -> Bool {
        guard let first = text.first, first.isASCII, first.isLetter || first == "_" else { return false }
        return text.allSatisfy { $0.isASCII && ($0.isLetter || $0.isNumber || $0 == "_") }
    }
}
