import Foundation

/// One chapter after the pipeline: the parsed chapter (if it parsed), its checked result
/// (if it ran), and every diagnostic from every stage.
public struct ChapterOutcome: Sendable {
  public var path: String
  public var chapter: Chapter?
  public var result: ChapterResult?
  public var diagnostics: [Diagnostic]

  public var errors: [Diagnostic] { diagnostics.filter { $0.severity == .error } }
  public var passed: Bool { errors.isEmpty }
  public var checks: [CheckResult] { result?.checks ?? [] }
}

/// Runs the stages: Parse → Plan → (Cache | Execute) → Check, then Render → Site.
public struct Engine: Sendable {
  public var root: String
  public var toolchain: Toolchain
  public var cache: ResultCache
  public var executor: Executor
  /// Saved states of heavy chapters, so an edit after a heavy block reruns from there.
  public var checkpoints: CheckpointStore
  /// Ignore cached results and run every chapter.
  public var fresh: Bool
  /// Chapters run at once.
  public var jobs: Int
  /// The instructor's edition, or the students' (solutions removed, stubs run, grades scored).
  public var edition: Edition

  public init(
    root: String, libraryDirectory: String? = nil, fresh: Bool = false, jobs: Int? = nil,
    edition: Edition = .instructor
  ) throws {
    self.edition = edition
    self.root = root
    toolchain = try Toolchain.project(root: root, libraryDirectory: libraryDirectory)
    let cacheRoot = root + "/.notebook-cache"
    cache = ResultCache(directory: cacheRoot + "/results", toolchain: toolchain, dataDirectory: root + "/chapters/data")
    checkpoints = CheckpointStore(directory: cacheRoot + "/checkpoints")
    executor = Executor(
      toolchain: toolchain, workingDirectory: root,
      scratchDirectory: cacheRoot + (edition == .instructor ? "/work" : "/work-student"))
    self.fresh = fresh
    self.jobs = max(1, jobs ?? ProcessInfo.processInfo.activeProcessorCount)
  }

  /// All `chapters/*.md` in name order, relative to the root.
  public static func defaultChapters(root: String) -> [String] {
    let names = (try? FileManager.default.contentsOfDirectory(atPath: root + "/chapters")) ?? []
    return names.filter { $0.hasSuffix(".md") && !$0.hasPrefix(".") && $0.lowercased() != "readme.md" }.sorted()
      .map { "chapters/" + $0 }
  }

  /// Parses, runs (or loads from the cache) and checks chapters, several at once;
  /// `cancellations` can stop a chapter's run from outside (the live preview's stale runs).
  public func evaluate(
    _ paths: [String], cancellations: [String: RunCancellation] = [:],
    progress: (@Sendable (ChapterOutcome) -> Void)? = nil
  ) -> [ChapterOutcome] {
    let outcomes = OutcomeStore(count: paths.count)
    let queue = DispatchQueue(label: "notebook.chapters", attributes: .concurrent)
    let slots = DispatchSemaphore(value: jobs)
    let group = DispatchGroup()
    for (index, path) in paths.enumerated() {
      slots.wait()
      queue.async(group: group) {
        defer { slots.signal() }
        let outcome = evaluate(path, cancellation: cancellations[path])
        outcomes.set(index, outcome)
        progress?(outcome)
      }
    }
    group.wait()
    return outcomes.all
  }

  public func evaluate(_ path: String, cancellation: RunCancellation? = nil) -> ChapterOutcome {
    let chapter: Chapter
    do {
      chapter = try ChapterParser.parse(file: absolute(path), displayPath: path, edition: edition)
    } catch let failure as ChapterFailure {
      return ChapterOutcome(path: path, chapter: nil, result: nil, diagnostics: failure.diagnostics)
    } catch {
      return ChapterOutcome(
        path: path, chapter: nil, result: nil,
        diagnostics: [Diagnostic(at: SourceLocation(file: path, line: 1), "\(error)")])
    }
    let program = ChapterProgram(chapter: chapter)
    let key = cache.key(for: chapter, program: program)
    var result: ChapterResult
    if program.units.isEmpty {
      // Nothing to compile or run: prose, and code that is only shown, is complete as it is.
      result = ChapterResult(cellCount: chapter.cells.count, expressionCount: chapter.expressions.count)
      result.completed = true
    } else if !fresh, let cached = cache.load(key: key, program: program, chapter: chapter) {
      result = cached
      result.resumed = nil
      result.runNotes = []
    } else {
      result = executor.execute(
        chapter, program: program, cancellation: cancellation, checkpoints: checkpoints,
        environmentDigest: cache.environmentDigest, resume: !fresh)
      if result.reproducible { cache.store(result, key: key, program: program, chapter: chapter) }
    }
    ChapterChecker.check(chapter, result: &result)
    return ChapterOutcome(
      path: path, chapter: chapter, result: result, diagnostics: result.runNotes + result.diagnostics)
  }

