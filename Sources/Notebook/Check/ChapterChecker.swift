import Foundation
import NotebookEvents

/// Turns a chapter's results into verdicts: compares expected outputs, and reports failed
/// checks, printed NaNs, labels used twice (of equations, figures and checks) and links or raw
/// HTML that could run script (`UnsafeMarkup`) as diagnostics at their Markdown lines.
public enum ChapterChecker {
  public static func check(_ chapter: Chapter, result: inout ChapterResult) {
    checkOutputs(chapter, result: &result)
    checkLabels(chapter, result: &result)
    checkExplorableSizes(chapter, result: &result)
    checkCheckLabels(result: &result)
    result.diagnostics += UnsafeMarkup.errors(chapter)
    result.diagnostics += ProseNumbers.warnings(chapter)
  }

  private static func checkOutputs(_ chapter: Chapter, result: inout ChapterResult) {
    for cell in chapter.cells where cell.runs {
      let block = result.blocks[cell.index]
      // A block that trapped, timed out or hit the output cap has its own error; its output
      // stopped short, so comparing it would only add a second, misleading one.
      guard block.ran, block.error == nil else { continue }
      if let expected = cell.expectedOutput {
        let mismatch = OutputComparison.compare(
          expected: expected.text, actual: block.output, tolerance: expected.tolerance,
          absoluteTolerance: expected.absoluteTolerance)
        // A difference past the expected text is at the closing fence, or at the last line of a
        // block that is never closed.
        let location = SourceLocation(
          file: chapter.path, line: min(expected.fenceLine + 1 + (mismatch?.line ?? 0), expected.lastLine))
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
      var detail = check.detail.map { " (\($0))" } ?? ""
      if let digest = check.valueDigest {
        detail += "; the digest of this value, for `answer:`, is \(digest)"
      }
      result.diagnostics.append(
        Diagnostic(
          at: check.location,
          "check failed: \(check.label): got \(check.value), expected \(check.expectation)\(detail)"))
    }
  }

  private static func indent(_ text: String) -> [String] {
    text.split(separator: "\n", omittingEmptySubsequences: false).prefix(40).map { "    " + $0 }
  }

  /// Each label names one equation, figure or table, in a form prose can refer to (whether each
  /// reference names one is Resolve's check).
  private static func checkLabels(_ chapter: Chapter, result: inout ChapterResult) {
    func error(_ line: Int, _ message: String) {
      result.diagnostics.append(Diagnostic(at: SourceLocation(file: chapter.path, line: line), message))
    }
    var seen: Set<String> = []
    for (line, label) in chapter.displayLabels where !seen.insert(label).inserted {
      error(line, "the label `\(label)` is used twice")
    }
    for block in result.blocks {
      for figure in block.figures {
        guard let label = figure.label else { continue }
        let line = displayLine(figure, in: block, of: chapter)
        let (kind, prefix) = figure.format == .table ? ("table", "tbl-") : ("figure", "fig-")
        if !isReferable(label, prefix: prefix) {
          error(
            line,
            "the \(kind) label `\(label)` cannot be referred to: it must be `\(prefix)` followed by letters, "
              + "digits, - or _ (prose writes @\(prefix)name)")
        } else if !seen.insert(label).inserted {
          error(line, "the label `\(label)` is used twice")
        }
      }
    }
  }

  /// The most an explorable figure's frames may take: a reader loads them all with the page.
  static let explorableLimitBytes = 300 << 10

  /// A warning for an explorable figure whose frames (the files the site writes for it, the
  /// default frame included) exceed `explorableLimitBytes`.
  private static func checkExplorableSizes(_ chapter: Chapter, result: inout ChapterResult) {
    for block in result.blocks {
      for figure in block.figures where figure.format == .explorable {
        guard let payload = try? JSONDecoder().decode(ExplorablePayload.self, from: figure.data) else { continue }
        let files = FigureMarkup.explorable(payload, base: "f", number: 1, caption: nil, id: "f").files
        let bytes = files.values.reduce(0) { $0 + $1.count }
        guard bytes > explorableLimitBytes else { continue }
        let line = displayLine(figure, in: block, of: chapter)
        result.diagnostics.append(
          Diagnostic(
            .warning, at: SourceLocation(file: chapter.path, line: line),
            "the \(payload.frames.count) frames of this explorable figure take \(bytes >> 10) KiB; keep them under "
              + "\(explorableLimitBytes >> 10) KiB (fewer values, or frames with less in them)"))
      }
    }
  }

  /// The Markdown line of a figure's `display` call (its block's fence for a result cached
  /// before figures carried lines).
  private static func displayLine(_ figure: Figure, in block: BlockResult, of chapter: Chapter) -> Int {
    figure.line ?? (chapter.cells.indices.contains(block.cell) ? chapter.cells[block.cell].fenceLine : 1)
  }

  /// Whether prose can refer to `label`: `Numbering.referencePattern` reads all of `@label` as
  /// one reference, and the label has the prefix of its kind.
  private static func isReferable(_ label: String, prefix: String) -> Bool {
    let text = "@" + label
    guard label.hasPrefix(prefix),
      let match = Numbering.referencePattern.firstMatch(in: text, range: NSRange(text.startIndex..., in: text))
    else { return false }
    return match.range == NSRange(text.startIndex..., in: text)
  }

  /// A check's label names one call: the same label at a second line is an error there (a
  /// call in a loop, at one line, may check many times).
  private static func checkCheckLabels(result: inout ChapterResult) {
    var firstLine: [String: SourceLocation] = [:]
    var reported: Set<SourceLocation> = []
    for check in result.checks where check.kind == .check {
      guard let first = firstLine[check.label] else {
        firstLine[check.label] = check.location
        continue
      }
      guard first.file != check.location.file || first.line != check.location.line,
        reported.insert(check.location).inserted
      else { continue }
      result.diagnostics.append(
        Diagnostic(
          at: check.location,
          "the check label `\(check.label)` is already used at line \(first.line); give each check its own"))
    }
  }
}
