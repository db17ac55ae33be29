/// What changed in behaviour between two artifacts, in words, for pull-request review.
/// Instruction numbers and spec locations are ignored: moving a route in the specs
/// is not a change, changing what it does is.
public struct ArtifactDiff: Sendable {
    public let old: Artifact
    public let new: Artifact

    public init(old: Artifact, new: Artifact) {
        self.old = old
        self.new = new
    }

    /// Empty when the two behave the same.
    public func report() -> String {
        var out = ""
        routes(&out)
        tables(&out)
        return out
    }

    private static func routeKey(_ route: RouteEntry) -> String {
        route.host.map { "\(route.key) (host \($0))" } ?? route.key
    }

    private func routes(_ out: inout String) {
        let before = Dictionary(old.routes.map { (Self.routeKey($0), $0) }, uniquingKeysWith: { a, _ in a })
        let after = Dictionary(new.routes.map { (Self.routeKey($0), $0) }, uniquingKeysWith: { a, _ in a })
        let added = after.keys.filter { before[$0] == nil }.sorted()
        let removed = before.keys.filter { after[$0] == nil }.sorted()
        if !added.isEmpty { out += "routes added:\n" + added.map { "  + \($0)\n" }.joined() }
        if !removed.isEmpty { out += "routes removed:\n" + removed.map { "  - \($0)\n" }.joined() }
        var changed = ""
        for key in before.keys.filter({ after[$0] != nil }).sorted() {
            guard let a = before[key], let b = after[key] else { continue }
            let (x, y) = (Disassembler(old).semanticLines(for: a), Disassembler(new).semanticLines(for: b))
            guard x != y else { continue }
            changed += "  ~ \(key)\n"
            for line in x where !y.contains(line) { changed += "      - \(line)\n" }
            for line in y where !x.contains(line) { changed += "      + \(line)\n" }
        }
        if !changed.isEmpty { out += "routes changed:\n" + changed }
    }

    private func tables(_ out: inout String) {
        let (a, b) = (Disassembler(old).namedTables(), Disassembler(new).namedTables())
        var lines = ""
        for key in Set(a.keys).union(b.keys).sorted() {
            switch (a[key], b[key]) {
            case (nil, let value?): lines += "  + \(key): \(value)\n"
            case (let value?, nil): lines += "  - \(key): \(value)\n"
            case (let x?, let y?) where x != y: lines += "  ~ \(key): \(x)\n      -> \(y)\n"
            default: break
            }
        }
        if !lines.isEmpty { out += "services, auth, roles and settings changed:\n" + lines }
    }
}
