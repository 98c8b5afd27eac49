import Foundation
import NotebookEvents
import XCTest

@testable import Notebook

/// Computed tables and explorable figures as the page writes them: the table renderer, the
/// packing of SVG frames into shared lines, and the numbering of tables beside figures.
final class FigureMarkupTests: XCTestCase {
  private let roots = TablePayload(
    columns: [
      .init(title: "n", numeric: true), .init(title: "log p(x) <nats>", numeric: true),
      .init(title: "note", numeric: false),
    ],
    rows: [["1", "-0.50", "a & b"], ["10", "-12.25", "\"quoted\""]])

  func testTableHasHeaderCaptionAndRightAlignedNumbersWithMinusSigns() {
    let html = FigureMarkup.table(roots, number: 2, caption: "Bounds <by> k.", id: "tbl-bounds")
    XCTAssertEqual(
      html,
      """
      <div class="table-scroll" id="tbl-bounds" role="region" tabindex="0" aria-labelledby="tbl-bounds-caption"><table>
      <caption id="tbl-bounds-caption"><span class="figure-number">Table 2.</span> Bounds &lt;by&gt; k.</caption>
      <thead><tr><th scope="col" class="num">n</th><th scope="col" class="num">log p(x) &lt;nats&gt;</th><th scope="col">note</th></tr></thead>
      <tbody>
      <tr><td class="num">1</td><td class="num">\u{2212}0.50</td><td>a &amp; b</td></tr>
      <tr><td class="num">10</td><td class="num">\u{2212}12.25</td><td>&quot;quoted&quot;</td></tr>
      </tbody>
      </table></div>

      """)
  }

  func testTableWithoutCaptionDescribesItselfAndShortRowsAreFilled() {
    let payload = TablePayload(
      columns: [.init(title: "a", numeric: false), .init(title: "b", numeric: true)], rows: [["x"]])
    let html = FigureMarkup.table(payload, number: 1, caption: nil, id: "table-1")
    XCTAssertTrue(html.contains("Table 1.</span> Table of 1 row: a, b</caption>"), html)
    XCTAssertTrue(html.contains("<tr><td>x</td><td class=\"num\"></td></tr>"), html)
    XCTAssertEqual(
      roots.plainText, " n  log p(x) <nats>  note\n 1            -0.50  a & b\n10           -12.25  \"quoted\"")
  }

  func testPackedFramesStoreSharedLinesOnceAndGiveEveryFrameBack() {
    let axes = (0..<50).map { "<line class=\"tick\" x1=\"\($0)\"/>" }
    let frames = (0..<8).map { k in
      (["<svg viewBox=\"0 0 640 400\">"] + axes + ["<path d=\"M0 \(k) L640 \(k * k)\"/>", "</svg>", ""]).joined(
        separator: "\n")
    }
    let packed = FigureMarkup.PackedFrames(frames)
    for k in frames.indices { XCTAssertEqual(packed.frame(k), frames[k]) }
    // 50 ticks, the opening and closing tags and the empty last line once, one path per frame.
    XCTAssertEqual(packed.parts.count, 53 + 8)
    // The first frame is one run; each later one three: the shared head, its path, the shared tail.
    XCTAssertEqual(packed.frames[0], [0, 54])
    XCTAssertEqual(packed.frames[3], [0, 51, 56, 1, 52, 2])
    let size = packed.parts.joined().utf8.count
    XCTAssertLessThan(size, frames[0].utf8.count * 2, "eight frames cost less than two")
  }

  func testPackedFramesKeepRepeatedLinesAndEmptyInput() {
    let frames = ["a\na\nb", "b\na", "", "a\n\na"]
    let packed = FigureMarkup.PackedFrames(frames)
    XCTAssertEqual(packed.parts, ["a", "b", ""])
    for k in frames.indices { XCTAssertEqual(packed.frame(k), frames[k]) }
  }

