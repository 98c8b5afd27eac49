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

/// Runs the stages: Parse → Plan → (Cache | Execute) → Check for each chapter, then, site-wide,
/// Resolve → Typeset → Write.
public struct Engine: Sendable {
  public var root: String
  public var toolchain: Toolchain
  public var cache: ResultCache
  public var executor: Executor
  /// Saved states of heavy chapters, so an edit after a heavy block reruns from there.
  public var checkpoints: CheckpointStore
  /// Math and code typeset by earlier builds, by content.
  public var typesetCache: TypesetCache
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
    typesetCache = TypesetCache(directory: cacheRoot + "/typeset")
    executor = Executor(
      toolchain: toolchain, workingDirectory: root,
      scratchDirectory: cacheRoot + (edition == .instructor ? "/work" : "/work-student"))
    self.fresh = fresh
    self.jobs = max(1, jobs ?? ProcessInfo.processInfo.activeProcessorCount)
  }

  /// All `chapters/*.md` in name order, relative to the root.
  public static func defaultChapters(root: String) -> [String] {
    let names = (try? FileManager.default.contentsOfDirectory(atPath: root + "/chapters")) ?? []
    return names.filter(isChapterFile).sorted().map { "chapters/" + $0 }
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

  /// Typeset: every formula and code block of the pages, those not typeset before rendered in
  /// one node process (`TypesetCache`); LaTeX errors join their chapter's diagnostics at the
  /// formula's line.
  public func typeset(_ pages: [String: Page], _ outcomes: inout [ChapterOutcome], with renderer: NodeRenderer) throws
    -> [NodeRenderer.Snippet: NodeRenderer.Rendering]
  {
    let math = outcomes.map { outcome in pages[outcome.path]?.mathSnippets ?? [] }
    let code = outcomes.flatMap { pages[$0.path]?.chapter.codeSnippets ?? [] }
    let rendered = try typesetCache.render(math.flatMap { $0.map(\.snippet) } + code, with: renderer)
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

  /// Write: the pages and the index, site-relative path → bytes, and every page's sections for
  /// the search index. With `showErrors` (the live preview), a failing chapter's page opens with
  /// its errors, at their lines, instead of being left out, and a chapter that did not even
  /// parse gets a page of errors.
  static func writePages(
    _ outcomes: [ChapterOutcome], pages: [String: Page], typeset: [NodeRenderer.Snippet: NodeRenderer.Rendering],
    course: String, showErrors: Bool
  ) -> (files: [String: [UInt8]], sections: [SearchSection]) {
    var files: [String: [UInt8]] = [:]
    var sections: [SearchSection] = []
    let shown = outcomes.filter { showErrors || pages[$0.path] != nil }
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
      if let page = pages[outcome.path] {
        var renderer = ChapterRenderer(page: page, prerendered: typeset)
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

  /// The pages without node (math and code untypeset), for the live preview when node fails.
  public func pagesWithoutTypesetting(_ outcomes: [ChapterOutcome], course: String) -> [String: [UInt8]] {
    var outcomes = outcomes
    let pages = Resolver.resolve(&outcomes, siteFiles: [], checkLinks: false)
    return Self.writePages(outcomes, pages: pages, typeset: [:], course: course, showErrors: true).files
  }

  /// The whole site in memory, stage by stage: citations formatted, pages resolved against the
  /// whole course (links, anchors, references and citations checked), math and code typeset,
  /// pages and search index written, assets added. Every problem joins its chapter's
  /// diagnostics at its line. Throws when node or pandoc cannot run.
  public func site(
    for outcomes: inout [ChapterOutcome], renderer: NodeRenderer, assets: [String: [UInt8]], course: String,
    showErrors: Bool = false, checkLinks: Bool = true
  ) throws -> [String: [UInt8]] {
    let citations = try formatCitations(&outcomes)
    let pages = Resolver.resolve(
      &outcomes, citations: citations, otherPages: otherPages(besides: outcomes),
      siteFiles: Set(assets.keys).union(SiteAssets.pageFiles), checkLinks: checkLinks)
    let typeset = try typeset(pages, &outcomes, with: renderer)
    let written = Self.writePages(outcomes, pages: pages, typeset: typeset, course: course, showErrors: showErrors)
    var files = written.files
    files.merge(try SearchIndex.files(written.sections)) { page, _ in page }
    files.merge(assets) { page, _ in page }
    return files
  }

  /// The other chapters of the course (those in the `chapters/` folders of `outcomes`, not
  /// among them), parsed but not run, so a partial run checks its links into them: their
  /// figures' anchors come from the result cache when it holds their results. A chapter kept
  /// in another folder is a course of its own.
  func otherPages(besides outcomes: [ChapterOutcome]) -> [Resolver.OtherPage] {
    func standardized(_ path: String) -> String { URL(fileURLWithPath: absolute(path)).standardizedFileURL.path }
    let evaluated = Set(outcomes.map { standardized($0.path) })
    let folders = Set(outcomes.map { (standardized($0.path) as NSString).deletingLastPathComponent })
      .filter { ($0 as NSString).lastPathComponent == "chapters" }
    var others: [Resolver.OtherPage] = []
    for folder in folders.sorted() {
      let names = (try? FileManager.default.contentsOfDirectory(atPath: folder)) ?? []
      for name in names.sorted() where Self.isChapterFile(name) && !evaluated.contains(folder + "/" + name) {
        let path = folder + "/" + name
        guard let chapter = try? ChapterParser.parse(file: path, displayPath: path, edition: edition) else {
          others.append(Resolver.OtherPage(unparsed: path))
          continue
        }
        let program = ChapterProgram(chapter: chapter)
        let cached = cache.load(key: cache.key(for: chapter, program: program), program: program, chapter: chapter)
        others.append(Resolver.OtherPage(chapter: chapter, result: cached))
      }
    }
    return others
  }

  /// Whether a file name in a course folder is a chapter: `*.md`, not hidden, not a README.
  static func isChapterFile(_ name: String) -> Bool {
    name.hasSuffix(".md") && !name.hasPrefix(".") && name.lowercased() != "readme.md"
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
