import Foundation
import XCTest

/// The bad-input cases and the cache, through the built `notebook` binary.
final class EndToEndTests: XCTestCase {
  func testCompileErrorPointsAtTheMarkdownLineAndLeavesTheSiteAlone() throws {
    let project = try NotebookBinary(fixtures: ["good.md"])
    defer { project.remove() }
    XCTAssertEqual(try project.run(["build"]).status, 0)
    let page = project.read("site/good.html")
    XCTAssertNotNil(page)

    try project.add("compile-error.md")
    let result = try project.run(["build"])
    XCTAssertEqual(result.status, 1)
    XCTAssertTrue(
      result.stderr.contains("chapters/compile-error.md:9:9: error: cannot find 'undefinedName' in scope"),
      result.stderr)
    XCTAssertTrue(result.stderr.contains("✓ chapters/good.md"), "the other chapter still builds")
    XCTAssertEqual(project.read("site/good.html"), page, "the previous site stays as it was")
    XCTAssertNil(project.read("site/compile-error.html"))
  }

  func testTrapIsReportedAtItsLineAndEarlierOutputIsKept() throws {
    let project = try NotebookBinary(fixtures: ["trap.md"])
    defer { project.remove() }
    let result = try project.run(["run", "chapters/trap.md"])
    XCTAssertEqual(result.status, 1)
    XCTAssertTrue(result.stdout.contains("first block ran"), result.stdout)
    XCTAssertTrue(result.stdout.contains("second block ran"), result.stdout)
    XCTAssertTrue(result.stderr.contains("chapters/trap.md:13:"), result.stderr)
    XCTAssertTrue(result.stderr.contains("Index out of range"), result.stderr)
  }

  func testEndlessLoopIsStoppedAtTheTimeout() throws {
    let project = try NotebookBinary(fixtures: ["loop.md", "drift.md"])
    defer { project.remove() }
    let start = Date()
    let result = try project.run(["check"])
    XCTAssertLessThan(Date().timeIntervalSince(start), 60)
    XCTAssertEqual(result.status, 1)
    XCTAssertTrue(result.stderr.contains("chapters/loop.md:"), result.stderr)
    XCTAssertTrue(result.stderr.contains("timeout of 2 s"), result.stderr)
    XCTAssertTrue(result.stderr.contains("chapters/drift.md"), "the build goes on to other chapters")
  }

  func testHugeOutputIsTruncatedWithANotice() throws {
    let project = try NotebookBinary(fixtures: ["big-output.md"])
    defer { project.remove() }
    XCTAssertEqual(try project.run(["build"]).status, 0)
    let page = try XCTUnwrap(project.read("site/big-output.html"))
    XCTAssertTrue(page.contains("output truncated"))
    XCTAssertLessThan(page.utf8.count, 1_000_000)
  }

  func testDriftingNumberFailsWithPathAndLine() throws {
    let project = try NotebookBinary(fixtures: ["drift.md"])
    defer { project.remove() }
    let result = try project.run(["check"])
    XCTAssertEqual(result.status, 1)
    XCTAssertTrue(result.stderr.contains("chapters/drift.md:7:1: error: check failed: KL"), result.stderr)
    XCTAssertTrue(result.stdout.contains("checks: 0 passed, 1 failed"), result.stdout)
  }

  func testCachedFailuresMoveWithTheirCode() throws {
    let project = try NotebookBinary(fixtures: ["drift.md"])
    defer { project.remove() }
    XCTAssertTrue(try project.run(["check"]).stderr.contains("chapters/drift.md:7:1: error: check failed"))
    let source = try XCTUnwrap(project.read("chapters/drift.md"))
    try project.write("chapters/drift.md", source.replacingOccurrences(of: "---\n\n", with: "---\n\nProse.\n\n"))
    let result = try project.run(["check"])
    XCTAssertTrue(result.stderr.contains("(cached)"), result.stderr)
    XCTAssertTrue(result.stderr.contains("chapters/drift.md:9:1: error: check failed"), result.stderr)
  }

