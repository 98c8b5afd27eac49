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
}
