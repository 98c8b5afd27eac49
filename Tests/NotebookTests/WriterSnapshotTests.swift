import NotebookEvents
import XCTest

@testable import Notebook

/// The writer, one construct at a time, on pages built by hand: no compiler, no node. Each
/// article is compared with `Fixtures/writer/<construct>.html`; re-record after an intended
/// change with `make golden` (`NOTEBOOK_RECORD=1`) and review the diff.
final class WriterSnapshotTests: XCTestCase {
  /// The article of `markdown` (front matter added) with a result `shape` fills in, and math
  /// and code "typeset" as bracketed text, so that the snapshot shows where each rendering goes.
  private func article(
    _ markdown: String, citations: Citations.Rendering? = nil, shape: (inout ChapterResult) -> Void = { _ in }
  ) throws -> String {
    let chapter = try ChapterParser.parse("---\ntitle: Snapshot\n---\n\n" + markdown, path: "chapters/s.md")
    var result = ChapterResult(cellCount: chapter.cells.count, expressionCount: chapter.expressions.count)
    result.completed = true
    shape(&result)
    let page = Page(chapter: chapter, result: result, citations: citations)
    var typeset: [NodeRenderer.Snippet: NodeRenderer.Rendering] = [:]
    for (snippet, _) in page.mathSnippets {
      typeset[snippet] =
        snippet.text.contains("\\bad")
        ? .error("bad") : .html("[math \(snippet.text)]", breaksInside: snippet.text.count > 3)
    }
    for snippet in chapter.codeSnippets { typeset[snippet] = .html("[code \(snippet.text)]") }
    var renderer = ChapterRenderer(page: page, prerendered: typeset)
    return renderer.render()
  }

  private func assertSnapshot(_ name: String, _ html: String, file: StaticString = #filePath, line: UInt = #line) throws
  {
    let url = NotebookBinary.fixtures.appendingPathComponent("writer/\(name).html")
    if ProcessInfo.processInfo.environment["NOTEBOOK_RECORD"] != nil {
      try html.write(to: url, atomically: true, encoding: .utf8)
      return
    }
    let recorded = try String(contentsOf: url, encoding: .utf8)
    XCTAssertEqual(
      html, recorded, "Fixtures/writer/\(name).html; re-record with `make golden` if intended", file: file, line: line)
  }

  func testHeadingsTakeUniqueAnchorsAndTheTitleIsNotRepeated() throws {
    try assertSnapshot("headings", try article("# Snapshot\n\n## A *b*\n\n## A b\n\n### `code` & <x>\n"))
  }

  func testInlines() throws {
    try assertSnapshot(
      "inlines",
      try article(
        "Text *em* **strong** `code <b>` [link](02-other.md#part \"t\") ![alt *x*](p.png) <span>raw</span>\\\nbreak\nsoft & < >.\n"
      ))
  }

  func testBlocks() throws {
    try assertSnapshot(
      "blocks",
      try article(
        "> quote\n\n- tight\n- list\n\n3. loose\n\n4. ordered\n\n```text\nplain <code>\n```\n\n    indented\n\n<div class=\"raw\">raw block</div>\n\n***\n"
      ))
  }

  func testMathInlineDisplayLabeledGluedAndFailed() throws {
    try assertSnapshot(
      "math",
      try article(
        "Short $x$, long $a + b + c + d + e + f + g + h + i + j + k + l + m + n + o + p$. A bad $\\bad$.\n\n$$ e = mc^2 $$ {#eq-e}\n\nBy @eq-e, not @eq-none.\n"
      ))
  }

  func testCellsInEveryModeWithOutputErrorsAndChecks() throws {
    let markdown = """
      ```swift
      print("run")
      ```

      ```swift hide
      let setup = 1
      ```

      ```swift norun
      shown()
      ```

      ```swift exercise=sum
      let sum = 0
      ```

      ```swift solution=sum
      let sum = 1
      ```
      """
    try assertSnapshot(
      "cells",
      try article(markdown) { result in
        result.blocks[0].ran = true
        result.blocks[0].output = "run <ok>\n"
        result.blocks[0].truncatedBytes = 12
        result.blocks[1].error = "Fatal error: <trap>"
        let location = SourceLocation(file: "chapters/s.md", line: 6)
        result.checks = [
          CheckResult(
            kind: .check, label: "kl", value: "3.125", expectation: "= 3.125 ± 1e-12", passed: true, detail: nil,
            location: location, cell: 0),
          CheckResult(
            kind: .check, label: "gap", value: "2", expectation: "≤ 1", passed: false, detail: "too <big>",
            location: location, cell: 0),
          CheckResult(
            kind: .output, label: "output", value: "differs", expectation: "expected output", passed: false,
            detail: nil, location: location, cell: 1),
          CheckResult(
            kind: .check, label: "sum", value: "1", expectation: "= 1", passed: true, detail: nil, location: location,
            cell: 4, exercise: "sum"),
        ]
      })
  }

  func testFiguresTablesAndExplorablesAreNumberedApart() throws {
    let frames = [
      ExplorablePayload.Frame(data: Data("<svg>1</svg>".utf8), altText: "one"),
      ExplorablePayload.Frame(data: Data("<svg>2</svg>".utf8), altText: "two"),
    ]
    let explorable = try JSONEncoder().encode(
      ExplorablePayload(parameter: "k", values: ["1", "2"], initial: 1, format: .svg, frames: frames))
    let table = try JSONEncoder().encode(
      TablePayload(
        columns: [.init(title: "n", numeric: true), .init(title: "name", numeric: false)], rows: [["1", "<a>"]]))
    try assertSnapshot(
      "figures",
      try article("See @fig-curve, @tbl-sizes and @fig-k.\n\n```swift\nprint(1)\n```\n") { result in
        result.blocks[0].figures = [
          Figure(
            format: .svg, data: Data("<svg/>".utf8), altText: "A curve.", caption: "The <curve>.", label: "fig-curve"),
          Figure(format: .table, data: table, altText: "", caption: "Sizes.", label: "tbl-sizes"),
          Figure(format: .png, data: Data([1]), altText: "Pixels.", caption: nil, label: nil),
          Figure(format: .explorable, data: explorable, altText: "", caption: "Vary k.", label: "fig-k"),
          Figure(format: .table, data: table, altText: "", caption: nil, label: nil),
        ]
      })
  }

  func testCitationsAndTheReferencesSection() throws {
    let citations = Citations.Rendering(
      citations: ["[@kingma2014]": "<a href=\"#ref-kingma2014\">(Kingma &amp; Welling, 2014)</a>"],
      entries: [(key: "kingma2014", html: "Kingma, D. P., &amp; Welling, M. (2014).")],
      plain: ["[@kingma2014]": "(Kingma & Welling, 2014)"])
    try assertSnapshot(
      "citations",
      try article("## References\n\nThe VAE [@kingma2014] and [@missing].\n", citations: citations))
  }

  func testInlineValuesShownOrMissing() throws {
    try assertSnapshot(
      "values",
      try article("```swift\nlet a = 1\n```\n\nIt is `{swift} a` and `{swift} a + 1`, typed `{literal} 1.618`.\n") {
        result in
        result.inlineValues = ["1 <one>", nil]
      })
  }
}
