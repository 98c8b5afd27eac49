import XCTest

@testable import Notebook

/// The page renders Markdown as cmark does (`cmark --unsafe`, CommonMark 0.30) outside what it
/// does on purpose (README, "How it works"); links and raw HTML that could run script are errors.
final class CommonMarkTests: XCTestCase {
  private func parse(_ source: String) throws -> Chapter { try ChapterParser.parse(source, path: "c.md") }

  /// The chapter's article, rendered without node (math and code untypeset) or a run.
  private func article(_ source: String) throws -> String {
    let chapter = try parse(source)
    var renderer = ChapterRenderer(
      page: Page(chapter: chapter, result: ChapterResult(cellCount: chapter.cells.count, expressionCount: 0)),
      prerendered: [:])
    return renderer.render()
  }

  /// The errors of every stage that needs no compiler or node, for `source` as a chapter of the
  /// instructor's edition: the checks after a run with no code run, and Resolve's.
  private func errors(_ source: String) -> [String] {
    var outcome = ChapterOutcome(path: "c.md", chapter: nil, result: nil, diagnostics: [])
    do {
      let chapter = try parse(source)
      var result = ChapterResult(cellCount: chapter.cells.count, expressionCount: chapter.expressions.count)
      ChapterChecker.check(chapter, result: &result)
      outcome = ChapterOutcome(path: "c.md", chapter: chapter, result: result, diagnostics: result.diagnostics)
    } catch {
      outcome.diagnostics = (error as? ChapterFailure)?.diagnostics ?? []
    }
    var outcomes = [outcome]
    _ = Resolver.resolve(&outcomes, siteFiles: Set(SiteAssets.pageFiles))
    return outcomes[0].errors.map(\.description)
  }

  /// The math pass once took the indented closing fence for an opening one: the chapter was
  /// "never closed" and the math after it was left untypeset.
  func testAFenceOpenedOnAListItemLineHoldsBlankLinesAndMathAfterItIsMath() throws {
    for (source, line) in [
      ("- ```\n  a\n\n  b\n  ```\n\nThen $x_1^*$.\n", 7),
      ("1. ```swift norun\n   let a = 1\n\n   let b = 2\n   ```\n\nThen $x_1^*$.\n", 7),
      ("- a\n- ```\n  b\n\n\n  ```\n- c\n\nThen $x_1^*$.\n", 9),
    ] {
      let chapter = try parse(source)
      guard case .paragraph(let inlines, _)? = chapter.blocks.last else { return XCTFail("\(chapter.blocks)") }
      XCTAssertEqual(
        inlines, [.text("Then "), .math(tex: "x_1^*", display: false, line: line), .text(".")], source)
    }
  }

  func testCodeBlocksKeepTheirFinalLineBreak() throws {
    let page = try article("```text\nfoo\n```\n\n```\n```\n\n    indented\n\n```swift norun\nlet a = 1\n```\n")
    XCTAssertTrue(page.contains("<code class=\"language-text\">foo\n</code>"), page)
    XCTAssertTrue(page.contains("<code></code>"), "an empty block stays empty: \(page)")
    XCTAssertTrue(page.contains("<code>indented\n</code>"), page)
    XCTAssertTrue(page.contains("<code class=\"language-swift\">let a = 1\n</code>"), page)
    XCTAssertEqual(try parse("```swift\nlet a = 1\n```\n").cells.first?.code, "let a = 1", "the program's code")
  }

