/// Turns a chapter's results into verdicts: compares expected outputs, and reports failed
/// checks and printed NaNs as diagnostics at their Markdown lines.
public enum ChapterChecker {
  public static func check(_ chapter: Chapter, result: inout ChapterResult) {
    for cell in chapter.cells where cell.runs {
      let block = result.blocks[cell.index]
      guard block.ran else { continue }
      if let expected = cell.expectedOutput {
        let mismatch = OutputComparison.compare(
          expected: expected.text, actual: block.output, tolerance: expected.tolerance,
          absoluteTolerance: expected.absoluteTolerance)
        let location = SourceLocation(
          file: chapter.path, line: expected.fenceLine + 1 + (mismatch?.line ?? 0))
        result.checks.append(
          CheckResult(
            kind: .output, label: "output of the block at line \(cell.fenceLine)",
            value: mismatch == nil ? "matches" : "differs",
            expectation: "expected output, relative tolerance \(expected.tolerance)"
              + (expected.absoluteTolerance > 0 ? ", absolute \(expected.absoluteTolerance)" : ""),
            passed: mismatch == nil, detail: mismatch?.message, location: location, cell: cell.index))
        if let mismatch {
          result.diagnostics.append(
            Diagnostic(
              at: location, "output differs from the expected output: \(mismatch.message)",
              details: ["expected:"] + indent(expected.text) + ["printed:"] + indent(block.output)))
        }
      } else if OutputComparison.tokens(block.output).contains(where: {
        if case .number(let x, _) = $0 { return x.isNaN }
        return false
      }) {
        result.diagnostics.append(
          Diagnostic(
            at: SourceLocation(file: chapter.path, line: cell.fenceLine),
            "the block printed NaN", details: indent(block.output)))
      }
    }
    // In the student edition a failed grade is a score, not an error.
    let gradesAreErrors = chapter.edition == .instructor
    for check in result.checks where check.kind == .check && !check.passed {
      if check.exercise != nil && !gradesAreErrors { continue }
      let detail = check.detail.map { " (\($0))" } ?? ""
      result.diagnostics.append(
        Diagnostic(
          at: check.location,
          "check failed: \(check.label): got \(check.value), expected \(check.expectation)\(detail)"))
    }
  }

  private static func indent(_ text: String) -> [String] {
    text.split(separator: "\n", omittingEmptySubsequences: false).prefix(40).map { "    " + $0 }
  }
}
