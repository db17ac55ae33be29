/// Storage that copies of a value share until one of them changes it, so passing a
/// request or a principal along costs one reference count rather than one per field
/// (they are copied into contexts, plans and exchanges on every request).
/// Unchecked Sendable: the box is only mutated through `CopyOnWriteBox.mutate`, which
/// first makes it unique, so no box reachable from two values is ever written.
final class CopyOnWriteBox<Value: Sendable>: @unchecked Sendable {
    private(set) var value: Value

    init(_ value: Value) { self.value = value }

    /// Changes `box`'s value, copying it first if another value shares it.
    static func mutate(_ box: inout CopyOnWriteBox, _ change: (inout Value) -> Void) {
        if !isKnownUniquelyReferenced(&box) { box = CopyOnWriteBox(box.value) }
        change(&box.value)
    }
}
