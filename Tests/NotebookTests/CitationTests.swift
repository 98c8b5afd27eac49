import Foundation
import XCTest

@testable import Notebook

/// Citations in Pandoc's syntax: found in prose here, formatted by pandoc against the chapter's
/// `references.bib`; an unknown key is an error at its line and column.
final class CitationTests: XCTestCase {
  private func citations(_ text: String) -> [[String]] {
    Citations.split(text).compactMap { $0.citation?.keys }
  }

  func testPandocSyntaxIsFoundAndOtherAtSignsAreLeftAlone() {
    XCTAssertEqual(citations("as shown [@kingma2014]."), [["kingma2014"]])
    XCTAssertEqual(citations("[see @a, p. 3; @b-c:2]"), [["a", "b-c:2"]])
    XCTAssertEqual(citations("@tipping1999 wrote it down."), [["tipping1999"]])
    XCTAssertEqual(citations("[-@kingma2014]"), [["kingma2014"]])
    XCTAssertEqual(citations("mail someone@example.org"), [])
    XCTAssertEqual(citations("as @eq-elbo and @fig-kl and [@tbl-x] show"), [])
    let parts = Citations.split("A [@a; @b] and @c.")
    XCTAssertEqual(parts.map(\.text), ["A ", "[@a; @b]", " and ", "@c", "."])
  }

  func testAnUnknownKeyIsAnErrorAtItsLineAndColumn() throws {
    let source = "---\ntitle: T\n---\n\nFirst line.\nSecond, as [@known] and\nthen [@nosuch] say.\n"
    let chapter = try ChapterParser.parse(source, path: "chapters/t.md")
    let diagnostics = Citations.unknownKeys(in: chapter, known: ["known"], bibliography: "chapters/references.bib")
    XCTAssertEqual(
      diagnostics.map(\.description),
      [
        "chapters/t.md:7:6: error: citation of unknown key `@nosuch`: chapters/references.bib has no entry `nosuch` (known: @known)"
      ])
  }

  /// The APA reference list entry and in-text citation, as APA (7th edition) writes them:
  /// an independent reference for what pandoc and the style make of the BibTeX.
  func testPandocFormatsEntriesAndCitationsInAPAStyle() throws {
    let formatter: Citations.Formatter
    do { formatter = try Citations.Formatter.locate() } catch { throw XCTSkip("\(error)") }
    let bibliography = NotebookBinary.fixtures.appendingPathComponent("references.bib").path
    XCTAssertEqual(try formatter.keys(bibliography: bibliography), ["kingma2014", "tipping1999"])
    let cited = [
      Citations.Citation(text: "[@tipping1999, Appendix A]", keys: ["tipping1999"]),
      Citations.Citation(text: "@kingma2014", keys: ["kingma2014"]),
    ]
    let rendering = try XCTUnwrap(formatter.render([cited], bibliography: bibliography).first)
    XCTAssertEqual(rendering.plain["[@tipping1999, Appendix A]"], "(Tipping & Bishop, 1999, Appendix A)")
    XCTAssertEqual(rendering.plain["@kingma2014"], "Kingma & Welling (2014)")
    XCTAssertEqual(rendering.entries.map(\.key), ["kingma2014", "tipping1999"])
    XCTAssertEqual(
      Citations.Formatter.plainText(rendering.entries[1].html),
      "Tipping, M. E., & Bishop, C. M. (1999). Probabilistic principal component analysis. Journal of the "
        + "Royal Statistical Society: Series B (Statistical Methodology), 61(3), 611–622. "
        + "https://doi.org/10.1111/1467-9868.00196")
    let html = try XCTUnwrap(rendering.citations["[@tipping1999, Appendix A]"])
    XCTAssertTrue(
      html.contains("<a class=\"citation\" href=\"#ref-tipping1999\" aria-describedby=\"ref-tipping1999\">"), html)
    XCTAssertTrue(html.contains("<span class=\"cite-note\" aria-hidden=\"true\">Tipping, M. E., &amp; Bishop"), html)
  }

  func testABuiltChapterEndsWithItsReferencesAndAnUnknownKeyFailsEveryCommand() throws {
    let project = try NotebookBinary(fixtures: ["cited.md", "references.bib"])
    defer { project.remove() }
    let built = try project.run(["build"])
    XCTAssertEqual(built.status, 0, built.stderr)
    let page = try XCTUnwrap(project.read("site/cited.html"))
    XCTAssertTrue(page.contains("<h2 id=\"references\">References"), page)
    XCTAssertTrue(page.contains("<div id=\"ref-tipping1999\" class=\"csl-entry\""), page)
    XCTAssertTrue(page.contains("href=\"#ref-kingma2014\""), page)
    XCTAssertTrue(page.contains("<a href=\"#references\">References</a>"), "the contents list the References")

    try project.write(
      "chapters/cited.md",
      project.read("chapters/cited.md")!.replacingOccurrences(
        of: "@kingma2014 made", with: "@kingma2013 made"))
    for command in ["build", "check"] {
      let result = try project.run([command])
      XCTAssertEqual(result.status, 1, result.stderr)
      XCTAssertTrue(
        result.stderr.contains(
          "chapters/cited.md:8:52: error: citation of unknown key `@kingma2013`: chapters/references.bib has no entry `kingma2013`"
        ),
        result.stderr)
    }
  }
}
