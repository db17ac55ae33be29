/// What a constrained parameter accepts: a named type (`int`, `uuid`, ...) or a
/// restricted pattern such as `[A-Z]{6}` or `buy|sell`.
///
/// Patterns are alternatives of sequences of atoms (a literal character or a character
/// class, each with an optional `{n}`, `{n,m}`, `?`, `*` or `+`). There are no groups,
/// backreferences or lookaround, so the compiler can always turn one into a small DFA
/// and nothing is interpreted from text at run time.
public enum PathConstraint: Sendable, Hashable, CustomStringConvertible {
    case type(NamedType)
    case pattern(PathPattern)

    public enum NamedType: String, Sendable, Hashable, CaseIterable {
        /// Decimal digits with an optional leading `-`.
        case int
        /// 8-4-4-4-12 hexadecimal digits.
        case uuid
        /// Hexadecimal digits.
        case hex
        /// ASCII letters.
        case alpha
        /// ASCII letters and digits.
        case alnum
        /// Lower-case letters, digits and `-`.
        case slug
    }

    public var description: String {
        switch self {
        case .type(let type): type.rawValue
        case .pattern(let pattern): pattern.source
        }
    }
}

/// A parsed restricted pattern; see `PathConstraint`.
public struct PathPattern: Sendable, Hashable {
    public struct Atom: Sendable, Hashable {
        /// Inclusive ASCII ranges the character may fall in.
        public var ranges: [ClosedRange<UInt8>]
        public var min: Int
        /// nil means unbounded.
        public var max: Int?
    }

    public var alternatives: [[Atom]]
    /// The text as written, kept for printing and for the artifact's disassembly.
    public var source: String
}
