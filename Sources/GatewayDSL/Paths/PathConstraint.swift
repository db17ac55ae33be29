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

    /// The pattern this constraint accepts; named types are patterns too.
    public var pattern: PathPattern {
        switch self {
        case .pattern(let pattern): return pattern
        case .type(let type):
            switch PathPatternParser.parse(type.patternSource) {
            case .success(let pattern): return pattern
            case .failure: return PathPattern(alternatives: [], source: type.patternSource)
            }
        }
    }
}

extension PathConstraint.NamedType {
    /// The restricted pattern each named type stands for.
    public var patternSource: String {
        switch self {
        case .int: "-?[0-9]+"
        case .uuid: "[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}"
        case .hex: "[0-9a-fA-F]+"
        case .alpha: "[A-Za-z]+"
        case .alnum: "[A-Za-z0-9]+"
        case .slug: "[a-z0-9-]+"
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
