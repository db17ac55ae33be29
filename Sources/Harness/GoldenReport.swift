import Foundation
import Artifact

/// Prints a run's results: readable text for people, JUnit XML for CI.
public struct GoldenReport {
    public let artifact: Artifact
    public let results: [GoldenRunner.CaseResult]
    public let coverage: GoldenRunner.Coverage

    public init(artifact: Artifact, results: [GoldenRunner.CaseResult], coverage: GoldenRunner.Coverage) {
        self.artifact = artifact
        self.results = results
        self.coverage = coverage
    }

    public var routeCoverage: Double {
        artifact.routes.isEmpty ? 100 : 100 * Double(coverage.routesReached.count) / Double(artifact.routes.count)
    }

    public var instructionCoverage: Double {
        artifact.code.isEmpty ? 100 : 100 * Double(coverage.instructionsRun.count) / Double(artifact.code.count)
    }

    public var branchCoverage: Double {
        let jumps = artifact.code.filter { $0.opcode == .jumpIfFalse || $0.opcode == .jumpIfTrue }.count
        return jumps == 0 ? 100 : 100 * Double(coverage.branches.count) / Double(2 * jumps)
    }

    public func text(showCoverage: Bool) -> String {
        var out = ""
        for result in results where !result.passed {
            out += "FAIL \(result.name)  (\(result.file):\(result.line))\n"
            for failure in result.failures { out += "  \(failure)\n" }
            out += "\n"
        }
        let failed = results.filter { !$0.passed }.count
        out += "\(results.count - failed) passed, \(failed) failed\n"
        out += String(format: "coverage: routes %.1f%% (%d/%d), instructions %.1f%%, branches %.1f%%\n", routeCoverage,
                      coverage.routesReached.count, artifact.routes.count, instructionCoverage, branchCoverage)
        if showCoverage { out += uncovered() }
        return out
    }

    /// Routes, instructions and branches no case reached, with their spec lines.
    public func uncovered() -> String {
        var out = ""
        let disassembler = Disassembler(artifact)
        for (index, route) in artifact.routes.enumerated() {
            let missing = (Int(route.programStart)..<Int(route.programStart + route.programLength)).filter { pc in
                !coverage.instructionsRun.contains(pc)
                    || ([.jumpIfFalse, .jumpIfTrue].contains(artifact.code[pc].opcode) && !(coverage.branches.contains([pc, 0]) && coverage.branches.contains([pc, 1])))
            }
            if !coverage.routesReached.contains(index) {
                out += "route not reached: \(route.key)  ; \(artifact.location(route.location))\n"
            } else if !missing.isEmpty {
                out += "route \(route.key): not covered\n"
                for pc in missing {
                    let branch = [.jumpIfFalse, .jumpIfTrue].contains(artifact.code[pc].opcode) && coverage.instructionsRun.contains(pc)
                    out += "  " + disassembler.line(pc, route: route) + (branch ? "  (one branch only)" : "") + "\n"
                }
            }
        }
        return out
    }

    public func junit() -> String {
        let failed = results.filter { !$0.passed }.count
        var out = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
        out += "<testsuite name=\"golden\" tests=\"\(results.count)\" failures=\"\(failed)\">\n"
        for result in results {
            out += "  <testcase classname=\"\(escape(result.file))\" name=\"\(escape(result.name))\""
            if result.passed {
                out += "/>\n"
            } else {
                out += ">\n    <failure message=\"\(escape(result.failures.first ?? ""))\">\(escape(result.failures.joined(separator: "\n")))</failure>\n  </testcase>\n"
            }
        }
        return out + "</testsuite>\n"
    }

    private func escape(_ text: String) -> String {
        text.replacingOccurrences(of: "&", with: "&amp;").replacingOccurrences(of: "<", with: "&lt;")
            .replacingOccurrences(of: ">", with: "&gt;").replacingOccurrences(of: "\"", with: "&quot;")
    }
}
