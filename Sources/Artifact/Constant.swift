/// A value in the constant pool.
public enum Constant: Sendable, Hashable, CustomStringConvertible {
    case string(String)
    case integer(Int64)
    case boolean(Bool)
    case null
    /// Sorted and unique, for membership tests (`in`, role and permission sets).
    case stringSet([String])

    public var description: String {
        switch self {
        case .string(let value): "\"\(value)\""
        case .integer(let value): "\(value)"
        case .boolean(let value): "\(value)"
        case .null: "null"
        case .stringSet(let values): "[" + values.map { "\"\($0)\"" }.joined(separator: ", ") + "]"
        }
    }
}

extension Constant: ArtifactCodable {
    public func encode(to writer: inout SectionWriter) {
        switch self {
        case .string(let value): writer.bytes.u8(0); writer.string(value)
        case .integer(let value): writer.bytes.u8(1); writer.bytes.i64(value)
        case .boolean(let value): writer.bytes.u8(2); writer.bytes.bool(value)
        case .null: writer.bytes.u8(3)
        case .stringSet(let values): writer.bytes.u8(4); writer.strings(values)
        }
    }

    public init(from reader: inout SectionReader) throws(ArtifactError) {
        switch try reader.bytes.u8() {
        case 0: self = .string(try reader.string())
        case 1: self = .integer(try reader.bytes.i64())
        case 2: self = .boolean(try reader.bytes.bool())
        case 3: self = .null
        case 4: self = .stringSet(try reader.strings())
        case let tag: throw .malformed("unknown constant tag \(tag)")
        }
    }
}

extension Instruction: ArtifactCodable {
    public func encode(to writer: inout SectionWriter) {
        writer.bytes.u8(opcode.rawValue)
        writer.bytes.u32(a)
        writer.bytes.u32(b)
    }

    public init(from reader: inout SectionReader) throws(ArtifactError) {
        opcode = try reader.enumeration(Opcode.self)
        a = try reader.bytes.u32()
        b = try reader.bytes.u32()
    }
}

/// Where an instruction came from in the specs. The file is an index into the
/// artifact's string table (`Artifact.file(of:)`), so the table of one entry per
/// instruction holds no strings of its own.
public struct LineEntry: Sendable, Hashable, ArtifactCodable {
    public var file: UInt32
    public var line: UInt32
    public var column: UInt32

    public init(file: UInt32, line: UInt32, column: UInt32) {
        self.file = file
        self.line = line
        self.column = column
    }

    public func encode(to writer: inout SectionWriter) {
        writer.bytes.u32(file)
        writer.bytes.u32(line)
        writer.bytes.u32(column)
    }

    public init(from reader: inout SectionReader) throws(ArtifactError) {
        file = UInt32(try reader.bytes.index(below: reader.table.count, "file"))
        line = try reader.bytes.u32()
        column = try reader.bytes.u32()
    }
}
