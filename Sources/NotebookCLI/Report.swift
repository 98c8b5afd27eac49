import Foundation
import Notebook

/// Progress and diagnostics on stderr.
enum Report {
  static func progress(_ outcome: ChapterOutcome) {
    let style = TerminalStyle()
    let checks = outcome.checks
    let passed = checks.filter(\.passed).count
    // A tick only for a chapter with no error and no failed check (a student's open exercise
    // is a failed grade, not an error, and gets no tick either).
    let mark = outcome.passed && passed == checks.count ? style.green("✓") : style.red("✗")
    var how = outcome.result?.cached == true ? " (cached)" : ""
    if let resumed = outcome.result?.resumed {
      how = String(format: " (resumed after line %d, %.1f s of blocks skipped)", resumed.line, resumed.skippedSeconds)
    }
    printError("\(mark) \(outcome.path): \(passed)/\(checks.count) checks\(how)")
  }

  /// Prints each exercise's verdict and `exercises: N of M solved`; returns how many exercises
  /// are not solved yet. An exercise is solved when it was graded and every grade passed.
  @discardableResult
  static func exerciseScores(_ outcomes: [ChapterOutcome]) -> Int {
    let style = TerminalStyle(for: STDOUT_FILENO)
    var open = 0
    var total = 0
    for outcome in outcomes {
      guard let chapter = outcome.chapter else { continue }
      for exercise in chapter.exercises {
        let grades = outcome.checks.filter { $0.exercise == exercise }
        total += 1
        let failed = grades.first { !$0.passed }
        let solved = failed == nil && !grades.isEmpty
        if !solved { open += 1 }
        let verdict: String
        if solved {
          verdict = style.green("✓") + " solved"
        } else if let failed {
          verdict = style.red("✗") + " \(failed.detail ?? "not yet the expected answer") (your value: \(failed.value))"
        } else {
          verdict = style.red("✗") + " not graded (the chapter stopped before its grade)"
        }
        print("exercise \(exercise) (\(outcome.path)): \(verdict)")
      }
    }
    print("exercises: \(total - open) of \(total) solved")
    return open
  }

  /// What refreshing a student workspace did, and every file it left alone because it changed.
  static func workspace(_ report: StudentWorkspace.WriteReport, folder: String) {
    printError(
      "notebook: \(folder)/: \(report.written.count) files written, \(report.current.count) already up to date, "
        + "\(report.kept.count) changed by the student and kept")
    for path in report.kept {
      printError("notebook: kept \(folder)/\(path) (changed since it was generated; delete it to get a fresh copy)")
    }
  }

  static func diagnostics(_ outcomes: [ChapterOutcome]) {
    let style = TerminalStyle()
    for outcome in outcomes {
      for diagnostic in inReadingOrder(outcome.diagnostics) { printError(style.diagnostic(diagnostic)) }
    }
  }

  /// Diagnostics by line, column and message, so that every command prints them in one order
  /// whatever stage found them.
  static func inReadingOrder(_ diagnostics: [Diagnostic]) -> [Diagnostic] {
    diagnostics.enumerated().sorted { a, b in
      let (x, y) = (a.element, b.element)
      if x.location.line != y.location.line { return x.location.line < y.location.line }
      if x.location.column != y.location.column { return x.location.column < y.location.column }
      if x.message != y.message { return x.message < y.message }
      return a.offset < b.offset
    }.map(\.element)
  }
}

/// ANSI colour when the stream is a terminal that wants it (`NO_COLOR` and `TERM=dumb` turn it off).
struct TerminalStyle {
  let enabled: Bool

  /// Styling for text written to `descriptor` (stderr unless told otherwise).
  init(for descriptor: Int32 = STDERR_FILENO) {
    let environment = ProcessInfo.processInfo.environment
    enabled = isatty(descriptor) == 1 && environment["NO_COLOR"] == nil && environment["TERM"] != "dumb"
  }

  private func paint(_ code: String, _ text: String) -> String {
    enabled ? "\u{1B}[\(code)m\(text)\u{1B}[0m" : text
  }
  func red(_ text: String) -> String { paint("31", text) }
  func green(_ text: String) -> String { paint("32", text) }
  func dim(_ text: String) -> String { paint("2", text) }

  func diagnostic(_ diagnostic: Diagnostic) -> String {
    let head = "\(diagnostic.location): "
    let label = diagnostic.severity == .error ? red("error:") : paint("33", "\(diagnostic.severity.rawValue):")
    return ([head + label + " " + diagnostic.message] + diagnostic.details).joined(separator: "\n")
  }
}
