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
    let engine = try common.engine(for: chapters)
    var paths = try common.chapters(chapters, root: engine.root)
    if let out = self.out {
      // The site replaces its folder whole: never the course (or a student's workspace) itself.
      let target = URL(fileURLWithPath: absolute(out, engine.root)).standardizedFileURL.path
      let root = URL(fileURLWithPath: engine.root).standardizedFileURL.path
      if root == target || root.hasPrefix(target.hasSuffix("/") ? target : target + "/") {
        throw failure("--out \(out) holds the course itself; name a folder inside it or elsewhere")
      }
    }
    var out = self.out ?? "site"
    if engine.edition == .student, !StudentWorkspace.exists(at: engine.root) {
      // The instructor's student edition: a workspace (by default student/) refreshed from the
      // course's chapters, and its site built from every chapter in it, the students' or not.
      let owner = chapters.isEmpty ? nil : StudentWorkspace.containing(chapter: absolute(paths[0], engine.root))
      let base = owner.map { Self.relative($0.folder, to: engine.root) } ?? self.out ?? "student"
      let workspace = owner ?? StudentWorkspace(folder: absolute(base, engine.root))
      if owner == nil {
        let report = try workspaceOrFailure {
          try workspace.write(
            chapters: paths.map { absolute($0, engine.root) }, dataFolder: engine.root + "/chapters/data",
            libraryDirectory: engine.toolchain.libraryDirectory)
        }
        Report.workspace(report, folder: base)
      }
      paths = workspace.chapters.map { base + "/" + $0 }
      out = owner == nil ? base + "/site" : self.out ?? base + "/site"
    }
    let renderer = try common.renderer()
    var outcomes = engine.evaluate(paths) { Report.progress($0) }
    let files = try siteOrFailure {
      try engine.site(
        for: &outcomes, renderer: renderer, assets: SiteAssets.files(katexDist: renderer.katexDist), course: title,
        checkLinks: !noLinkCheck)
    }
    Report.diagnostics(outcomes)
    let failed = outcomes.filter { !$0.passed }
    let seconds = String(format: "%.1f", Date().timeIntervalSince(start))
    guard failed.isEmpty else {
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

  @Flag(help: "Fail on warnings too (a number typed into prose, a compiler warning).")
  var strict = false

  @OptionGroup var common: CommonOptions

  func run() throws {
    let engine = try common.engine(for: chapters)
    let paths = try common.chapters(chapters, root: engine.root)
    var outcomes = engine.evaluate(paths) { Report.progress($0) }
    // Resolve and typeset too, so LaTeX errors and broken links fail the check like the build.
    try renderInMemory(engine, &outcomes, renderer: common.renderer())
    Report.diagnostics(outcomes)
    let checks = outcomes.flatMap(\.checks)
    let failedChecks = checks.filter { !$0.passed }.count
    let failedChapters = outcomes.filter { !$0.passed }.count
    print("chapters: \(outcomes.count - failedChapters) passed, \(failedChapters) failed")
    print("checks: \(checks.count - failedChecks) passed, \(failedChecks) failed")
    var exercisesFailed = 0
    if engine.edition == .student {
      exercisesFailed = Report.exerciseScores(outcomes)
    }
    let warnings = outcomes.flatMap(\.diagnostics).filter { $0.severity == .warning }.count
    if strict && warnings > 0 { print("warnings: \(warnings) (--strict makes them fail the check)") }
    if failedChapters > 0 || exercisesFailed > 0 || (strict && warnings > 0) {
      throw ExitCode.failure
    }
  }
}

/// The chapters' pages made in memory as `build` makes them, for `run` and `check`: LaTeX
/// errors, unknown citations and references and broken links join the outcomes' diagnostics.
func renderInMemory(_ engine: Engine, _ outcomes: inout [ChapterOutcome], renderer: NodeRenderer) throws {
  _ = try siteOrFailure {
    try engine.site(
      for: &outcomes, renderer: renderer, assets: SiteAssets.files(katexDist: renderer.katexDist),
      course: courseTitle)
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

/// Runs a workspace step, turning its refusal into a `notebook: error:` line.
func workspaceOrFailure<T>(_ body: () throws -> T) throws -> T {
  do {
    return try body()
  } catch let error as WorkspaceError {
    throw failure(error.description)
  }
}

/// `path` made absolute against `root`.
func absolute(_ path: String, _ root: String) -> String {
  path.hasPrefix("/") ? path : root + "/" + path
}

extension Build {
  /// `folder` relative to `root` when inside it (as the user would type it), else absolute.
  static func relative(_ folder: String, to root: String) -> String {
    let prefix = URL(fileURLWithPath: root).standardizedFileURL.path + "/"
    return folder.hasPrefix(prefix) ? String(folder.dropFirst(prefix.count)) : folder
  }
}
