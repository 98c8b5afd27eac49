import Foundation
import XCTest

/// The README's examples for authors, run as a chapter through the built binary: the random
/// numbers, plotting, table and explorable-figure code compile and run, the labelled `aligned`
/// display is numbered, and each heading it gives with its anchor (`## Heading` is `#anchor`)
/// gets that anchor.
final class ReadmeExamplesTests: XCTestCase {
  private let readme = NotebookBinary.packageRoot.appendingPathComponent("README.md")

  /// The first block fenced with ```` ```LANGUAGE ```` after `heading`, dedented.
  private func block(_ language: String, after heading: String, in text: String) throws -> String {
    let start = try XCTUnwrap(text.range(of: heading), "README has no \(heading)")
    let rest = text[start.upperBound...]
    let open = try XCTUnwrap(rest.range(of: "```" + language + "\n"), "no \(language) block after \(heading)")
    let indent = rest[rest[..<open.lowerBound].lastIndex(of: "\n").map { rest.index(after: $0) }!..<open.lowerBound]
    let close = try XCTUnwrap(rest[open.upperBound...].range(of: "\n" + indent + "```"))
    return rest[open.upperBound..<close.lowerBound].split(separator: "\n", omittingEmptySubsequences: false)
      .map { $0.hasPrefix(indent) ? String($0.dropFirst(indent.count)) : String($0) }.joined(separator: "\n")
  }

  func testTheAuthorExamplesRunAndTheirAnchorsAreRight() throws {
    let text = try String(contentsOf: readme, encoding: .utf8)
    let random = try block("swift", after: "### Random numbers", in: text)
    let plot = try block("swift", after: "### Plots and figures", in: text)
    let display = try block("markdown", after: "A display of several lines", in: text)
    let table = try block("swift", after: "- **Tables.**", in: text)
    let explorable = try block("swift", after: "- **Explorable figures.**", in: text)
    // "`## The ELBO, step 2` is `#the-elbo-step-2`"
    let claims = try NSRegularExpression(pattern: "`(## [^`]+)` is `#([^`]+)`").matches(
      in: text, range: NSRange(text.startIndex..., in: text)
    ).map { match in
      (String(text[Range(match.range(at: 1), in: text)!]), String(text[Range(match.range(at: 2), in: text)!]))
    }
    XCTAssertGreaterThanOrEqual(claims.count, 2, "the README gives headings with their anchors")

    // Each example stands alone, so each is a chapter of its own.
    let plotChapter = """
      ---
      title: README examples
      seed: 7
      ---

      \(claims.map(\.0).joined(separator: "\n\n"))

      \(display)

      As @eq-bound says, and @fig-draws shows; @tbl-roots and @fig-sigma too.

      ```swift
      \(plot)
      ```

      ```swift
      \(table)
      ```

      ```swift
      \(explorable)
      ```

      """
    let randomChapter = "---\ntitle: Random numbers\nseed: 7\n---\n\n```swift\n\(random)\n```\n"
    let project = try NotebookBinary(fixtures: [])
    defer { project.remove() }
    try project.write("chapters/examples.md", plotChapter)
    try project.write("chapters/random.md", randomChapter)
    let result = try project.run(["build"])
    XCTAssertEqual(result.status, 0, result.stderr + "\n" + plotChapter + randomChapter)
    let page = try XCTUnwrap(project.read("site/examples.html"))
    for (heading, anchor) in claims {
      XCTAssertTrue(page.contains("id=\"\(anchor)\""), "\(heading) should have the anchor #\(anchor)")
    }
    XCTAssertTrue(page.contains("<a class=\"xref\" href=\"#eq-bound\">Equation (1)</a>"), "the display is numbered")
    XCTAssertTrue(page.contains("<figure id=\"fig-draws\">"), "the plot is displayed")
    XCTAssertTrue(page.contains("<a class=\"xref\" href=\"#tbl-roots\">Table 1</a>"), "the table is numbered")
    XCTAssertTrue(page.contains("<td class=\"num\">1.4142</td>"), "the table is displayed")
    XCTAssertTrue(page.contains("<figure id=\"fig-sigma\" class=\"explorable\""), "the explorable figure is displayed")
    XCTAssertNotNil(project.read("site/figures/examples-2.frames.js"), "its frames are written beside the page")
  }
}
