import Artifact

/// A set of permissions as bits, numbered over every permission some route
/// requires, so an authorization check is a few ORs and one comparison instead of
/// hashing permission names per request.
struct PermissionBits: Sendable, Equatable {
    /// The first 64 permissions inline, so the common check allocates nothing.
    private var low: UInt64 = 0
    private var high: [UInt64] = []

    init() {}

    mutating func insert(_ bit: Int) {
        if bit < 64 { low |= 1 << UInt64(bit); return }
        let word = bit / 64 - 1
        while high.count <= word { high.append(0) }
        high[word] |= 1 << UInt64(bit % 64)
    }

    mutating func formUnion(_ other: PermissionBits) {
        low |= other.low
        if other.high.isEmpty { return }
        while high.count < other.high.count { high.append(0) }
        for index in other.high.indices { high[index] |= other.high[index] }
    }

    func isSuperset(of other: PermissionBits) -> Bool {
        guard low & other.low == other.low else { return false }
        for index in other.high.indices {
            let mine = index < high.count ? high[index] : 0
            if mine & other.high[index] != other.high[index] { return false }
        }
        return true
    }

    /// Each role's granted bits, and each `REQUIRE_PERMISSIONS` operand's needed bits
    /// (indexed by constant; nil for other constants, which then grant nothing).
    static func tables(_ artifact: Artifact) -> (granted: [String: PermissionBits], needed: [PermissionBits?]) {
        var numbers: [String: Int] = [:]
        var needed = [PermissionBits?](repeating: nil, count: artifact.constants.count)
        for instruction in artifact.code where instruction.opcode == .requirePermissions {
            guard case .stringSet(let permissions) = artifact.constants[Int(instruction.a)] else { continue }
            var bits = PermissionBits()
            for permission in permissions {
                let number = numbers[permission] ?? numbers.count
                numbers[permission] = number
                bits.insert(number)
            }
            needed[Int(instruction.a)] = bits
        }
        var granted: [String: PermissionBits] = [:]
        for role in artifact.roles where granted[role.name] == nil {
            var bits = PermissionBits()
            for permission in role.permissions { if let number = numbers[permission] { bits.insert(number) } }
            granted[role.name] = bits
        }
        return (granted, needed)
    }
}
