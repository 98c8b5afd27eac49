import Foundation

/// Resolve, the stage after Check: turns each executed chapter into its `Page` (numbers, anchors,
/// citations), and checks what the page will point at against the whole site before anything is
/// written: every `@eq-`/`@fig-`/`@tbl-` reference, every link and image of the prose and of its
/// raw HTML, and every image's alt text. Each problem is reported at its own Markdown line.
public enum Resolver {
  /// A page of the course that is not built this time (a partial run), parsed but not run, so
  /// that links into it are checked too.
  public struct OtherPage: Sendable {
    /// Its file in the site, e.g. `02-probabilistic-pca.html`.
    public var name: String
    /// The ids on it; nil when the chapter does not parse (its anchors are unknown).
    public var ids: Set<String>?
    /// Its figures' files.
    public var files: Set<String>
    /// Whether its figures' and tables' anchors are known (its result was in the cache). When
    /// not, an anchor a figure or table could have (`fig-`, `tbl-`, `figure-N`, `table-N`)
    /// passes unchecked.
    public var figuresKnown: Bool

    /// A chapter not run this time, with its cached result if there is one.
    public init(chapter: Chapter, result: ChapterResult?) {
      let cited = Citations.citations(in: chapter).flatMap(\.citation.keys)
      let citations = Citations.Rendering(
        citations: [:], entries: cited.map { (key: $0, html: "") }, plain: [:])
      let page = Page(
        chapter: chapter,
        result: result ?? ChapterResult(cellCount: chapter.cells.count, expressionCount: chapter.expressions.count),
        citations: citations)
      name = chapter.pageName
      ids = page.ids
      files = page.figureFiles
      figuresKnown = result != nil
    }

    /// A chapter that does not parse: its page will exist once it does; its anchors are unknown.
    public init(unparsed path: String) {
      name = Chapter.stem(of: path) + ".html"
      ids = nil
      files = []
      figuresKnown = false
    }
  }

  /// The pages of the outcomes that parsed and ran, by path; every problem joins its chapter's
  /// diagnostics. `siteFiles` are the files the site holds besides the pages and figures
  /// (stylesheets, scripts, fonts, the search index). Without `checkLinks` links go unchecked.
  public static func resolve(
    _ outcomes: inout [ChapterOutcome], citations: [String: Citations.Rendering] = [:],
    otherPages: [OtherPage] = [], siteFiles: Set<String>, checkLinks: Bool = true
  ) -> [String: Page] {
    var pages: [String: Page] = [:]
    for outcome in outcomes {
      guard let chapter = outcome.chapter, let result = outcome.result else { continue }
      pages[outcome.path] = Page(chapter: chapter, result: result, citations: citations[outcome.path])
    }
    var files = siteFiles.union(["index.html"])
    var ids: [String: Set<String>] = [:]
    var figuresUnknown: Set<String> = []
    for other in otherPages {
      files.insert(other.name)
      files.formUnion(other.files)
      if let known = other.ids { ids[other.name] = known }
      if !other.figuresKnown { figuresUnknown.insert(other.name) }
    }
    for outcome in outcomes {
      // A chapter that did not parse or run has its own errors: its page (of errors, in the
      // live preview) exists, and links into it are not reported as well.
      let name = outcome.chapter?.pageName ?? Chapter.stem(of: outcome.path) + ".html"
      files.insert(name)
      guard let page = pages[outcome.path] else { continue }
      ids[name] = page.ids
      files.formUnion(page.figureFiles)
      // A chapter that stopped early displayed only some of its figures and tables.
      if !page.result.completed { figuresUnknown.insert(name) }
    }
    let site = SiteTable(files: files, ids: ids, figuresUnknown: figuresUnknown)
    for index in outcomes.indices {
      guard let page = pages[outcomes[index].path] else { continue }
      outcomes[index].diagnostics += unknownReferences(page)
      if checkLinks { outcomes[index].diagnostics += linkProblems(page.chapter, in: site) }
    }
    return pages
  }

  /// What a link may point at: the site's files and the ids of its pages.
  struct SiteTable {
    var files: Set<String>
    /// Page → its ids; a page that exists but is absent here has anchors not known this time.
    var ids: [String: Set<String>]
    /// Pages whose figures' and tables' anchors are not known this time.
    var figuresUnknown: Set<String>

    /// Why `link` (on `page`) is broken, or nil when it is not.
    func problem(with link: String, on page: String) -> String? {
      guard let target = LinkTarget(link, onPage: page) else { return nil }
      guard files.contains(target.file) else { return "broken link `\(link)`: no file \(target.file) in the site" }
      guard let fragment = target.fragment, target.file.hasSuffix(".html"), let known = ids[target.file],
        !known.contains(fragment)
      else { return nil }
      if figuresUnknown.contains(target.file), Self.couldNameAFigure(fragment) { return nil }
      return "broken link `\(link)`: \(target.file) has no anchor #\(fragment)"
    }