  /// Renders every formula and code block of the outcomes in one node process; LaTeX errors
  /// join their chapter's diagnostics at the formula's line.
  public func prerender(_ outcomes: inout [ChapterOutcome], with renderer: NodeRenderer) throws
    -> [NodeRenderer.Snippet: NodeRenderer.Rendering]
  {
    let math = outcomes.map { outcome in
      outcome.chapter.map { $0.mathSnippets(Numbering(chapter: $0, result: outcome.result)) } ?? []
    }
    let code = outcomes.flatMap { $0.chapter?.codeSnippets ?? [] }
    let rendered = try renderer.render(math.flatMap { $0.map(\.snippet) } + code)
    for (index, formulas) in math.enumerated() {
      for (snippet, line) in formulas {
        guard case .error(let message)? = rendered[snippet] else { continue }
        let delimiter = snippet.display ? "$$" : "$"
        outcomes[index].diagnostics.append(
          Diagnostic(
            at: SourceLocation(file: outcomes[index].path, line: line), "LaTeX error: \(message)",
            details: ["    \(delimiter)\(snippet.text)\(delimiter)"]))
      }
    }
    return rendered
  }

  /// Renders the pages and the index; returns site-relative files. With `showErrors` (the live
  /// preview), a failing chapter's page opens with its errors, at their lines, instead of being
  /// left out, and a chapter that did not even parse gets a page of errors.
  public func renderSite(
    _ outcomes: [ChapterOutcome], prerendered: [NodeRenderer.Snippet: NodeRenderer.Rendering], course: String,
    showErrors: Bool = false
  ) -> [String: [UInt8]] {
    Self.renderSite(outcomes, prerendered: prerendered, course: course, showErrors: showErrors)
  }

  static func renderSite(
    _ outcomes: [ChapterOutcome], prerendered: [NodeRenderer.Snippet: NodeRenderer.Rendering], course: String,
    showErrors: Bool
  ) -> [String: [UInt8]] {
    renderPages(outcomes, prerendered: prerendered, course: course, showErrors: showErrors).files
  }

  /// The pages, and every page's sections for the search index.
  static func renderPages(
    _ outcomes: [ChapterOutcome], prerendered: [NodeRenderer.Snippet: NodeRenderer.Rendering], course: String,
    showErrors: Bool, citations: [String: Citations.Rendering] = [:]
  ) -> (files: [String: [UInt8]], sections: [SearchSection]) {
    var files: [String: [UInt8]] = [:]
    var sections: [SearchSection] = []
    let shown = outcomes.filter { showErrors || ($0.chapter != nil && $0.result != nil) }
    let links = shown.map { outcome in
      let checks = outcome.checks
      let stem = Chapter.stem(of: outcome.path)
      return PageTemplate.ChapterLink(
        title: outcome.chapter?.frontMatter.title ?? stem, page: outcome.chapter?.pageName ?? stem + ".html",
        summary: outcome.chapter?.frontMatter.summary, passedChecks: checks.filter(\.passed).count,
        totalChecks: checks.count, failed: !outcome.passed)
    }
    for (position, outcome) in shown.enumerated() {
      var article = showErrors ? PageTemplate.errorBanner(outcome.errors) : ""
      var headings: [(level: Int, html: String, anchor: String)] = []
      if let chapter = outcome.chapter, let result = outcome.result {
        var renderer = ChapterRenderer(
          chapter: chapter, result: result, prerendered: prerendered, citations: citations[outcome.path])
        article += renderer.render()
        headings = renderer.headings
        sections += renderer.searchSections
        files.merge(renderer.files) { _, new in new }
      }
      let page = PageTemplate.chapterPage(
        course: course, chapter: links[position], article: article, headings: headings,
        previous: position > 0 ? links[position - 1] : nil,
        next: position + 1 < links.count ? links[position + 1] : nil)
      files[links[position].page] = Array(page.utf8)
    }
    files["index.html"] = Array(PageTemplate.indexPage(course: course, chapters: links).utf8)
    return (files, sections)
  }

  /// The whole site in memory: math and code rendered, pages, assets, links checked. LaTeX
  /// errors, unknown references and broken links join their chapters' diagnostics; link
  /// problems outside any chapter come back separately. Throws when node cannot render.
  public func site(
    for outcomes: inout [ChapterOutcome], renderer: NodeRenderer, assets: [String: [UInt8]], course: String,
    showErrors: Bool = false, checkLinks: Bool = true
  ) throws -> (files: [String: [UInt8]], problems: [Diagnostic]) {
    let prerendered = try prerender(&outcomes, with: renderer)
    let citations = try formatCitations(&outcomes)
    let pages = Self.renderPages(
      outcomes, prerendered: prerendered, course: course, showErrors: showErrors, citations: citations)
    var files = pages.files
    files.merge(try SearchIndex.files(pages.sections)) { page, _ in page }
    files.merge(assets) { page, _ in page }
    guard checkLinks else { return (files, []) }
    let problems = attach(LinkChecker.check(files, otherPages: chapterPages), to: &outcomes)
    return (files, problems)
  }

