import Foundation
import XCTest

/// Issue 19's hostile chapters, through the built `notebook`: each is an error at its line (or
/// passes, when it is valid Markdown), quickly, and never a crash.
final class HostileInputTests: XCTestCase {
  /// A second for the release build; `swift test` builds the tool for debugging, several times slower.
  /// CPU time, as `make fuzz` counts it, not the wall clock: `make test` runs other tests at the
  /// same time, and a busy machine must not fail a check that did no more work.
  #if DEBUG
    private let timeLimit = 5.0
  #else
    private let timeLimit = 1.0
  #endif

  /// CPU seconds (user and system) of this process's children that have ended.
  private static func childrenCPUSeconds() -> Double {
    var usage = rusage()
    getrusage(__rusage_who_t(RUSAGE_CHILDREN.rawValue), &usage)
    func seconds(_ time: timeval) -> Double { Double(time.tv_sec) + Double(time.tv_usec) / 1e6 }
    return seconds(usage.ru_utime) + seconds(usage.ru_stime)
  }

  /// Runs `notebook check` on a chapter holding `text`; fails the test past the time limit.
  private func check(_ text: String, file: StaticString = #filePath, line: UInt = #line) throws -> NotebookBinary.Result
  {
    let project = try NotebookBinary(fixtures: [])
    defer { project.remove() }
    try Data(text.utf8).write(to: URL(fileURLWithPath: project.path("chapters/x.md")))
    let start = Self.childrenCPUSeconds()
    let result = try project.run(["check", "chapters/x.md"])
    let seconds = Self.childrenCPUSeconds() - start
    XCTAssertLessThan(seconds, timeLimit, "notebook check took \(seconds) s of CPU time", file: file, line: line)
    XCTAssertTrue(
      result.status == 0 || result.status == 1, "exit status \(result.status): \(result.stderr)", file: file,
      line: line)
    return result
  }

  private func assertError(
    _ text: String, _ expected: String, file: StaticString = #filePath, line: UInt = #line
  ) throws {
    let result = try check(text, file: file, line: line)
    XCTAssertEqual(result.status, 1, result.stderr, file: file, line: line)
    XCTAssertTrue(result.stderr.contains("chapters/x.md:" + expected), result.stderr, file: file, line: line)
  }

  private func assertPasses(_ text: String, file: StaticString = #filePath, line: UInt = #line) throws {
    let result = try check(text, file: file, line: line)
    XCTAssertEqual(result.status, 0, result.stderr, file: file, line: line)
  }

  private func repeated(_ piece: String, _ count: Int) -> String { String(repeating: piece, count: count) }

  func testFrontMatterKeysThatAreListsOrMappingsAreErrors() throws {
    for key in ["[]: x", "{a: b}: x", "? [a]"] {
      try assertError("---\n\(key)\n---\n", "2:1: error: front matter lines read `key: value`")
    }
  }

  func testDeeplyNestedFrontMatterIsAnError() throws {
    try assertError(
      "---\nsummary: \(repeated("[", 5000))\n---\n",
      "2:10: error: front matter `summary` must be one value, text or a number, not a list or mapping")
  }

  func testFrontMatterAliasesAreRefused() throws {
    // Nine levels of nine aliases: 9^9 strings if YAML expanded them.
    var bomb = "---\ntitle: &a [\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\"]\n"
    bomb += "summary: &b [*a,*a,*a,*a,*a,*a,*a,*a,*a]\n"
    for (key, alias) in zip(["c", "d", "e", "f", "g", "h", "i"], ["b", "c", "d", "e", "f", "g", "h"]) {
      bomb += "\(key): &\(key) [" + Array(repeating: "*" + alias, count: 9).joined(separator: ",") + "]\n"
    }
    try assertError(
      bomb + "---\n", "2:8: error: front matter `title` must be one value, text or a number, not a YAML anchor")
  }

  func testDeepBlockQuotesListsAndEmphasisAreErrorsAtTheirLine() throws {
    let nesting = "nested too deeply: more than 100"
    try assertError("Intro.\n\n" + repeated(">", 18_000) + " x\n", "3:101: error: this Markdown is \(nesting)")
    try assertError("Intro.\n\n" + repeated("- ", 18_000) + "x\n", "3:201: error: this Markdown is \(nesting)")
    // cmark places nested emphasis at its first delimiter.
    try assertError(
      "Intro.\n\n" + repeated("*", 43_000) + "x" + repeated("*", 43_000) + "\n",
      "3:1: error: this Markdown is \(nesting)")
    let lists = (0..<150).map { repeated("  ", $0) + "- item\n" }.joined()
    try assertError(lists, "101:201: error: this Markdown is \(nesting)")
  }

  func testManyBrokenLinksAreEachAnErrorAtTheirLine() throws {
    let links = (1...5000).map { "[a](#x\($0))\n" }.joined()
    let result = try check(links)
    XCTAssertEqual(result.status, 1)
    XCTAssertTrue(result.stderr.contains("chapters/x.md:1:1: error: broken link `#x1`"), result.stderr)
    XCTAssertTrue(result.stderr.contains("chapters/x.md:5000:1: error: broken link `#x5000`"))
  }

  func testScriptLinksAndRawHTMLOnOneLongLineTakeNoLongerThanTheirText() throws {
    let result = try check(repeated("[a](&#106;avascript:x) <b onclick=x> <i title='", 5000) + "\n")
    XCTAssertEqual(result.status, 1)
    XCTAssertTrue(result.stderr.contains("chapters/x.md:1:1: error: a link to a `javascript:` URL"), result.stderr)
    XCTAssertTrue(result.stderr.contains("chapters/x.md:1:27: error: the event-handler attribute `onclick`"))
    try assertPasses("Text " + repeated("<script><!--<a ", 20_000) + "\n")
  }

  func testEquationLabelsLeftOpenTakeNoLongerThanTheirText() throws {
    try assertPasses(repeated("$$x$${#eq-\n", 20_000))
  }

  func testDuplicateHeadingsTakeNoLongerThanTheirText() throws {
    try assertPasses(repeated("# Same\n\n", 8000))
  }

  func testOutputBlockInABlockQuoteLeftOpenIsAnErrorInTheFile() throws {
    try assertError(
      "> ```swift\n> print(1)\n> print(2)\n> ```\n> ```output\n> 1",
      "5:3: error: this code fence is never closed: add a closing ``` line after the code")
  }

  func testALoneCarriageReturnEndsALine() throws {
    let result = try check("a\r$\\frac$ @eq-x\n")
    XCTAssertTrue(result.stderr.contains("chapters/x.md:2:9: error: reference to unknown label `@eq-x`"), result.stderr)
    XCTAssertTrue(result.stderr.contains("chapters/x.md:2:1: error: LaTeX error"), result.stderr)
  }

  func testLineBreaksInsideCodeSpansTagsAndLinkTitlesCount() throws {
    try assertError("a `b\nc` @eq-x\n", "2:4: error: reference to unknown label `@eq-x`")
    try assertError("<span\ntitle=x>a</span> @eq-x\n", "2:18: error: reference to unknown label `@eq-x`")
    let result = try check("[a](#p \"t\nu\") [b](#q)\n")
    XCTAssertTrue(result.stderr.contains("chapters/x.md:1:1: error: broken link `#p`"), result.stderr)
    XCTAssertTrue(result.stderr.contains("chapters/x.md:2:1: error: broken link `#q`"), result.stderr)
  }

  func testFencesThatAreNotOpenAreNotReportedAsNeverClosed() throws {
    try assertPasses("<pre>\n```\n</pre>\n")
    try assertPasses("```\u{301}swift\nx\n```\n")
  }
}
