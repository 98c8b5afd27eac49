/// One chapter after Resolve: everything its page shows, decided once. The writer reads only
/// this (and the typeset snippets); it computes no numbers or anchors and reports nothing.
public struct Page: Sendable {
  public var chapter: Chapter
  public var result: ChapterResult
  /// Equation, figure and table numbers, and what each reference resolves to.
  public var numbering: Numbering
  /// The anchors of the headings and of the References.
  public var anchors: PageAnchors
  /// The chapter's citations and References, formatted by pandoc (`Citations`).
  public var citations: Citations.Rendering?
  /// The prose as the page shows it: the chapter's blocks with citations and cross-references
  /// split out of the text and resolved (`ResolvedProse`).
  public var blocks: [MarkdownBlock]

  public init(chapter: Chapter, result: ChapterResult, citations: Citations.Rendering? = nil) {
    self.chapter = chapter
    self.result = result
    self.citations = citations
    numbering = Numbering(chapter: chapter, result: result)
    anchors = PageAnchors(chapter: chapter, hasReferences: !(citations?.entries.isEmpty ?? true))
    blocks = ResolvedProse.blocks(chapter.blocks, numbering: numbering)
  }

  /// The file a still figure is written to, beside the pages: `figures/<stem>-<n>.<format>`;
  /// an explorable figure's files start with the same name (`FigureMarkup.explorable`).
  public static func figureBase(stem: String, number: Int) -> String { "figures/\(stem)-\(number)" }

  /// Every id on the page: headings and References, equations, figures and tables (and their
  /// captions and sliders), exercises, the cited works, the page template's own, and those the
  /// chapter writes in raw HTML. Links into the page are checked against these.
  public var ids: Set<String> {
    var ids = Set(anchors.headings.values)
    if let references = anchors.references { ids.insert(references) }
    for entry in citations?.entries ?? [] { ids.insert("ref-" + entry.key) }
    for (_, label) in chapter.displayLabels { ids.insert(label) }
    for (block, numbers) in zip(result.blocks, numbering.numbers) {
      for (figure, number) in zip(block.figures, numbers) {
        let id = Numbering.anchor(of: figure, number: number)
        ids.insert(id)
        if figure.format == .table || figure.format == .explorable { ids.insert(id + "-caption") }
        if figure.format == .explorable { ids.insert(id + "-slider") }
      }
    }
    for cell in chapter.cells where cell.mode == .exercise { ids.insert("exercise-" + (cell.exercise ?? "")) }
    ids.formUnion(PageTemplate.ids)
    ids.formUnion(chapter.rawHTMLIDs)
    return ids
  }

  /// The files the page's figures are written to.
  public var figureFiles: Set<String> {
    var files: Set<String> = []
    for (block, numbers) in zip(result.blocks, numbering.numbers) {
      for (figure, number) in zip(block.figures, numbers) where figure.format != .table {
        let base = Page.figureBase(stem: chapter.stem, number: number)
        if figure.format == .explorable {
          files.formUnion(FigureMarkup.explorableFileNames(figure, base: base))
        } else {
          files.insert(base + "." + figure.format.rawValue)
        }
      }
    }
    return files
  }
}
