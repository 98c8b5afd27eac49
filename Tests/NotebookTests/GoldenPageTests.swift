import Foundation
import XCTest

/// The fixture chapter's page against a recorded copy. Re-record after an intended change with
/// `make golden` (`NOTEBOOK_RECORD=1 swift test --filter GoldenPageTests`) and review the diff.
final class GoldenPageTests: XCTestCase {
  func testFixtureChapterPage() throws {
    let project = try NotebookBinary(fixtures: ["good.md"])
    defer { project.remove() }
    let result = try project.run(["build"])
    XCTAssertEqual(result.status, 0, result.stderr)
    let page = try XCTUnwrap(project.read("site/good.html"))

    // What the page must show, independent of the recording.
    XCTAssertTrue(page.contains("total = 7.0 &lt;script&gt;alert(1)&lt;/script&gt;"), "output is escaped")
    XCTAssertFalse(page.contains("<script>alert"))
    XCTAssertTrue(page.contains("<span class=\"value\">7</span>"), "inline value")
    XCTAssertTrue(page.contains("<span class=katex>"), "math rendered at build time")
    XCTAssertTrue(page.contains("<figure id=\"fig-square\"><img src=\"figures/good-1.svg\" alt=\"A black square.\""))
    XCTAssertTrue(page.contains("As <a class=\"xref\" href=\"#eq-pairs\">Equation (1)</a> shows"), "equation reference")
    XCTAssertTrue(page.contains("<a class=\"xref\" href=\"#fig-square\">Figure 1</a> draws"), "figure reference")
    XCTAssertTrue(page.contains("<span class=\"equation\" id=\"eq-pairs\">"))
    XCTAssertTrue(page.contains("<span class=\"hljs-keyword\">let</span>"), "code highlighted by highlight.js")
    XCTAssertTrue(page.contains("<li class=\"check pass\">"))
    XCTAssertTrue(page.contains("<details class=\"setup\">"))
    XCTAssertTrue(page.contains("<pre class=\"code norun\">"))
    for asset in [
      "site/assets/katex/katex.min.css", "site/assets/notebook.css", "site/figures/good-1.svg", "site/index.html",
      "site/assets/katex/fonts/KaTeX_Main-Regular.woff2",
    ] {
      XCTAssertTrue(FileManager.default.fileExists(atPath: project.path(asset)), asset)
    }

    let golden = NotebookBinary.fixtures.appendingPathComponent("golden/good.html")
    if ProcessInfo.processInfo.environment["NOTEBOOK_RECORD"] != nil {
      try page.write(to: golden, atomically: true, encoding: .utf8)
      return
    }
    let recorded = try String(contentsOf: golden, encoding: .utf8)
    if page != recorded {
      let pageLines = page.split(separator: "\n", omittingEmptySubsequences: false)
      let goldenLines = recorded.split(separator: "\n", omittingEmptySubsequences: false)
      let first =
        (0..<min(pageLines.count, goldenLines.count)).first { pageLines[$0] != goldenLines[$0] }
        ?? min(pageLines.count, goldenLines.count)
      XCTFail(
        "site/good.html differs from Fixtures/golden/good.html at line \(first + 1); re-record with `make golden` if intended:\n"
          + "recorded: \(first < goldenLines.count ? String(goldenLines[first]) : "<end>")\n"
          + "now:      \(first < pageLines.count ? String(pageLines[first]) : "<end>")")
    }
  }

  /// Punctuation after a short inline formula stays on its line; a long formula that KaTeX can
  /// break stays breakable.
  func testPunctuationAfterInlineMathDoesNotStartALine() throws {
    let project = try NotebookBinary(fixtures: [])
    defer { project.remove() }
    try project.write(
      "chapters/01-glue.md",
      "---\ntitle: Glue\n---\n\n# Glue\n\nShort $x$, long $a = b + c + d + e + f + g + h + i + j + k$; then $y$ text.\n"
    )
    let result = try project.run(["build"])
    XCTAssertEqual(result.status, 0, result.stderr)
    let page = try XCTUnwrap(project.read("site/01-glue.html"))
    let paragraph = try XCTUnwrap(page.components(separatedBy: "<p>Short ").last)
    XCTAssertTrue(paragraph.hasPrefix("<span class=\"nobreak\"><span class=katex>"), paragraph)
    XCTAssertTrue(paragraph.contains("</span>,</span> long <span class=katex>"), "short formula glued to its comma")
    XCTAssertTrue(paragraph.contains("</span>; then <span class=katex>"), "long breakable formula left alone")
    XCTAssertTrue(paragraph.contains("</span> text."), "no punctuation, no glue")
    XCTAssertEqual(paragraph.components(separatedBy: "nobreak").count - 1, 1)
  }
}
