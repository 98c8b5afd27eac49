import XCTest

@testable import Notebook

final class OutputComparisonTests: XCTestCase {
  func testNumbersWithinRelativeToleranceMatch() {
    XCTAssertNil(OutputComparison.compare(expected: "KL = 3.125", actual: "KL = 3.1250000000001"))
    XCTAssertNil(OutputComparison.compare(expected: "x = 1e-3", actual: "x = 0.001"))
    XCTAssertNil(OutputComparison.compare(expected: "[-16.26, 2]", actual: "[-16.2599, 2.0]", tolerance: 1e-4))
  }

  func testFirstDifferingNumberIsNamed() throws {
    let mismatch = try XCTUnwrap(OutputComparison.compare(expected: "a 1\nKL = 3.125", actual: "a 1\nKL = 3.126"))
    XCTAssertEqual(mismatch.line, 1)
    XCTAssertTrue(mismatch.message.contains("expected 3.125, got 3.126"), mismatch.message)
  }

  func testNaNNeverMatches() {
    XCTAssertNotNil(OutputComparison.compare(expected: "nan", actual: "nan"))
    XCTAssertNotNil(OutputComparison.compare(expected: "1.0", actual: "nan"))
  }

  func testTextMustMatchAfterTrimmingTrailingWhitespace() {
    XCTAssertNil(OutputComparison.compare(expected: "hello  \nworld\n\n", actual: "hello\nworld"))
    XCTAssertNotNil(OutputComparison.compare(expected: "hello world", actual: "hello  world"))
    XCTAssertNotNil(OutputComparison.compare(expected: "a\nb", actual: "a"))
  }

  func testAbsoluteToleranceNearZero() {
    XCTAssertNotNil(OutputComparison.compare(expected: "0", actual: "1e-17"))
    XCTAssertNil(OutputComparison.compare(expected: "0", actual: "1e-17", absoluteTolerance: 1e-12))
  }

  func testDigitsInsideWordsAreText() {
    XCTAssertEqual(OutputComparison.tokens("x1 = 2"), [.text("x1 = "), .number(2, "2")])
    XCTAssertNotNil(OutputComparison.compare(expected: "x1", actual: "x2"))
  }

  func testADifferencePastTheExpectedTextIsReportedInsideTheBlock() throws {
    var chapter = try ChapterParser.parse("```swift\nprint(1)\n```\n```output\n1\n```\n", path: "c.md")
    var result = ChapterResult(cellCount: 1, expressionCount: 0)
    result.blocks[0].ran = true
    result.blocks[0].output = "1\n2\n3\n4\n"
    var closed = result
    ChapterChecker.check(chapter, result: &closed)
    XCTAssertEqual(closed.diagnostics.map(\.location.line), [6], "the closing fence")
    // A block whose last line is its last line of text (a fence cmark closed at its container's end).
    chapter.cells[0].expectedOutput?.lastLine = 5
    ChapterChecker.check(chapter, result: &result)
    XCTAssertEqual(result.diagnostics.map(\.location.line), [5])
  }

  func testAWhiteSpaceDifferenceIsDrawn() throws {
    let mismatch = try XCTUnwrap(OutputComparison.compare(expected: "a  b\u{A0}c", actual: "a\tb c"))
    XCTAssertEqual(
      mismatch.message, "expected \"a··b\\u{A0}c\", got \"a→b·c\" (only white space differs: → is a tab, · a space)")
    let words = try XCTUnwrap(OutputComparison.compare(expected: "a b", actual: "a c"))
    XCTAssertEqual(words.message, "expected \"a b\", got \"a c\"", "other differences are shown as printed")
  }
}
