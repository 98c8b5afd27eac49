import Foundation
import XCTest

@testable import Notebook

final class MathMarkupCompactorTests: XCTestCase {
  func testClassNamesComeFromSelectorsOnly() {
    let css = """
      /* .commented */ @font-face{src:url(fonts/KaTeX_Main.woff2) format("woff2")}
      .katex .mord-x,.a>.b:not(.c){margin:.5em 1.2em -.3em}.content:after{content:".fake"}
      """
    XCTAssertEqual(MathMarkupCompactor.classNames(inStylesheet: css), ["katex", "mord-x", "a", "b", "c", "content"])
  }

  func testDropsUnstyledClassesTheAnnotationAndQuotes() {
    let compactor = MathMarkupCompactor(stylesheets: [".base,.strut{} .mathnormal{font-style:italic}"])
    let katex =
      #"<span class="katex"><span class="katex-mathml"><math xmlns="http://www.w3.org/1998/Math/MathML">"#
      + #"<semantics><mrow><mi>x</mi><mo>&lt;</mo><mi>y</mi></mrow>"#
      + #"<annotation encoding="application/x-tex">x &lt; y</annotation></semantics></math></span>"#
      + #"<span class="katex-html" aria-hidden="true"><span class="base">"#
      + #"<span class="strut" style="height:0.5782em;vertical-align:-0.0391em;"></span>"#
      + #"<span class="mord mathnormal">x</span><span class="mrel">&lt;</span></span></span></span>"#
    let expected =
      "<span class=katex><span class=katex-mathml><math><mrow><mi>x</mi><mo>&lt;</mo><mi>y</mi></mrow></math></span>"
      + "<span class=katex-html aria-hidden=true><span class=base>"
      + "<span class=strut style=height:0.5782em;vertical-align:-0.0391em></span>"
      + "<span class=mathnormal>x</span><span>&lt;</span></span></span></span>"
    XCTAssertEqual(compactor.compact(katex), expected)
  }

  func testKeepsQuotesWhereHTMLNeedsThem() {
    let compactor = MathMarkupCompactor(stylesheets: [".a{} .b{}"])
    XCTAssertEqual(
      compactor.compact(#"<span class="a b" title="x=y">z</span>"#), #"<span class="a b" title="x=y">z</span>"#)
    XCTAssertEqual(compactor.compact(#"<span class="" style="">z</span>"#), "<span>z</span>")
  }

  func testSelfClosingTagsStaySelfClosing() {
    let compactor = MathMarkupCompactor(stylesheets: [])
    let svg =
      #"<svg xmlns="http://www.w3.org/2000/svg" width="400em" viewBox="0 0 400000 548"><path d="M0 0h1"/><line x2="1"/></svg>"#
    XCTAssertEqual(
      compactor.compact(svg), #"<svg width=400em viewBox="0 0 400000 548"><path d="M0 0h1"/><line x2=1 /></svg>"#)
  }

  /// `>` followed by a combining mark is a single `Character`; KaTeX writes one for `\not`.
  func testCombiningMarksAfterATagDoNotHideIt() {
    let compactor = MathMarkupCompactor(stylesheets: [".mrel{}"])
    XCTAssertEqual(
      compactor.compact("<mo>\u{0338}</mo><span class=\"mrel mord\">\u{0338}=</span>"),
      "<mo>\u{0338}</mo><span class=mrel>\u{0338}=</span>")
  }

  func testTagsItCannotParseAreCopied() {
    let compactor = MathMarkupCompactor(stylesheets: [])
    let odd = "<span class='mord'>a</span><!-- <x class=\"y\"> --><b data-x=\"unterminated>"
    XCTAssertEqual(compactor.compact(odd), odd)
  }

  func testSelectingOnTheClassAttributeKeepsEveryClass() {
    let compactor = MathMarkupCompactor(stylesheets: ["[class*=size]{font-size:1em}"])
    XCTAssertNil(compactor.keptClasses)
    XCTAssertEqual(compactor.compact(#"<span class="mord">x</span>"#), "<span class=mord>x</span>")
  }

  func testKaTeXHooksAlwaysStay() {
    let compactor = MathMarkupCompactor(stylesheets: [])
    XCTAssertEqual(compactor.compact(#"<span class="katex-error mord">x</span>"#), "<span class=katex-error>x</span>")
  }

  /// On KaTeX's real output the visible tree keeps every element, in order; the browser test
  /// checks that it also looks the same.
  func testRealKaTeXOutputKeepsEveryVisibleElement() throws {
    var renderer: NodeRenderer
    do { renderer = try NodeRenderer.locate() } catch { throw XCTSkip("no node or KaTeX: \(error)") }
    let compactor = try XCTUnwrap(renderer.mathCompactor)
    renderer.mathCompactor = nil
    let formula = NodeRenderer.Snippet.math(
      #"\frac{a}{\sqrt{b}} \neq \underbrace{x_i^2}_{n} \not< \mathbb{E}"#, display: true)
    guard case .html(let full, _)? = try renderer.render([formula])[formula] else { return XCTFail("KaTeX failed") }
    let compacted = compactor.compact(full)
    XCTAssertLessThan(compacted.utf8.count, full.utf8.count * 95 / 100)
    XCTAssertFalse(compacted.contains("annotation"))
    XCTAssertEqual(tagNames(inVisiblePartOf: compacted), tagNames(inVisiblePartOf: full))
    XCTAssertGreaterThan(tagNames(inVisiblePartOf: full).count, 50)
  }

  private func tagNames(inVisiblePartOf html: String) -> [String] {
    guard let start = html.range(of: "katex-html") else { return [] }
    return html[start.lowerBound...].split(separator: "<").dropFirst().map { $0.prefix { $0 != " " && $0 != ">" } }
      .map(String.init)
  }
}
