/// Cross-checks a decoded artifact so the runtime can trust every index in it:
/// the router cannot loop or read out of range, and every program is well-formed
/// bytecode (operands in range, forward jumps only, a balanced stack, a terminal end).
extension Artifact {
    /// The deepest the condition stack may grow; the VM keeps a fixed stack of this size.
    public static let maxStackDepth = 16
    /// The most parameters one route may capture.
    public static let maxParameters = 16

    public func verify() throws(ArtifactError) {
        try verifyRouting()
        try verifyTables()
        var depths: [Int] = []
        for (index, route) in routes.enumerated() { try verifyProgram(of: route, index: index, depths: &depths) }
    }

    private func verifyRouting() throws(ArtifactError) {
        let table = routing
        for host in table.hosts where Int(host.root) >= table.nodes.count { throw .malformed("host root out of range") }
        for (index, node) in table.nodes.enumerated() {
            try check(node.staticStart, node.staticCount, within: table.staticEdges.count, "static edges")
            try check(node.dynamicStart, node.dynamicCount, within: table.dynamicEdges.count, "dynamic edges")
            try check(node.leafStart, node.leafCount, within: table.leaves.count, "leaves")
            let statics = table.staticEdges[Int(node.staticStart)..<Int(node.staticStart + node.staticCount)]
            var previous: ArraySlice<UInt8>?
            for edge in statics {
                guard Int(edge.child) > index, Int(edge.child) < table.nodes.count else { throw .malformed("static edge does not lead down the tree") }
                guard edge.labelLength > 0, Int(edge.labelStart) + Int(edge.labelLength) <= table.labels.count else {
                    throw .malformed("static label out of range")
                }
                let label = table.labels[Int(edge.labelStart)..<Int(edge.labelStart + edge.labelLength)]
                if let previous, !Self.labelOrder(previous, label) { throw .malformed("static edges are not sorted") }
                previous = label
            }
            var lastKind: RoutingTable.DynamicEdge.Kind?
            for edge in table.dynamicEdges[Int(node.dynamicStart)..<Int(node.dynamicStart + node.dynamicCount)] {
                guard Int(edge.child) > index, Int(edge.child) < table.nodes.count else { throw .malformed("dynamic edge does not lead down the tree") }
                if edge.kind == .constrained, Int(edge.matcher) >= table.matchers.count { throw .malformed("matcher out of range") }
                if let lastKind, lastKind.rawValue > edge.kind.rawValue || (lastKind == edge.kind && edge.kind != .constrained) {
                    throw .malformed("dynamic edges are out of precedence order")
                }
                lastKind = edge.kind
            }
        }
        for leaf in table.leaves {
            guard Int(leaf.route) < routes.count else { throw .malformed("leaf names route \(leaf.route) of \(routes.count)") }
            try check(leaf.guardStart, leaf.guardCount, within: table.guards.count, "guards")
        }
    }

    /// Static edges sort by length, then bytes: lookup compares lengths before bytes.
    public static func labelOrder<A: Collection<UInt8>, B: Collection<UInt8>>(_ a: A, _ b: B) -> Bool {
        a.count != b.count ? a.count < b.count : a.lexicographicallyPrecedes(b)
    }

    private func verifyTables() throws(ArtifactError) {
        guard lines.count == code.count else { throw .malformed("the line table has \(lines.count) entries for \(code.count) instructions") }
        for role in roles { if let limit = role.limit, Int(limit) >= limits.count { throw .malformed("role limit out of range") } }
        for plan in auth.apiKeys?.plans ?? [] where Int(plan.limit) >= limits.count { throw .malformed("plan limit out of range") }
        var covered = 0
        for route in routes.sorted(by: { $0.programStart < $1.programStart }) {
            guard route.programLength > 0, Int(route.programStart) >= covered,
                  Int(route.programStart) + Int(route.programLength) <= code.count else {
                throw .malformed("route `\(route.key)` has its program outside the code or overlapping another")
            }
            covered = Int(route.programStart + route.programLength)
            guard route.parameters.count <= Self.maxParameters else { throw .malformed("route `\(route.key)` has too many parameters") }
            if let cors = route.cors, Int(cors) >= settings.cors.count { throw .malformed("route CORS policy out of range") }
            for case .parameter(let index) in route.upstreamPath ?? [] where Int(index) >= route.parameters.count {
                throw .malformed("route `\(route.key)` rewrites with parameter \(index) it does not have")
            }
        }
    }

    /// `depths` is scratch space reused across programs: the stack depth expected at
    /// each instruction a jump lands on, or -1.
    private func verifyProgram(of route: RouteEntry, index: Int, depths: inout [Int]) throws(ArtifactError) {
        let start = Int(route.programStart)
        let end = start + Int(route.programLength)
        depths.removeAll(keepingCapacity: true)
        depths.append(contentsOf: repeatElement(-1, count: end - start))
        var depth = 0
        var reachable = true
        for pc in start..<end {
            let instruction = code[pc]
            let info = instruction.opcode.info
            let incoming = depths[pc - start]
            if incoming >= 0 {
                if reachable, incoming != depth { throw .malformed("stack depths disagree at instruction \(pc)") }
                depth = incoming
                reachable = true
            }
            guard reachable else { continue }
            for (operand, value) in [(info.a, instruction.a), (info.b, instruction.b)] {
                try verifyOperand(operand, value, pc: pc, programEnd: end, route: route, routeIndex: index)
            }
            guard depth >= info.pops else { throw .malformed("instruction \(pc) pops an empty stack") }
            switch instruction.opcode {
            case .jumpIfFalse, .jumpIfTrue:
                guard depth >= 1 else { throw .malformed("instruction \(pc) tests an empty stack") }
                let target = Int(instruction.a) - start
                if depths[target] >= 0, depths[target] != depth { throw .malformed("stack depths disagree at a jump from \(pc)") }
                depths[target] = depth
                depth -= 1
            default:
                depth += info.pushes - info.pops
            }
            guard depth <= Self.maxStackDepth else { throw .malformed("program of `\(route.key)` needs a deeper stack than \(Self.maxStackDepth)") }
            if info.isTerminal { reachable = false }
        }
        guard !reachable, code[end - 1].opcode.info.isTerminal else {
            throw .malformed("program of `\(route.key)` does not end in a decision")
        }
    }

    private func verifyOperand(_ operand: Opcode.Operand, _ value: UInt32, pc: Int, programEnd: Int, route: RouteEntry, routeIndex: Int) throws(ArtifactError) {
        let v = Int(value)
        let ok: Bool = switch operand {
        case .none: value == 0
        case .authenticators: value >> (auth.issuers.count + 1) == 0 && value != 0
        case .flag: value <= 1
        case .constant: v < constants.count
        case .string: v < strings.count
        case .attribute: Attribute(rawValue: value) != nil
        case .parameter: v < route.parameters.count
        case .target: v > pc && v <= programEnd - 1
        case .limit: v < limits.count
        case .csrf: v < settings.csrf.count
        case .status: (100...599).contains(v)
        case .size, .milliseconds: true
        case .route: v == routeIndex && route.upstreamPath != nil
        case .fixedResponse: v < settings.fixedResponses.count
        case .service: v < services.count
        }
        guard ok else { throw .malformed("instruction \(pc) (\(code[pc].opcode.info.mnemonic)) has a bad operand \(value)") }
    }

    private func check(_ start: UInt32, _ count: UInt32, within limit: Int, _ what: String) throws(ArtifactError) {
        guard Int(start) + Int(count) <= limit else { throw .malformed("\(what) range out of bounds") }
    }
}
