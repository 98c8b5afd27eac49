import NotebookEvents
import XCTest

@testable import Notebook

/// Resolve checks what the pages will point at before anything is written; the writer's pages,
/// read back by `LinkChecker`, must agree with it.
final class ResolverTests: XCTestCase {
  private static let chapterSource = """
    ---
    title: Links
    ---

    # Links

    ## Setup

    ## Setup

    See [the second setup](#setup-2), [the figure](#fig-curve), [the second figure](#figure-2),
    [the table](#tbl-sizes) and its [caption](#tbl-sizes-caption), the [slider](#figure-3-slider),
    [the exercise](#exercise-mean), [raw](#raw-id), [the search box](#search), [the index](index.html)
    and [the first figure's file](figures/links-1.svg).

    Broken: [a heading](#nowhere), [a page](missing.html), [a file](figures/links-9.svg),
    [a figure](#fig-none), [a title](#links).

    <p id="raw-id"><a href="#raw-missing">raw</a> <img src="figures/links-2.png" alt="curve"></p>

    $$ a = b $$ {#eq-ab}

    [the equation](#eq-ab)

    ```swift
    print(1)
    ```

    ```swift exercise=mean
    let mean = 0.0
    ```

    ```swift solution=mean
    let mean = 1.0
    ```
    """

  private func page() throws -> (ChapterOutcome, Chapter) {
    let chapter = try ChapterParser.parse(Self.chapterSource, path: "links.md")
    var result = ChapterResult(cellCount: chapter.cells.count, expressionCount: chapter.expressions.count)
    result.completed = true
    let frames = [ExplorablePayload.Frame(data: Data("<svg/>".utf8), altText: "frame")]
    let explorable = ExplorablePayload(parameter: "a", values: ["1"], initial: 0, format: .svg, frames: frames)
    let table = TablePayload(columns: [TablePayload.Column(title: "n", numeric: true)], rows: [["1"]])
    result.blocks[0].figures = [
      Figure(format: .svg, data: Data("<svg/>".utf8), altText: "curve", caption: nil, label: "fig-curve"),
      Figure(format: .png, data: Data([1]), altText: "curve", caption: nil, label: nil),
      Figure(format: .explorable, data: try JSONEncoder().encode(explorable), altText: "", caption: nil, label: nil),
      Figure(format: .table, data: try JSONEncoder().encode(table), altText: "", caption: nil, label: "tbl-sizes"),
    ]
    return (ChapterOutcome(path: "links.md", chapter: chapter, result: result, diagnostics: []), chapter)
  }

  /// Every broken link Resolve reports at its line is one the written page has, and no other:
  /// the anchors and files Resolve knows are the ones the writer writes.
  func testResolveAndTheWrittenPagesAgreeOnEveryLink() throws {
    var (outcome, _) = try page()
    var outcomes = [outcome]
    let pages = Resolver.resolve(&outcomes, siteFiles: Set(SiteAssets.pageFiles))
    outcome = outcomes[0]
    let resolved = outcome.diagnostics.map(\.message).filter { $0.hasPrefix("broken link") }
    XCTAssertEqual(
      resolved.sorted(),
      [
        "broken link `#fig-none`: links.html has no anchor #fig-none",
        "broken link `#links`: links.html has no anchor #links",
        "broken link `#nowhere`: links.html has no anchor #nowhere",
        "broken link `#raw-missing`: links.html has no anchor #raw-missing",
        "broken link `figures/links-9.svg`: no file figures/links-9.svg in the site",
        "broken link `missing.html`: no file missing.html in the site",
      ])
    XCTAssertEqual(
      outcome.diagnostics.filter { $0.message.hasPrefix("broken link `#nowhere`") }.map(\.location.line), [16])
    XCTAssertEqual(
      outcome.diagnostics.filter { $0.message.hasPrefix("broken link `#raw-missing`") }.map(\.location.line), [19])
    var files = Engine.writePages(outcomes, pages: pages, typeset: [:], course: "C", showErrors: false).files
    for name in SiteAssets.pageFiles { files[name] = [] }
    let written = LinkChecker.check(files).filter { $0.page == "links.html" }.map(\.message)
    XCTAssertEqual(Set(written), Set(resolved))
  }

  /// A partial run checks links into the course's other chapters, parsed but not run: a missing
  /// section fails; an anchor a figure could have passes while that chapter's results are unknown.
  func testLinksIntoAChapterNotRunThisTimeAreChecked() throws {
    let other = try ChapterParser.parse("---\ntitle: B\n---\n\n## Present\n", path: "chapters/b.md")
    let source = "---\ntitle: A\n---\n\n[ok](b.md#present)\n\n[gone](b.md#absent)\n\n[fig](b.md#fig-x)\n\n[c](c.md)\n"
    let chapter = try ChapterParser.parse(source, path: "chapters/a.md")
    var outcomes = [
      ChapterOutcome(
        path: "chapters/a.md", chapter: chapter, result: ChapterResult(cellCount: 0, expressionCount: 0),
        diagnostics: [])
    ]
    _ = Resolver.resolve(
      &outcomes, otherPages: [Resolver.OtherPage(chapter: other, result: nil)], siteFiles: [])
    XCTAssertEqual(
      outcomes[0].errors.map(\.description),
      [
        "chapters/a.md:7:1: error: broken link `b.html#absent`: b.html has no anchor #absent",
        "chapters/a.md:11:1: error: broken link `c.html`: no file c.html in the site",
      ])
  }

  func testHeadingAnchorsAreGivenOnceInReadingOrder() throws {
    let chapter = try ChapterParser.parse(
      "---\ntitle: T\n---\n\n# T\n\n## A\n\n> ## A\n\n- ## A-2\n\n## A\n\n[@x]\n", path: "t.md")
    let anchors = PageAnchors(chapter: chapter, hasReferences: true)
    XCTAssertEqual(anchors.headings, [7: "a", 9: "a-2", 11: "a-2-2", 13: "a-3"])
    XCTAssertEqual(anchors.references, "references")
    XCTAssertEqual(chapter.leadingTitleHeading, 5)
  }

  func testTheExplorableFileNamesAreTheFilesItWrites() throws {
    for format in [FigureRecord.Format.svg, .png] {
      let frames = (0..<3).map { ExplorablePayload.Frame(data: Data([UInt8($0)]), altText: "f\($0)") }
      let payload = ExplorablePayload(
        parameter: "a", values: ["1", "2", "3"], initial: 1, format: format, frames: frames)
      let figure = Figure(format: .explorable, data: try JSONEncoder().encode(payload), altText: "", caption: nil)
      let written = FigureMarkup.explorable(payload, base: "figures/x-1", number: 1, caption: nil, id: "f").files
      XCTAssertEqual(Set(FigureMarkup.explorableFileNames(figure, base: "figures/x-1")), Set(written.keys))
    }
  }
}