  func testExercisesPassWithSolutionsAndFailAsStubsWithoutGivingTheAnswerAway() throws {
    let project = try NotebookBinary(fixtures: ["exercise.md"])
    defer { project.remove() }
    let instructor = try project.run(["check"])
    XCTAssertEqual(instructor.status, 0, instructor.stderr)

    let student = try project.run(["check", "--edition", "student"])
    XCTAssertEqual(student.status, 1)
    XCTAssertTrue(
      student.stdout.contains("exercise mean-of-three (chapters/exercise.md): ✗ not yet the expected answer"),
      student.stdout)
    XCTAssertTrue(student.stdout.contains("exercises: 0 of 1 solved"), student.stdout)

    XCTAssertEqual(try project.run(["build", "--edition", "student"]).status, 0)
    for file in ["student/chapters/exercise.md", "student/site/exercise.html"] {
      let text = try XCTUnwrap(project.read(file), file)
      XCTAssertFalse(text.contains("reduce"), "\(file) holds solution code")
      XCTAssertFalse(text.contains("43.3"), "\(file) holds the answer")
      XCTAssertTrue(text.contains("mean-of-three"), file)
    }
  }

  func testNaNOutputIsAnError() throws {
    let project = try NotebookBinary(fixtures: ["nan.md"])
    defer { project.remove() }
    let result = try project.run(["check"])
    XCTAssertEqual(result.status, 1)
    XCTAssertTrue(result.stderr.contains("chapters/nan.md:5:1: error: the block printed NaN"), result.stderr)
  }

  func testBadLaTeXEmptyChapterAndUnclosedFenceAreClearErrors() throws {
    let project = try NotebookBinary(fixtures: ["bad-latex.md", "empty.md", "unclosed-fence.md"])
    defer { project.remove() }
    let result = try project.run(["check"])
    XCTAssertEqual(result.status, 1)
    XCTAssertTrue(result.stderr.contains("chapters/bad-latex.md:7:1: error: LaTeX error"), result.stderr)
    XCTAssertTrue(result.stderr.contains("chapters/empty.md:1:1: error: the chapter is empty"), result.stderr)
    XCTAssertTrue(
      result.stderr.contains("chapters/unclosed-fence.md:5:1: error: this code fence is never closed"), result.stderr)
  }

  /// A partial run resolves links against the whole course: a link to a missing section of a
  /// chapter not built this time fails `run`, `check` and `build CHAPTER --out DIR` at its line,
  /// and nothing is written.
  func testAPartialRunChecksLinksIntoTheOtherChapters() throws {
    let project = try NotebookBinary(fixtures: [])
    defer { project.remove() }
    try project.write("chapters/a.md", "---\ntitle: A\n---\n\nSee [b](b.md#present).\n\nAnd [gone](b.md#absent).\n")
    try project.write("chapters/b.md", "---\ntitle: B\n---\n\n## Present\n")
    for command in [["run"], ["check"], ["build", "--out", "partial"]] {
      let result = try project.run(command + ["chapters/a.md"])
      XCTAssertEqual(result.status, 1, "\(command): \(result.stderr)")
      XCTAssertTrue(
        result.stderr.contains("chapters/a.md:7:1: error: broken link `b.html#absent`: b.html has no anchor #absent"),
        "\(command): \(result.stderr)")
      XCTAssertFalse(result.stderr.contains("#present"), "\(command): \(result.stderr)")
    }
    XCTAssertFalse(FileManager.default.fileExists(atPath: project.path("partial")))
    try project.write("chapters/a.md", "---\ntitle: A\n---\n\nSee [b](b.md#present).\n")
    XCTAssertEqual(try project.run(["build", "chapters/a.md", "--out", "partial"]).status, 0)
  }

  /// `run`, `check` and `build` give one verdict on a chapter: the same errors, each at its
  /// own line (a LaTeX error, a broken Markdown link, a broken raw-HTML link, a script URL).
  func testEveryCommandReportsTheSameProblemsAtTheirLines() throws {
    let project = try NotebookBinary(fixtures: ["every-problem.md"])
    defer { project.remove() }
    var reported = [String: [String]]()
    for command in ["run", "check", "build"] {
      let result = try project.run([command, "chapters/every-problem.md"])
      XCTAssertEqual(result.status, 1, "\(command): \(result.stderr)")
      let errors = result.stderr.split(separator: "\n").filter { $0.contains(": error: ") }.map(String.init)
      reported[command] = errors.sorted()
      for expected in [
        "chapters/every-problem.md:5:1: error: LaTeX error",
        "chapters/every-problem.md:7:1: error: broken link `missing-chapter.html`",
        "chapters/every-problem.md:9:1: error: broken link `nope.html`",
        "chapters/every-problem.md:11:6: error: a link to a `javascript:` URL is not allowed",
      ] {
        XCTAssertTrue(errors.contains { $0.hasPrefix(expected) }, "\(command) misses «\(expected)»: \(errors)")
      }
    }
    XCTAssertEqual(reported["run"], reported["check"])
    XCTAssertEqual(reported["check"], reported["build"])
  }