  /// `cmark --unsafe` on the same Markdown writes these attributes.
  func testLinkAndImageURLsArePercentEncodedAsCmarkDoes() throws {
    let cases = [
      ("[a](</my uri>)", "href=\"/my%20uri\""),
      ("[a](x\\\\y)", "href=\"x%5Cy\""),
      ("[a](<x`y[]z>)", "href=\"x%60y%5B%5Dz\""),
      ("[a](caf\u{E9}.html)", "href=\"caf%C3%A9.html\""),
      ("[a](x?a=1&b='2'#f)", "href=\"x?a=1&amp;b=&#x27;2&#x27;#f\""),
      ("[a](already%20encoded{}|^)", "href=\"already%20encoded%7B%7D%7C%5E\""),
      ("[a](a\"b) [c](<d\"e>)", "href=\"a%22b\">a</a> <a href=\"d%22e\""),
      ("![i](<my pic.png> \"t\")", "src=\"my%20pic.png\""),
      ("<https://example.org/a~b$c>", "href=\"https://example.org/a~b$c\""),
      ("[a](02-ppca.md#the%20model)", "href=\"02-ppca.html#the%20model\""),
    ]
    for (markdown, attribute) in cases {
      let page = try article(markdown + "\n")
      XCTAssertTrue(page.contains(attribute), "\(markdown): \(page)")
    }
    XCTAssertEqual(Href.percentEncoded("a b&c'd"), "a%20b&c'd")
  }

  func testTheLinkCheckerReadsPercentEncodedLinks() {
    let page = Array("<a href=\"my%20page.html#caf%C3%A9\">a</a><a href=\"it&#x27;s.html\">b</a>".utf8)
    let files: [String: [UInt8]] = [
      "a.html": page, "my page.html": Array("<h2 id=\"caf\u{E9}\">C</h2>".utf8), "it's.html": [],
    ]
    XCTAssertEqual(LinkChecker.check(files), [])
  }

  func testScriptURLsAreErrorsAtTheirLinksInEveryForm() {
    let source = """
      Intro.

      A [link](javascript:alert(1)) and an ![image](data:text/html,x).
      An autolink <JavaScript:alert(2)>, a [b](vbscript:x) and a [c](file:///etc/passwd).
      Fine: ![png](data:image/png;base64,AA) and [web](https://example.org/javascript:x).

      <a href="javascript:alert(3)">raw</a>

      <img src="java&#x09;script&#58;x" alt="hidden">
      """
    let found = errors(source)
    for expected in [
      "c.md:3:10: error: a link to a `javascript:` URL is not allowed",
      "c.md:3:47: error: an image from a `data:` URL is not allowed",
      "c.md:4:14: error: a link to a `javascript:` URL",
      "c.md:4:42: error: a link to a `vbscript:` URL",
      "c.md:4:64: error: a link to a `file:` URL",
      "c.md:7:4: error: raw HTML `href` to a `javascript:` URL",
      "c.md:9:6: error: raw HTML `src` to a `javascript:` URL",
    ] {
      XCTAssertTrue(found.contains { $0.hasPrefix(expected) }, "\(expected) in \(found)")
    }
    XCTAssertEqual(found.filter { $0.contains("URL is not allowed") }.count, 7, "\(found)")
  }

  func testEventHandlerAttributesInRawHTMLAreErrorsAtTheirLine() {
    let source = """
      Intro.

      <div class="note"
           onclick="alert(1)">
      A note.
      </div>

      Inline <img src="x.png" alt="x" ONERROR = 'alert(2)'> and text that says onclick=fine.

      <!-- <b onclick="commented out"> -->
      <script>let s = "<b onload=x>"</script>
      """
    let found = errors(source)
    XCTAssertTrue(
      found.contains { $0.hasPrefix("c.md:4:6: error: the event-handler attribute `onclick` is not allowed") },
      "\(found)")
    XCTAssertTrue(
      found.contains { $0.hasPrefix("c.md:8:33: error: the event-handler attribute `onerror`") }, "\(found)")
    XCTAssertEqual(found.filter { $0.contains("event-handler") }.count, 2, "\(found)")
  }

