import Artifact
import GatewayDSL

/// Accumulates the code, line table, constant pool and string table of all routes'
/// programs, interning constants and strings so equal values share one entry.
struct ProgramBuilder {
    private(set) var code: [Instruction] = []
    private(set) var lines: [LineEntry] = []
    private(set) var constants: [Constant] = []
    private(set) var strings: [String] = []
    private var constantIndex: [Constant: UInt32] = [:]
    private var stringIndex: [String: UInt32] = [:]

    var position: Int { code.count }

    @discardableResult
    mutating func emit(_ opcode: Opcode, _ a: UInt32 = 0, _ b: UInt32 = 0, at location: SourceLocation) -> Int {
        code.append(Instruction(opcode, a, b))
        lines.append(lineEntry(location))
        return code.count - 1
    }

    /// A line table entry, the file name interned in the string table.
    mutating func lineEntry(_ location: SourceLocation) -> LineEntry {
        LineEntry(file: string(location.file), line: UInt32(location.line), column: UInt32(location.column))
    }

    /// Points the jump at `index` to the current position.
    mutating func patchJump(_ index: Int) {
        code[index].a = UInt32(code.count)
    }

    mutating func constant(_ value: Constant) -> UInt32 {
        if let index = constantIndex[value] { return index }
        constants.append(value)
        constantIndex[value] = UInt32(constants.count - 1)
        return UInt32(constants.count - 1)
    }

    mutating func string(_ value: String) -> UInt32 {
        if let index = stringIndex[value] { return index }
        strings.append(value)
        stringIndex[value] = UInt32(strings.count - 1)
        return UInt32(strings.count - 1)
    }

    /// Emits a condition that leaves one boolean on the stack.
    mutating func lower(_ condition: TypedCondition, parameters: [String]) {
        switch condition {
        case .constant(let value, let at): emit(.pushConstant, constant(value), at: at)
        case .attribute(let attribute, let at): emit(.loadAttribute, attribute.rawValue, at: at)
        case .header(let name, let at): emit(.loadHeader, string(name), at: at)
        case .query(let name, let at): emit(.loadQuery, string(name), at: at)
        case .claim(let path, let at): emit(.loadClaim, string(path), at: at)
        case .parameter(let name, let at): emit(.loadParam, UInt32(parameters.firstIndex(of: name) ?? 0), at: at)
        case .not(let inner, let at):
            lower(inner, parameters: parameters)
            emit(.not, at: at)
        case .and(let l, let r, let at), .or(let l, let r, let at):
            lower(l, parameters: parameters)
            let isAnd = if case .and = condition { true } else { false }
            let jump = emit(isAnd ? .jumpIfFalse : .jumpIfTrue, at: at)
            lower(r, parameters: parameters)
            patchJump(jump)
        // Equality with a constant, the commonest comparison, is one fused instruction.
        case .compare(.equal, .attribute(let attribute, _), .constant(let value, _), let at),
             .compare(.equal, .constant(let value, _), .attribute(let attribute, _), let at):
            emit(.attributeEquals, attribute.rawValue, constant(value), at: at)
        case .compare(.equal, .header(let name, _), .constant(let value, _), let at),
             .compare(.equal, .constant(let value, _), .header(let name, _), let at):
            emit(.headerEquals, string(name), constant(value), at: at)
        case .compare(let op, let l, let r, let at), .stringTest(let op, let l, let r, let at):
            lower(l, parameters: parameters)
            lower(r, parameters: parameters)
            emit(op, at: at)
        case .member(let l, let r, let at):
            lower(l, parameters: parameters)
            lower(r, parameters: parameters)
            emit(.contains, at: at)
        }
    }
}
