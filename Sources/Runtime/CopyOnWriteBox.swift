/// Storage that copies of a value share until one of them changes it, so passing a
/// request or a principal along costs one reference count rather than one per field
/// (they are copied into contexts, plans and exchanges on every request).
/// Unchecked Sendable: the box is only mutated through `CopyOnWriteBox.mutate`, which
/// first makes it unique, so no box reachable from two values is ever written.
/// For the same reason no access to `value` can overlap a write to it, so the
/// runtime's exclusivity check (a call into the runtime on every read of a request's
/// header or a principal's roles, some dozen per decision) is turned off for it.
final class CopyOnWriteBox<Value: Sendable>: @unchecked Sendable {
    @exclusivity(unchecked) private(set) var value: Value

    init(_ value: Value) { self.value = value }

    /// Changes `box`'s value, copying it first if another value shares it.
    static func mutate(_ box: inout CopyOnWriteBox, _ change: (inout Value) -> Void) {
        if !isKnownUniquelyReferenced(&box) { box = CopyOnWriteBox(box.value) }
        change(&box.value)
    }
}