  func testRawHTMLLinksAndImagesAreReportedAtTheirOwnLine() {
    let source = """
      ## Section

      A [good link](#section).

      <p>See <a href="missing.html">this</a>.</p>

      Inline <img src="figures/none.png" alt="none"> and
      <a
        href="#nowhere">a tag over lines</a>.

      <img src="no-alt.png">
      """
    let found = errors(source)
    for expected in [
      "c.md:5:1: error: broken link `missing.html`", "c.md:7:1: error: broken link `figures/none.png`",
      "c.md:9:1: error: broken link `#nowhere`", "c.md:11:1: error: broken link `no-alt.png`",
      "c.md:11:1: error: image without alt text",
    ] {
      XCTAssertTrue(found.contains { $0.hasPrefix(expected) }, "\(expected) in \(found)")
    }
    XCTAssertFalse(found.contains { $0.hasPrefix("c.md:1:") }, "\(found)")
  }

  func testABrokenTargetIsReportedAtEachLineThatLinksThere() {
    let found = errors("[a](#gone)\n\n[b](#gone) <a href=\"#gone\">c</a>\n")
    XCTAssertEqual(found.filter { $0.contains("broken link `#gone`") }.map { $0.prefix(7) }, ["c.md:1:", "c.md:3:"])
  }

  func testRawHTMLAttributesAreReadAsABrowserReadsThem() {
    let attributes = RawHTMLAttributes.attributes(
      in:
        "<a href=\"x.html\" data-x='1'\n  hidden title=bare>t</a><!-- <b onclick=x> --><style>p{} <i onload=y></style>"
        + "<svg><image xlink:href=\"i.png\"/></svg>")
    XCTAssertEqual(
      attributes.map { "\($0.name)=\($0.value ?? "nil")@\($0.lineOffset)" },
      // A tag in `<style>` text is read too: inside `<svg>` a browser would make it a tag.
      ["href=x.html@0", "data-x=1@0", "hidden=nil@1", "title=bare@1", "onload=y@1", "xlink:href=i.png@1"])
  }

  /// Markup a browser reads differently from a naive scanner: short comments, `--!>`, tags in
  /// SVG's `<style>`, numeric references with leading zeros, and form and object URLs.
  func testRawHTMLThatHidesAHandlerOrAScriptURLIsStillFound() {
    let source = """
      <!--><img src="x.png" alt="" onerror="a()">-->

      <!---><b onclick="b()">b</b>-->

      <!-- c --!><i onmouseover="c()">c</i> -->

      <svg><style><img src="y.png" alt="" onerror="d()"></style></svg>

      <a href="&#000000106;avascript:e()">e</a>

      <form action="javascript:f()"><button formaction="javascript:g()">g</button></form>
      """
    let found = errors(source)
    for expected in [
      "c.md:1:", "c.md:3:", "c.md:5:", "c.md:7:",
    ] {
      XCTAssertTrue(
        found.contains { $0.hasPrefix(expected) && $0.contains("event-handler") }, "\(expected) in \(found)")
    }
    for (line, attribute) in [(9, "href"), (11, "action"), (11, "formaction")] {
      XCTAssertTrue(
        found.contains { $0.hasPrefix("c.md:\(line):") && $0.contains("raw HTML `\(attribute)` to a `javascript:`") },
        "\(attribute) at \(line) in \(found)")
    }
  }

  func testURLsCmarkSafeModeDrops() {
    for url in ["javascript:x", "JAVASCRIPT:x", "vbscript:x", "file:x", "data:text/html,x", "data:image/svg+xml,x"] {
      XCTAssertNotNil(UnsafeMarkup.refusedScheme(url), url)
    }
    for url in [
      "data:image/png;x", "DATA:IMAGE/GIF,x", "data:image/jpeg,x", "data:image/webp,x", "https://x", " javascript:x",
      "#javascript:",
    ] {
      XCTAssertNil(UnsafeMarkup.refusedScheme(url), url)
    }
    XCTAssertEqual(UnsafeMarkup.browserURL(" \u{1}jav&#x61;\tscript&colon;x"), "javascript:x")
  }
}
