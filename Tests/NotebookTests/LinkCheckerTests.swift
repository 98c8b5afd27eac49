import XCTest

@testable import Notebook

final class LinkCheckerTests: XCTestCase {
  private func page(_ body: String) -> [UInt8] { Array("<html><body>\(body)</body></html>".utf8) }

  func testGoodSiteHasNoProblems() {
    let files: [String: [UInt8]] = [
      "index.html": page("<a href=\"a.html#intro\">A</a> <a href=\"https://example.org\">x</a>"),
      "a.html": page("<h2 id=\"intro\">I</h2><img src=\"figures/a-1.svg\" alt=\"A plot.\"><a href=\"#intro\">up</a>"),
      "figures/a-1.svg": [],
    ]
    XCTAssertEqual(LinkChecker.check(files), [])
  }

  func testMissingFileAnchorAndAltAreReported() {
    let files: [String: [UInt8]] = [
      "a.html": page("<a href=\"b.html\">b</a><a href=\"#nowhere\">n</a><img src=\"x.png\" alt=\"\">"),
      "x.png": [],
    ]
    let messages = LinkChecker.check(files).map(\.message)
    XCTAssertEqual(messages.count, 3, "\(messages)")
    XCTAssertTrue(messages.contains("broken link `b.html`: no file b.html in the site"))
    XCTAssertTrue(messages.contains("broken link `#nowhere`: a.html has no anchor #nowhere"))
    XCTAssertTrue(messages.contains { $0.hasPrefix("image without alt text") })
  }

  func testLinksToChaptersLeftOutOfAPartialBuildPass() {
    let files: [String: [UInt8]] = ["a.html": page("<a href=\"b.html#x\">b</a>")]
    XCTAssertEqual(LinkChecker.check(files, otherPages: ["b.html"]), [])
    XCTAssertEqual(LinkChecker.check(files).count, 1)
  }

  func testMarkdownLinksPointAtPages() {
    XCTAssertEqual(ChapterRenderer.pageLink("02-probabilistic-pca.md#the-model"), "02-probabilistic-pca.html#the-model")
    XCTAssertEqual(ChapterRenderer.pageLink("chapters/01-x.md"), "01-x.html")
    XCTAssertEqual(ChapterRenderer.pageLink("https://x.org/a.md"), "https://x.org/a.md")
  }

  func testReferencesSplitOutOfText() {
    let parts = Numbering.split("See @eq-kl, not me@fig-x or @other.")
    XCTAssertEqual(parts.map(\.label), [nil, "eq-kl", nil])
  }

  /// The byte scanner finds what the regular expressions it replaced find.
  func testScanningAgreesWithTheRegularExpressions() throws {
    let pages = [
      "<a href=\"a.html#x\">a</a> xhref=\"b\" src=\"c.png\" <p id=\"p\"><p\nid=\"q\"><p\u{A0}id=\"nbsp\">",
      "<img src=\"a.svg\" alt=\"A\"><imgx src=\"b\"><img\nalt=\"\"><img src=\"c\"",
      "href=\"never closed <img alt=\"x\"> id=\"after\" \u{E9}id=\"letter\" href=\"\u{E9}t\u{E9}\"",
      "", "href=\"", "<img", " id=\"",
    ]
    func regex(_ pattern: String, _ text: String) throws -> [String] {
      let expression = try NSRegularExpression(pattern: pattern)
      return expression.matches(in: text, range: NSRange(text.startIndex..., in: text)).compactMap {
        Range($0.range(at: 1), in: text).map { String(text[$0]) }
      }
    }
    for page in pages {
      let bytes = Array(page.utf8)
      XCTAssertEqual(
        HTMLScan.attributeValues(named: ["href", "src"], afterSpace: false, in: bytes),
        try regex(#"(?:href|src)="([^"]*)""#, page), page)
      XCTAssertEqual(
        HTMLScan.attributeValues(named: ["id"], afterSpace: true, in: bytes), try regex(#"\sid="([^"]*)""#, page), page)
      XCTAssertEqual(HTMLScan.imageTags(in: bytes), try regex(#"(<img\b[^>]*>)"#, page), page)
    }
    for link in ["https://a", "mailto:x", "a+b.c-d:e", "//host/x", "x.html", "1http:x", "#a:b", "a_b:c", ":x", ""] {
      XCTAssertEqual(
        LinkChecker.isExternal(link),
        link.range(of: #"^[A-Za-z][A-Za-z0-9+.-]*:"#, options: .regularExpression) != nil || link.hasPrefix("//"),
        link)
    }
  }
}
