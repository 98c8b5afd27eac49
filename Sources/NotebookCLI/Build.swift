import ArgumentParser
import Foundation
import Notebook

struct Build: ParsableCommand {
  static let configuration = CommandConfiguration(
    abstract: "Run every chapter and write the static site (the previous site stays if anything fails).")

  @Argument(help: "Chapters to build (default: chapters/*.md).")
  var chapters: [String] = []

  @Option(name: .long, help: "Where to write the site.")
  var out = "site"

  @Option(help: "The course title shown on every page.")
  var title = "Latent Variable Models: from Factor Analysis to the VAE"

  @OptionGroup var common: CommonOptions

  func run() throws {
    let start = Date()
    let engine = try common.engine()
    let paths = common.chapters(chapters, root: engine.root)
    guard !paths.isEmpty else { throw CleanExit.failure("notebook: error: no chapters found in chapters/") }
    let katex: KaTeX
    do { katex = try KaTeX.locate() } catch let error as ToolchainError {
      throw CleanExit.failure("notebook: error: \(error.description)")
    }
    var outcomes = engine.evaluate(paths) { Report.progress($0) }
    let math = try engine.renderMath(&outcomes, katex: katex)
    let failed = outcomes.filter { !$0.passed }
    Report.diagnostics(outcomes)
    let seconds = String(format: "%.1f", Date().timeIntervalSince(start))
    guard failed.isEmpty else {
      printError(
        "notebook: \(failed.count) of \(outcomes.count) chapters failed; \(out)/ was left as it was (\(seconds) s)")
      throw ExitCode.failure
    }
    let files = engine.renderSite(outcomes, math: math, course: title)
    try SiteWriter.write(files: files, katexDist: katex.distDirectory, to: out)
    let pages = files.keys.filter { $0.hasSuffix(".html") }.count
    printError("notebook: wrote \(out)/ (\(pages) pages) in \(seconds) s")
  }
}

struct Check: ParsableCommand {
  static let configuration = CommandConfiguration(
    abstract: "Run every chapter's checks; print failures as path:line:col: error: message.")

  @Argument(help: "Chapters to check (default: chapters/*.md).")
  var chapters: [String] = []

  @OptionGroup var common: CommonOptions

  func run() throws {
    let engine = try common.engine()
    let paths = common.chapters(chapters, root: engine.root)
    guard !paths.isEmpty else { throw CleanExit.failure("notebook: error: no chapters found in chapters/") }
    var outcomes = engine.evaluate(paths) { Report.progress($0) }
    do {
      _ = try engine.renderMath(&outcomes, katex: KaTeX.locate())
    } catch let error as ToolchainError {
      throw CleanExit.failure("notebook: error: \(error.description)")
    }
    Report.diagnostics(outcomes)
    let checks = outcomes.flatMap(\.checks)
    let failedChecks = checks.filter { !$0.passed }.count
    let failedChapters = outcomes.filter { !$0.passed }.count
    print("chapters: \(outcomes.count - failedChapters) passed, \(failedChapters) failed")
    print("checks: \(checks.count - failedChecks) passed, \(failedChecks) failed")
    if failedChapters > 0 { throw ExitCode.failure }
  }
}