  func testBrokenLinksAndUnknownReferencesAreErrorsAtTheirLines() throws {
    let project = try NotebookBinary(fixtures: ["broken-link.md"])
    defer { project.remove() }
    let result = try project.run(["build"])
    XCTAssertEqual(result.status, 1)
    XCTAssertTrue(
      result.stderr.contains(
        "chapters/broken-link.md:5:1: error: broken link `missing-chapter.html`: no file missing-chapter.html in the site"
      ),
      result.stderr)
    XCTAssertTrue(
      result.stderr.contains("chapters/broken-link.md:7:5: error: reference to unknown label `@eq-nowhere`"),
      result.stderr)
    XCTAssertNil(project.read("site/broken-link.html"))
  }

  func testScriptLinksAndBrokenRawHTMLLinksFailRunCheckAndBuildAlikeAtTheirLines() throws {
    let project = try NotebookBinary(fixtures: [])
    defer { project.remove() }
    try project.write(
      "chapters/unsafe.md",
      "---\ntitle: Unsafe\n---\n\nA [link](javascript:alert(1)).\n\n<p>See <a href=\"missing.html\">this</a>.</p>\n\n"
        + "```swift\nprint(1)\n```\n")
    for command in [["run", "chapters/unsafe.md"], ["check"], ["build"]] {
      let result = try project.run(command)
      XCTAssertEqual(result.status, 1, "\(command): \(result.stderr)")
      XCTAssertTrue(
        result.stderr.contains("chapters/unsafe.md:5:10: error: a link to a `javascript:` URL is not allowed"),
        "\(command): \(result.stderr)")
      XCTAssertTrue(
        result.stderr.contains(
          "chapters/unsafe.md:7:1: error: broken link `missing.html`: no file missing.html in the site"),
        "\(command): \(result.stderr)")
    }
    XCTAssertNil(project.read("site/unsafe.html"))
  }

  func testCommonMarkAsCmarkWritesIt() throws {
    let project = try NotebookBinary(fixtures: [])
    defer { project.remove() }
    try project.write(
      "chapters/commonmark.md",
      "---\ntitle: CommonMark\n---\n\n- ```text\n  foo\n\n  bar\n  ```\n\nThen $x_1^*$ is typeset.\n\n"
        + "[A URL with a space](<https://example.org/a b>).\n")
    let result = try project.run(["build"])
    XCTAssertEqual(result.status, 0, result.stderr)
    let page = try XCTUnwrap(project.read("site/commonmark.html"))
    XCTAssertTrue(page.contains("<code class=\"language-text\">foo\n\nbar\n</code>"), "final line break kept")
    XCTAssertTrue(page.contains("<p>Then <span class=katex>"), "math after the list-item fence is typeset")
    XCTAssertTrue(page.contains("href=\"https://example.org/a%20b\""), "percent-encoded")
  }

  func testSecondBuildAndProseEditsCompileNothing() throws {
    let project = try NotebookBinary(fixtures: ["good.md"])
    defer { project.remove() }
    let first = try project.run(["build"])
    XCTAssertEqual(first.status, 0, first.stderr)
    XCTAssertFalse(first.stderr.contains("(cached)"))
    XCTAssertTrue(try project.run(["build"]).stderr.contains("✓ chapters/good.md: 3/3 checks (cached)"))

    // A prose edit that moves the code down two lines: still cached, checks at their new lines.
    let source = try XCTUnwrap(project.read("chapters/good.md"))
    try project.write(
      "chapters/good.md", source.replacingOccurrences(of: "## Computing\n", with: "## Computing\n\nNew prose.\n"))
    XCTAssertTrue(try project.run(["build"]).stderr.contains("(cached)"))
    let drifted = try XCTUnwrap(project.read("chapters/good.md")).replacingOccurrences(
      of: "equals(7)", with: "equals(8)")
    try project.write("chapters/good.md", drifted)
    let result = try project.run(["build"])
    XCTAssertEqual(result.status, 1)
    XCTAssertTrue(result.stderr.contains("chapters/good.md:35:1: error: check failed: total"), result.stderr)

    // A shown-only block added after the last one that runs: a new key, not a stale result.
    try project.write("chapters/good.md", source + "\n```swift norun\nlet later = 1\n```\n")
    let appended = try project.run(["build"])
    XCTAssertEqual(appended.status, 0, appended.stderr)
    XCTAssertTrue(project.read("site/good.html")?.contains("later") ?? false)

    // --fresh runs again even when nothing changed.
    try project.write("chapters/good.md", source)
    XCTAssertFalse(try project.run(["build", "--fresh"]).stderr.contains("(cached)"))
  }
}