  /// The link check without node, for the live preview's dry run: the chapters' pages rendered
  /// in memory with math and code untypeset (which changes no link or anchor), checked against
  /// each other, the files every page loads and `otherPages`. Problems join their chapters'
  /// diagnostics at their lines.
  static func checkLinks(_ outcomes: inout [ChapterOutcome], otherPages: Set<String> = [], showErrors: Bool = false) {
    var files = renderSite(outcomes, prerendered: [:], course: "", showErrors: showErrors)
    for name in SiteAssets.pageFiles where files[name] == nil { files[name] = [] }
    _ = attach(LinkChecker.check(files, otherPages: otherPages), to: &outcomes)
  }

  /// Formats the chapters' citations with pandoc, against the `references.bib` beside them; a key
  /// the bibliography lacks is an error at its citation's line and column. Pandoc is needed only
  /// when some chapter cites.
  public func formatCitations(_ outcomes: inout [ChapterOutcome]) throws -> [String: Citations.Rendering] {
    let cited = outcomes.map { $0.chapter.map(Citations.citations(in:)) ?? [] }
    guard cited.contains(where: { !$0.isEmpty }) else { return [:] }
    let formatter = try Citations.Formatter.locate()
    var renderings: [String: Citations.Rendering] = [:]
    // Chapters in one folder share its bibliography (normally chapters/references.bib).
    let folders = Dictionary(grouping: outcomes.indices.filter { !cited[$0].isEmpty }) {
      (absolute(outcomes[$0].path) as NSString).deletingLastPathComponent
    }
    for (folder, members) in folders.sorted(by: { $0.key < $1.key }) {
      let bibliography = folder + "/" + Citations.bibliographyName
      let shown = ((outcomes[members[0]].path as NSString).deletingLastPathComponent as NSString)
        .appendingPathComponent(Citations.bibliographyName)
      var known: Set<String> = []
      if FileManager.default.fileExists(atPath: bibliography) {
        known = try formatter.keys(bibliography: bibliography)
      }
      for index in members {
        guard let chapter = outcomes[index].chapter else { continue }
        outcomes[index].diagnostics += Citations.unknownKeys(in: chapter, known: known, bibliography: shown)
      }
      guard !known.isEmpty else { continue }
      let resolvable = members.map { index in
        cited[index].map(\.citation).filter { $0.keys.allSatisfy(known.contains) }
      }
      let formatted = try formatter.render(resolvable, bibliography: bibliography)
      for (index, rendering) in zip(members, formatted) { renderings[outcomes[index].path] = rendering }
    }
    return renderings
  }

  /// Pages of the project's chapters, built this time or not, for checking links of a partial build.
  public var chapterPages: Set<String> {
    Set(Self.defaultChapters(root: root).map { ChapterRenderer.pageLink(($0 as NSString).lastPathComponent) })
  }

  /// Turns link problems into diagnostics at the Markdown lines of the offending link, attached
  /// to the chapter whose page holds it: every line that links to the broken target, raw HTML
  /// included, once each. Problems elsewhere (the index) come back separately.
  public func attach(_ problems: [LinkChecker.Problem], to outcomes: inout [ChapterOutcome]) -> [Diagnostic] {
    Self.attach(problems, to: &outcomes)
  }

  static func attach(_ problems: [LinkChecker.Problem], to outcomes: inout [ChapterOutcome]) -> [Diagnostic] {
    var unattached: [Diagnostic] = []
    var targetLines: [Int: [String: [Int]]] = [:]
    var reported: [Int: Set<Diagnostic>] = [:]
    // A target linked from many lines is one problem per link on the page: each is reported once,
    // at all of its lines.
    var seen: Set<String> = []
    for problem in problems where seen.insert(problem.page + "\n" + problem.target + "\n" + problem.message).inserted {
      guard let index = outcomes.firstIndex(where: { $0.chapter?.pageName == problem.page }),
        let chapter = outcomes[index].chapter
      else {
        unattached.append(Diagnostic(at: SourceLocation(file: problem.page, line: 1), problem.message))
        continue
      }
      if targetLines[index] == nil { targetLines[index] = chapter.linkTargetLines }
      for line in targetLines[index]?[problem.target] ?? [1] {
        let diagnostic = Diagnostic(at: SourceLocation(file: chapter.path, line: line), problem.message)
        if reported[index, default: []].insert(diagnostic).inserted { outcomes[index].diagnostics.append(diagnostic) }
      }
    }
    return unattached
  }

  func absolute(_ path: String) -> String {
    path.hasPrefix("/") ? path : root + "/" + path
  }
}

/// Thread-safe slots for outcomes filled in by concurrent chapter runs.
private final class OutcomeStore: @unchecked Sendable {
  private var outcomes: [ChapterOutcome?]
  private let lock = NSLock()
  init(count: Int) { outcomes = Array(repeating: nil, count: count) }
  func set(_ index: Int, _ outcome: ChapterOutcome) {
    lock.lock()
    outcomes[index] = outcome
    lock.unlock()
  }
  var all: [ChapterOutcome] { outcomes.compactMap { $0 } }
}
