import ArgumentParser
import Foundation
import Notebook

/// The title on every page.
let courseTitle = "Latent Variable Models: from Factor Analysis to the VAE"

struct Build: ParsableCommand {
  static let configuration = CommandConfiguration(
    abstract: "Run every chapter and write the static site (the previous site stays if anything fails).")

  @Argument(help: "Chapters to build (default: chapters/*.md).")
  var chapters: [String] = []

  @Option(
    name: .long, help: "Where to write the site (default: site/; student edition: student/, with chapters/ and site/).")
  var out: String?

  @Option(help: "The course title shown on every page.")
  var title = courseTitle

  @Flag(help: .hidden)
  var noLinkCheck = false

  @OptionGroup var common: CommonOptions

  func run() throws {
    let start = Date()
    let engine = try common.engine()
    let paths = try common.chapters(chapters, root: engine.root)
    var out = self.out ?? "site"
    if engine.edition == .student {
      let base = self.out ?? "student"
      try StudentEditionWriter.writeChapters(paths, root: engine.root, into: base + "/chapters")
      out = base + "/site"
    }
    let renderer = try common.renderer()
    var outcomes = engine.evaluate(paths) { Report.progress($0) }
    let (files, siteProblems) = try siteOrFailure {
      try engine.site(
        for: &outcomes, renderer: renderer, assets: SiteAssets.files(katexDist: renderer.katexDist), course: title,
        checkLinks: !noLinkCheck)
    }
    Report.diagnostics(outcomes)
    siteProblems.forEach { printError("\($0)") }
    let failed = outcomes.filter { !$0.passed }
    let seconds = String(format: "%.1f", Date().timeIntervalSince(start))
    guard failed.isEmpty, siteProblems.isEmpty else {
      printError(
        "notebook: \(failed.count) of \(outcomes.count) chapters failed; \(out)/ was left as it was (\(seconds) s)")
      throw ExitCode.failure
    }
    try SiteWriter.write(files: files, to: out)
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
    let paths = try common.chapters(chapters, root: engine.root)
    var outcomes = engine.evaluate(paths) { Report.progress($0) }
    // Render in memory too, so LaTeX errors and broken links fail the check like the build.
    let renderer = try common.renderer()
    let siteProblems = try siteOrFailure {
      try engine.site(
        for: &outcomes, renderer: renderer, assets: SiteAssets.files(katexDist: renderer.katexDist),
        course: courseTitle
      ).problems
    }
    Report.diagnostics(outcomes)
    siteProblems.forEach { printError("\($0)") }
    let checks = outcomes.flatMap(\.checks)
    let failedChecks = checks.filter { !$0.passed }.count
    let failedChapters = outcomes.filter { !$0.passed }.count
    print("chapters: \(outcomes.count - failedChapters) passed, \(failedChapters) failed")
    print("checks: \(checks.count - failedChecks) passed, \(failedChecks) failed")
    var exercisesFailed = 0
    if engine.edition == .student {
      exercisesFailed = Report.exerciseScores(outcomes)
    }
    if failedChapters > 0 || !siteProblems.isEmpty || exercisesFailed > 0 { throw ExitCode.failure }
  }
}

/// Runs a site-rendering step, turning a missing or failing node, KaTeX or asset into a
/// `notebook: error:` line and exit status 1.
func siteOrFailure<T>(_ body: () throws -> T) throws -> T {
  do {
    return try body()
  } catch let error as ToolchainError {
    throw failure(error.description)
  }
}

/// Writes the student edition's Markdown: solutions cut out, data alongside.
enum StudentEditionWriter {
  static func writeChapters(_ paths: [String], root: String, into folder: String) throws {
    let manager = FileManager.default
    try? manager.removeItem(atPath: folder)
    try manager.createDirectory(atPath: folder, withIntermediateDirectories: true)
    for path in paths {
      let source = try String(contentsOfFile: path.hasPrefix("/") ? path : root + "/" + path, encoding: .utf8)
      let name = (path as NSString).lastPathComponent
      try StudentEdition.strip(source).write(toFile: folder + "/" + name, atomically: true, encoding: .utf8)
    }
    let data = root + "/chapters/data"
    if manager.fileExists(atPath: data) { try manager.copyItem(atPath: data, toPath: folder + "/data") }
  }
}
