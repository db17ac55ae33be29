/// The text of one spec file split into lines of Unicode scalars, the unit libyaml
/// counts columns in. Immutable and shared by every scalar read from the file.
public final class SourceText: Sendable {
    public let file: String
    public let lines: [[Unicode.Scalar]]

    public init(file: String, text: String) {
        self.file = file
        var lines: [[Unicode.Scalar]] = [[]]
        for scalar in text.unicodeScalars {
            if scalar == "\n" {
                lines.append([])
            } else if scalar != "\r" {
                lines[lines.count - 1].append(scalar)
            }
        }
        self.lines = lines
    }

    /// Line `number` (1-based) as a string, or nil past the end.
    public func line(_ number: Int) -> String? {
        guard number >= 1, number <= lines.count else { return nil }
        var text = String.UnicodeScalarView()
        text.append(contentsOf: lines[number - 1])
        return String(text)
    }
}
