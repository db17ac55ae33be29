/// Whole numbers with a unit suffix (`250ms`, `64KiB`), shared by durations and sizes.
struct UnitScale {
    /// Suffixes from the smallest unit up, with how many base units each is worth.
    let units: [(suffix: String, factor: Int64)]

    /// `<digits><unit>`: no sign, no fraction, no spaces; nil on overflow.
    func parse(_ text: String) -> Int64? {
        let digits = text.prefix { $0.isASCII && $0.isNumber }
        guard !digits.isEmpty, digits.count <= 18, let number = Int64(digits) else { return nil }
        let suffix = text.dropFirst(digits.count)
        guard let unit = units.first(where: { $0.suffix == suffix }), number <= Int64.max / unit.factor else { return nil }
        return number * unit.factor
    }

    /// The largest unit that expresses `value` exactly, e.g. `1500ms`, `2s`, `64KiB`.
    func format(_ value: Int64) -> String {
        for unit in units.reversed() where value != 0 && value % unit.factor == 0 {
            return "\(value / unit.factor)\(unit.suffix)"
        }
        return "\(value)\(units[0].suffix)"
    }
}
