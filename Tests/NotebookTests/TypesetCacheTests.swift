import XCTest

@testable import Notebook

/// Snippets typeset once are not sent to node again; another renderer identity renders afresh.
final class TypesetCacheTests: XCTestCase {
  func testASnippetTypesetBeforeNeedsNoNode() throws {
    let renderer: NodeRenderer
    do { renderer = try NodeRenderer.locate() } catch { throw XCTSkip("no node or KaTeX: \(error)") }
    let folder = FileManager.default.temporaryDirectory.appendingPathComponent("typeset-\(UUID().uuidString)").path
    defer { try? FileManager.default.removeItem(atPath: folder) }
    let cache = TypesetCache(directory: folder)
    let snippets: [NodeRenderer.Snippet] = [
      .math("a + b = c", display: false), .math("x", display: false), .math("\\frac{1}{", display: true),
      .code("let a = 1", language: "swift"),
    ]
    let first = try cache.render(snippets, with: renderer)
    XCTAssertEqual(Set(first.keys), Set(snippets))
    guard case .html(_, let breaks)? = first[.math("a + b = c", display: false)] else { return XCTFail("\(first)") }
    XCTAssertTrue(breaks, "a formula of several terms may break between them")
    XCTAssertEqual(first[.math("x", display: false)].map { if case .html(_, let b) = $0 { b } else { true } }, false)
    guard case .error? = first[.math("\\frac{1}{", display: true)] else { return XCTFail("a LaTeX error is kept") }

    var offline = renderer
    offline.node = "/nonexistent/node"
    XCTAssertEqual(try cache.render(snippets, with: offline), first, "every snippet comes from the cache")
    offline.identity += " another KaTeX"
    XCTAssertThrowsError(try cache.render(snippets, with: offline), "another identity renders afresh")
  }
}
