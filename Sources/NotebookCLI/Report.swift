import Foundation
import Notebook

/// Progress and diagnostics on stderr.
enum Report {
  static func progress(_ outcome: ChapterOutcome) {
    let style = TerminalStyle()
    let checks = outcome.checks
    let passed = checks.filter(\.passed).count
    let mark = outcome.passed ? style.green("✓") : style.red("✗")
    let cached = outcome.result?.cached == true ? " (cached)" : ""
    printError("\(mark) \(outcome.path): \(passed)/\(checks.count) checks\(cached)")
  }

  /// Prints each exercise's score (grades passed of grades made) and returns how many exercises
  /// are not fully solved.
  static func exerciseScores(_ outcomes: [ChapterOutcome]) -> Int {
    let style = TerminalStyle(for: STDOUT_FILENO)
    var failed = 0
    var total = 0
    for outcome in outcomes {
      guard let chapter = outcome.chapter else { continue }
      for exercise in chapter.exercises {
        let grades = outcome.checks.filter { $0.exercise == exercise }
        let passed = grades.filter(\.passed).count
        total += 1
        let solved = passed == grades.count && !grades.isEmpty
        if !solved { failed += 1 }
        let mark = solved ? style.green("✓") : style.red("✗")
        print("\(mark) exercise \(exercise) (\(outcome.path)): \(passed)/\(grades.count)")
      }
    }
    print("exercises: \(total - failed) passed, \(failed) failed")
    return failed
  }

  static func diagnostics(_ outcomes: [ChapterOutcome]) {
    let style = TerminalStyle()
    for outcome in outcomes {
      for diagnostic in outcome.diagnostics.sorted(by: { $0.location.line < $1.location.line }) {
        printError(style.diagnostic(diagnostic))
      }
    }
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
