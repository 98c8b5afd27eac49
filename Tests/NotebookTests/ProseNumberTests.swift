import Foundation
import XCTest

@testable import Notebook

/// A number typed into prose that looks computed is a warning at its line and column; an inline
/// value or a marked literal is not.
final class ProseNumberTests: XCTestCase {
  func testSuspiciousNumbersAreDecimalsWithThreeSignificantDigits() {
    XCTAssertEqual(ProseNumbers.suspiciousNumbers(in: "e is 2.71828, and KL = 3.125."), ["2.71828", "3.125"])
    XCTAssertEqual(ProseNumbers.suspiciousNumbers(in: "a rate of 0.0125 and 12.5 nats"), ["0.0125", "12.5"])
    XCTAssertEqual(
      ProseNumbers.suspiciousNumbers(in: "0.5, 0.25, 1e-4, 2014, 784-400-20, OpenBLAS 0.3.21, x2.503, 1.5x, v1.234"),
      [])
  }

  func testWarningsNameTheLineAndColumnOfEachNumber() throws {
    let source = """
      ---
      title: T
      ---

      Intro with *emphasis 243.9* and
      a second line: 2.71828 and again 2.71828.

      Marked: `{literal} 1.61803`; computed: `{swift} 2.71828`; code: `3.14159`; math: $1.41421$.
      """
    let chapter = try ChapterParser.parse(source, path: "c.md")
    let warnings = ProseNumbers.warnings(chapter)
    XCTAssertEqual(warnings.map(\.location.description), ["c.md:5:22", "c.md:6:16", "c.md:6:34"])
    XCTAssertTrue(warnings.allSatisfy { $0.severity == .warning })
    XCTAssertTrue(warnings[0].message.contains("243.9"), warnings[0].message)
  }

  func testColumnsSkipMathCodeAndOtherNumbers() {
    XCTAssertEqual(ProseNumbers.proseColumns(of: "5.678", in: "1.234 then 5.678 then 5.678"), [12, 23])
    XCTAssertEqual(ProseNumbers.proseColumns(of: "2.345", in: "$a = 2.345$ is 2.345"), [16])
    XCTAssertEqual(ProseNumbers.proseColumns(of: "2.345", in: "`2.345` and `{literal} 2.345` but 2.345"), [35])
    XCTAssertEqual(ProseNumbers.proseColumns(of: "1.25", in: "11.25 and 1.250 and 1.25"), [21])
  }

  func testTheCheckReportsATypedNumberAndStrictFailsOnIt() throws {
    let project = try NotebookBinary(fixtures: [])
    defer { project.remove() }
    try project.write("chapters/typed.md", "---\ntitle: Typed\n---\n\nEuler's number is 2.71828.\n")
    let lenient = try project.run(["check"])
    XCTAssertEqual(lenient.status, 0, lenient.stderr)
    XCTAssertTrue(
      lenient.stderr.contains("chapters/typed.md:5:19: warning: the number 2.71828 is typed into the prose"),
      lenient.stderr)
    XCTAssertEqual(try project.run(["check", "--strict"]).status, 1)

    try project.write("chapters/typed.md", "---\ntitle: Typed\n---\n\nEuler's number is `{swift} 2.71828`.\n")
    let inline = try project.run(["check", "--strict"])
    XCTAssertEqual(inline.status, 0, inline.stderr)
    XCTAssertFalse(inline.stderr.contains("warning"), inline.stderr)
  }

  /// One pass over a line finds each number where looking for it alone does.
  func testAllNumbersOfALineAtOnceAsOneByOne() {
    let lines = [
      "1.234 then 5.678 then 5.678", "$a = 2.345$ is 2.345", "`2.345` and `{literal} 2.345` but 2.345",
      "11.25 and 1.250 and 1.25", "1.2.3, 4.56., .789, 10.5x and \\1.23 \\$ 4.44 $ 5.55", "",
    ]
    for line in lines {
      let all = ProseNumbers.proseNumberColumns(in: line)
      for token in Set(all.keys).union(["1.25", "2.345", "5.678", "1.2", "4.56", "0.5"]) {
        XCTAssertEqual(all[token] ?? [], ProseNumbers.proseColumns(of: token, in: line), "\(token) in \(line)")
      }
    }
  }

  /// The one-pass scanner finds what the regular expression it replaced finds.
  func testNumberTokensAreTheRegularExpressionsMatches() {
    let pattern = #/[\w.]?\d+(?:\.\d+)+\w?/#
    let pieces = ["1", "2", "0", ".", "a", "_", " ", "x", "\u{B2}", "\u{301}", "\u{663}", "-", "$"]
    var state: UInt64 = 19
    func next(_ bound: Int) -> Int {  // xorshift64, so every run tries the same texts
      state ^= state << 13
      state ^= state >> 7
      state ^= state << 17
      return Int(state % UInt64(bound))
    }
    var texts = [
      "12.5", "1.5", "x2.503", "1.2.3", "v1.234 and 0.3.21", "..1.2", "1._2",
      String(repeating: "1", count: 300) + "a.1",
    ]
    for _ in 0..<3000 { texts.append((0..<next(15)).map { _ in pieces[next(pieces.count)] }.joined()) }
    for text in texts {
      XCTAssertEqual(ProseNumbers.numberTokens(in: text), text.matches(of: pattern).map { String($0.output) }, text)
    }
  }
}