  func testExplorableShowsTheDefaultFrameAndHidesTheSliderUntilFramesLoad() throws {
    let svg = { (k: Int) in Data("<svg>\n<title>t</title>\n<path d=\"M\(k)\"/>\n</svg>".utf8) }
    let payload = ExplorablePayload(
      parameter: "β", values: ["1", "4", "16"], initial: 1, format: .svg,
      frames: (0..<3).map { .init(data: svg($0), altText: "A plot. β = \($0).") })
    let (html, files) = FigureMarkup.explorable(
      payload, base: "figures/07-x-3", number: 3, caption: "Rate <and> distortion.", id: "fig-beta")
    XCTAssertEqual(Set(files.keys), ["figures/07-x-3.svg", "figures/07-x-3.frames.js"])
    XCTAssertEqual(files["figures/07-x-3.svg"], Array(svg(1)))
    XCTAssertTrue(html.contains("<img class=\"svg-frame\" src=\"figures/07-x-3.svg\" alt=\"A plot. β = 1.\""), html)
    XCTAssertTrue(html.contains("<div class=\"explore\" hidden><label for=\"fig-beta-slider\">β</label>"), html)
    XCTAssertTrue(
      html.contains(
        "<input type=\"range\" id=\"fig-beta-slider\" min=\"0\" max=\"2\" step=\"1\" value=\"1\" aria-valuetext=\"β = 4\" "
          + "aria-describedby=\"fig-beta-caption\">"
      ), html)
    XCTAssertTrue(html.contains("<figcaption id=\"fig-beta-caption\">"), html)
    XCTAssertTrue(html.contains("<output for=\"fig-beta-slider\">4</output>"), html)
    XCTAssertTrue(html.contains("Figure 3.</span> Rate &lt;and&gt; distortion.</figcaption>"), html)
    let script = String(decoding: files["figures/07-x-3.frames.js"]!, as: UTF8.self)
    let prefix = "(window.notebookFrames = window.notebookFrames || {})[\"fig-beta\"] = "
    XCTAssertTrue(script.hasPrefix(prefix), script)
    let json = try XCTUnwrap(script.dropFirst(prefix.count).dropLast(2).data(using: .utf8))
    let decoded = try XCTUnwrap(JSONSerialization.jsonObject(with: json) as? [String: Any])
    XCTAssertEqual(decoded["values"] as? [String], ["1", "4", "16"])
    XCTAssertEqual((decoded["alts"] as? [String])?.last, "A plot. β = 2.")
    let packed = FigureMarkup.PackedFrames(payload.frames.map { String(decoding: $0.data, as: UTF8.self) })
    XCTAssertEqual(decoded["parts"] as? [String], packed.parts)
    XCTAssertEqual(decoded["frames"] as? [[Int]], packed.frames)
  }

  func testPNGFramesAreOneFileEach() {
    let payload = ExplorablePayload(
      parameter: "z₁", values: ["-1", "1"], initial: 0, format: .png,
      frames: [.init(data: Data([1, 2]), altText: "a"), .init(data: Data([3]), altText: "b")])
    let (html, files) = FigureMarkup.explorable(
      payload, base: "figures/06-vae-9", number: 9, caption: nil, id: "figure-9")
    XCTAssertEqual(files["figures/06-vae-9.frame-1.png"], [1, 2])
    XCTAssertEqual(files["figures/06-vae-9.frame-2.png"], [3])
    XCTAssertTrue(html.contains("<img src=\"figures/06-vae-9.frame-1.png\" alt=\"a\""), html)
    XCTAssertTrue(html.contains("Figure 9.</span> a</figcaption>"), html)
    let script = String(decoding: files["figures/06-vae-9.frames.js"]!, as: UTF8.self)
    XCTAssertTrue(
      script.contains("\"srcs\":[\"figures/06-vae-9.frame-1.png\",\"figures/06-vae-9.frame-2.png\"]"), script)
  }

  /// Tables are numbered apart from figures; `@tbl-x` reads "Table N", an unknown one is an error.
  func testTablesAreNumberedApartFromFiguresAndReferenced() throws {
    let source = "---\ntitle: T\n---\n\nSee @tbl-b, @fig-a and @tbl-nosuch.\n\n```swift\nprint(1)\n```\n"
    let chapter = try ChapterParser.parse(source, path: "chapters/t.md")
    var result = ChapterResult(cellCount: chapter.cells.count, expressionCount: chapter.expressions.count)
    result.completed = true
    func figure(_ format: Figure.Format, _ label: String?) -> Figure {
      Figure(format: format, data: Data(), altText: "", caption: nil, label: label)
    }
    result.blocks[0].figures = [
      figure(.table, "tbl-a"), figure(.svg, "fig-a"), figure(.explorable, nil), figure(.table, "tbl-b"),
    ]
    let numbering = Numbering(chapter: chapter, result: result)
    XCTAssertEqual(numbering.tables, ["tbl-a": 1, "tbl-b": 2])
    XCTAssertEqual(numbering.figures, ["fig-a": 1])
    XCTAssertEqual(numbering.resolve("tbl-b")?.text, "Table 2")
    XCTAssertEqual(chapter.references.map(\.label), ["tbl-b", "fig-a", "tbl-nosuch"])
    XCTAssertEqual(numbering.numbers, [[1, 1, 2, 2]], "tables and figures counted apart")
    XCTAssertEqual(
      Resolver.unknownReferences(Page(chapter: chapter, result: result)).map(\.description),
      ["chapters/t.md:5:24: error: reference to unknown label `@tbl-nosuch` (known: @tbl-a, @tbl-b)"])
  }
}