    /// Whether an anchor is one a figure or table could have: its label or its number.
    static func couldNameAFigure(_ fragment: String) -> Bool {
      if fragment.hasPrefix("fig-") || fragment.hasPrefix("tbl-") { return true }
      for prefix in ["figure-", "table-"] where fragment.hasPrefix(prefix) {
        return fragment.dropFirst(prefix.count).first?.isNumber ?? false
      }
      return false
    }
  }

  /// Broken links and images without alt text, in the prose and in raw HTML, each at its line
  /// (once per line and problem).
  static func linkProblems(_ chapter: Chapter, in site: SiteTable) -> [Diagnostic] {
    var found: [Diagnostic] = []
    var seen: Set<Diagnostic> = []
    func report(_ line: Int, _ message: String) {
      let diagnostic = Diagnostic(at: SourceLocation(file: chapter.path, line: line), message)
      if seen.insert(diagnostic).inserted { found.append(diagnostic) }
    }
    let page = chapter.pageName
    chapter.walkInlines(
      htmlBlock: { raw, line in rawHTMLProblems(raw, line: line, page: page, site: site, report: report) }
    ) { inline, line in
      switch inline {
      case .link(let destination, _, _), .image(let destination, _, _):
        // As the page writes it: a chapter's `.md` as its page, percent-encoded (`Href`).
        let link = Href.percentEncoded(ChapterRenderer.pageLink(destination))
        if let problem = site.problem(with: link, on: page) { report(line, problem) }
        if case .image(_, _, let alt) = inline, alt.plainText.isEmpty {
          report(line, "image without alt text: `\(destination)` (write its description between the brackets)")
        }
      case .html(let raw):
        rawHTMLProblems(raw, line: line, page: page, site: site, report: report)
      default: break
      }
    }
    return found
  }

  /// The broken `href`s and `src`s of a piece of raw HTML, and its `<img>` tags without alt text.
  private static func rawHTMLProblems(
    _ raw: String, line: Int, page: String, site: SiteTable, report: (Int, String) -> Void
  ) {
    for tag in RawHTMLAttributes.tags(in: raw) {
      for attribute in tag.attributes {
        // Whatever a browser reads as a link: `xlink:href` and `data-src` too.
        guard let value = attribute.value, attribute.name.hasSuffix("href") || attribute.name.hasSuffix("src") else {
          continue
        }
        let link = LinkChecker.decodeEntities(value)
        if let problem = site.problem(with: link, on: page) { report(line + attribute.lineOffset, problem) }
      }
      if tag.name == "img", tag.attributes.first(where: { $0.name == "alt" })?.value?.isEmpty ?? true {
        let source = tag.attributes.first { $0.name == "src" }?.value ?? ""
        report(line + tag.lineOffset, "image without alt text: <img> with src `\(source)` (give it an alt attribute)")
      }
    }
  }

  /// `@eq-`, `@fig-` and `@tbl-` references to labels the chapter does not have, at their lines
  /// and columns. Figures and tables are known only after a run: a chapter that stopped early
  /// has its own errors, and its references to them are not reported.
  static func unknownReferences(_ page: Page) -> [Diagnostic] {
    let chapter = page.chapter
    let numbering = page.numbering
    // The labels a reference could have meant, listed once (at most 20 of them).
    func list(_ labels: Dictionary<String, Int>.Keys) -> String {
      guard !labels.isEmpty else { return "" }
      let sorted = labels.sorted()
      let shown = sorted.prefix(20).map { "@" + $0 } + (sorted.count > 20 ? ["…"] : [])
      return " (known: \(shown.joined(separator: ", ")))"
    }
    let knownEquations = list(numbering.equations.keys)
    let knownFigures = list(numbering.figures.keys)
    let knownTables = list(numbering.tables.keys)
    // The parser has made every line break `\n` and counts lines at `\n` alone.
    let sourceLines = chapter.source.split(separator: "\n", omittingEmptySubsequences: false)
    var found: [Diagnostic] = []
    for (label, line) in chapter.references where numbering.resolve(label) == nil {
      if !label.hasPrefix("eq-") && !page.result.completed { continue }
      let known = label.hasPrefix("eq-") ? knownEquations : label.hasPrefix("tbl-") ? knownTables : knownFigures
      // The reference's column: where the first reference to exactly `label` stands on its line
      // (not inside a longer label such as `@fig-ab` for `@fig-a`).
      let text = line >= 1 && line <= sourceLines.count ? String(sourceLines[line - 1]) : ""
      let column = Numbering.referencePattern.matches(in: text, range: NSRange(text.startIndex..., in: text))
        .first { match in Range(match.range(at: 1), in: text).map { text[$0] == label } ?? false }
        .flatMap { Range($0.range, in: text) }
        .map { text.utf8.distance(from: text.startIndex, to: $0.lowerBound) + 1 }
      found.append(
        Diagnostic(
          at: SourceLocation(file: chapter.path, line: line, column: column ?? 1),
          "reference to unknown label `@\(label)`" + known))
    }
    return found
  }
}
