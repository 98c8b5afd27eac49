import Foundation
import XCTest

@testable import Notebook

/// The search index: sections of resolved text, math as its TeX words, code by identifiers,
/// built by python3-lunr into a plain script the page loads without `fetch`.
final class SearchIndexTests: XCTestCase {
  func testMathIsIndexedAsItsTeXWordsAndCodeByItsIdentifiers() {
    XCTAssertEqual(SearchIndex.texWords(#"\mathrm{KL}(q \,\|\, p) + x_i^2"#), "mathrm KL q p x_i 2")
    XCTAssertEqual(
      SearchIndex.identifiers("let kl = q.klDivergence(to: .standardNormal)\nprint(kl, 3.5)"),
      ["let", "kl", "q", "klDivergence", "to", "standardNormal", "print"])
  }

  func testTheSiteCarriesAnIndexOfEverySectionAsAPlainScript() throws {
    let project = try NotebookBinary(fixtures: ["cited.md", "references.bib"])
    defer { project.remove() }
    let built = try project.run(["build"])
    XCTAssertEqual(built.status, 0, built.stderr)
    let script = try XCTUnwrap(project.read("site/assets/search-index.js"))
    let prefix = "window.notebookSearch = "
    XCTAssertTrue(script.hasPrefix(prefix))
    let json = Data(script.dropFirst(prefix.count).dropLast(2).utf8)
    let object = try XCTUnwrap(JSONSerialization.jsonObject(with: json) as? [String: Any])
    let docs = try XCTUnwrap(object["docs"] as? [[String]])
    let section = try XCTUnwrap(docs.first { $0[0] == "cited.html#the-zygomorphic-section" })
    XCTAssertEqual(section[1], "A cited chapter")
    XCTAssertEqual(section[2], "The zygomorphic section")
    XCTAssertTrue(section[3].contains("mathrm KL q p"), section[3])
    XCTAssertFalse(section[3].contains("katex"), section[3])
    // Citations are indexed as the page shows them.
    XCTAssertTrue(docs.contains { $0[3].contains("(Tipping & Bishop, 1999, Appendix A)") }, "\(docs)")
    let index = try XCTUnwrap(object["index"] as? [String: Any])
    let terms = try XCTUnwrap(index["invertedIndex"] as? [[Any]]).compactMap { $0.first as? String }
    XCTAssertTrue(terms.contains("zygomorph"), "lunr's stemmer: \(terms)")
    XCTAssertTrue(terms.contains("kldiverg"), "identifiers go through the same stemmer: \(terms)")
    XCTAssertFalse(terms.contains { $0.contains("(") }, "\(terms)")
    XCTAssertNotNil(project.read("site/assets/lunr.min.js"))
    let page = try XCTUnwrap(project.read("site/index.html"))
    XCTAssertTrue(page.contains("<input type=\"search\" id=\"search\""), page)
  }
}
