import ArgumentParser
import Foundation
import Notebook
import NotebookEvents

struct Run: ParsableCommand {
  static let configuration = CommandConfiguration(
    abstract: "Run one chapter in the terminal: each block's output and checks, then a verdict.")

  @Argument(help: "The chapter to run.")
  var chapter: String

  @OptionGroup var common: CommonOptions

  func run() throws {
    let start = Date()
    let engine = try common.engine(for: [chapter])
    var outcomes = [engine.evaluate(chapter)]
    // The page is rendered in memory as `check` and `build` render it, so a LaTeX error, an
    // unknown citation or reference and a broken link fail a run as they fail those.
    try renderInMemory(engine, &outcomes, renderer: common.renderer())
    let outcome = outcomes[0]
    let style = TerminalStyle(for: STDOUT_FILENO)
    if let chapterValue = outcome.chapter, let result = outcome.result {
      for cell in chapterValue.cells where cell.runs {
        let block = result.blocks[cell.index]
        guard block.ran else { continue }
        print(style.dim("── \(chapterValue.path):\(cell.fenceLine) ──"))
        if !block.output.isEmpty { print(block.output, terminator: block.output.hasSuffix("\n") ? "" : "\n") }
        if block.truncatedBytes > 0 { print(style.red("… \(block.truncatedBytes) more bytes not shown")) }
        for figure in block.figures {
          if figure.format == .table, let table = try? JSONDecoder().decode(TablePayload.self, from: figure.data) {
            print(style.dim("[table: \(figure.caption ?? table.summary)]"))
            print(table.plainText)
          } else if figure.format == .explorable {
            print(style.dim("[figure, explorable: \(figure.altText)]"))
          } else {
            print(style.dim("[figure: \(figure.altText)]"))
          }
        }
        for check in result.checks where check.cell == cell.index {
          let mark = check.passed ? style.green("✓") : style.red("✗")
          let detail = check.detail.map { " (\($0))" } ?? ""
          if check.kind == .output {
            print("\(mark) output \(check.value) (\(check.expectation))\(detail)")
          } else {
            print("\(mark) \(check.label) = \(check.value), expected \(check.expectation)\(detail)")
          }
        }
      }
    }
    if let resumed = outcome.result?.resumed {
      let section = resumed.section.map { " (\($0))" } ?? ""
      print(
        style.dim(
          "resumed after \(chapter):\(resumed.line)\(section): "
            + String(format: "%.1f s of blocks skipped", resumed.skippedSeconds)))
    }
    Report.diagnostics([outcome])
    // The student's score: exit status 0 only when every exercise is solved too.
    let openExercises = engine.edition == .student ? Report.exerciseScores([outcome]) : 0
    let checks = outcome.checks
    let passed = checks.filter(\.passed).count
    let seconds = String(format: "%.2f", Date().timeIntervalSince(start))
    let timing =
      outcome.result.map { result in
        result.cached
          ? ", cached"
          : String(format: ": compile %.2f s, run %.2f s", result.compileSeconds, result.runSeconds)
      } ?? ""
    let summary =
      "\(chapter): \(passed) of \(checks.count) checks passed, \(outcome.errors.count) errors (\(seconds) s\(timing))"
    if outcome.passed && openExercises == 0 {
      print(style.green("PASS") + " " + summary)
    } else {
      print(style.red("FAIL") + " " + summary)
      throw ExitCode.failure
    }
  }
}