/// Tables and explorable figures from a chapter's code to the built site.
final class TableAndExplorableSiteTests: XCTestCase {
  func testAChapterDisplaysATableAndExplorableFigures() throws {
    let project = try NotebookBinary(fixtures: ["explorable.md"])
    defer { project.remove() }
    let run = try project.run(["run", "chapters/explorable.md"])
    XCTAssertEqual(run.status, 0, run.stdout + run.stderr)
    XCTAssertTrue(
      run.stdout.contains("[table: Square roots.]\nn  square root  minus  parity\n1        1.000   -1.0  odd\n"),
      run.stdout)
    XCTAssertEqual(try project.run(["build"]).status, 0)
    let page = try XCTUnwrap(project.read("site/explorable.html"))
    XCTAssertTrue(page.contains("<a class=\"xref\" href=\"#tbl-roots\">Table 1</a>"), page)
    XCTAssertTrue(page.contains("<a class=\"xref\" href=\"#fig-pixels\">Figure 2</a>"), page)
    XCTAssertTrue(page.contains("<td class=\"num\">1.414</td><td class=\"num\">\u{2212}2.0</td><td>even</td>"), page)
    XCTAssertTrue(page.contains("<img class=\"svg-frame\" src=\"figures/explorable-1.svg\""), page)
    XCTAssertTrue(page.contains("alt=\"Line plot of y against x showing a x². a = 1.0.\""), page)
    for file in ["explorable-1.svg", "explorable-1.frames.js", "explorable-2.frames.js", "explorable-2.frame-3.png"] {
      XCTAssertTrue(FileManager.default.fileExists(atPath: project.path("site/figures/" + file)), file)
    }
  }

  /// A label prose cannot refer to, or one used twice, is an error at its `display` call's line.
  func testABadOrRepeatedLabelIsAnErrorAtTheDisplayLine() throws {
    let source = "---\ntitle: T\n---\n\n```swift\nprint(1)\nprint(2)\nprint(3)\nprint(4)\n```\n"
    let chapter = try ChapterParser.parse(source, path: "chapters/t.md")
    var result = ChapterResult(cellCount: chapter.cells.count, expressionCount: chapter.expressions.count)
    result.completed = true
    func figure(_ format: Figure.Format, _ label: String, line: Int) -> Figure {
      Figure(format: format, data: Data(), altText: "", caption: nil, label: label, line: line)
    }
    result.blocks[0].figures = [
      figure(.table, "fig-x", line: 6), figure(.svg, "fig-a", line: 7), figure(.explorable, "fig-a", line: 8),
      figure(.svg, "fig-ok!", line: 9),
    ]
    ChapterChecker.check(chapter, result: &result)
    XCTAssertEqual(
      result.diagnostics.map(\.description),
      [
        "chapters/t.md:6:1: error: the table label `fig-x` cannot be referred to: it must be `tbl-` followed by "
          + "letters, digits, - or _ (prose writes @tbl-name)",
        "chapters/t.md:8:1: error: the label `fig-a` is used twice",
        "chapters/t.md:9:1: error: the figure label `fig-ok!` cannot be referred to: it must be `fig-` followed by "
          + "letters, digits, - or _ (prose writes @fig-name)",
      ])
  }

  /// Frames over 300 KiB together are a warning at the `display` call; under it, nothing.
  func testAnExplorableFigureOverItsSizeLimitIsAWarningAtItsLine() throws {
    let source = "---\ntitle: T\n---\n\n```swift\nprint(1)\nprint(2)\n```\n"
    let chapter = try ChapterParser.parse(source, path: "chapters/t.md")
    func explorable(frameBytes: Int) throws -> Figure {
      let frames = (0..<2).map {
        ExplorablePayload.Frame(data: Data(repeating: UInt8($0), count: frameBytes), altText: "")
      }
      let payload = ExplorablePayload(parameter: "a", values: ["1", "2"], initial: 0, format: .png, frames: frames)
      return Figure(format: .explorable, data: try JSONEncoder().encode(payload), altText: "", caption: nil, line: 7)
    }
    var small = ChapterResult(cellCount: 1, expressionCount: 0)
    small.completed = true
    small.blocks[0].figures = [try explorable(frameBytes: 100 << 10)]
    ChapterChecker.check(chapter, result: &small)
    XCTAssertEqual(small.diagnostics, [])
    var large = small
    large.blocks[0].figures = [try explorable(frameBytes: 200 << 10)]
    large.diagnostics = []
    ChapterChecker.check(chapter, result: &large)
    XCTAssertEqual(
      large.diagnostics.map(\.description),
      [
        "chapters/t.md:7:1: warning: the 2 frames of this explorable figure take 400 KiB; keep them under 300 KiB "
          + "(fewer values, or frames with less in them)"
      ])
  }

  /// An unknown reference is reported at its own column, not inside a longer label before it.
  func testAnUnknownReferenceIsReportedAtItsOwnColumn() throws {
    let source = "---\ntitle: T\n---\n\nSee @tbl-ab and @tbl-a.\n\n```swift\nprint(1)\n```\n"
    let chapter = try ChapterParser.parse(source, path: "chapters/t.md")
    var result = ChapterResult(cellCount: chapter.cells.count, expressionCount: chapter.expressions.count)
    result.completed = true
    result.blocks[0].figures = [Figure(format: .table, data: Data(), altText: "", caption: nil, label: "tbl-ab")]
    XCTAssertEqual(
      Resolver.unknownReferences(Page(chapter: chapter, result: result)).map(\.description),
      ["chapters/t.md:5:17: error: reference to unknown label `@tbl-a` (known: @tbl-ab)"])
  }
}
