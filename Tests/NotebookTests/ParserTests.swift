import XCTest

@testable import Notebook

final class ParserTests: XCTestCase {
  func testMathIsNotEmphasis() throws {
    let chapter = try ChapterParser.parse("A $x_i^* + y_j^*$ B", path: "c.md")
    XCTAssertEqual(
      chapter.blocks,
      [.paragraph([.text("A "), .math(tex: "x_i^* + y_j^*", display: false, line: 1), .text(" B")], line: 1)])
  }

  func testDisplayMathKeepsDoubleBackslashAndLinesAfterIt() throws {
    let source = "Intro\n\n$$\n\\begin{aligned}\na &= b \\\\\nc &= d\n\\end{aligned}\n$$\n\nAfter *x*\n"
    let chapter = try ChapterParser.parse(source, path: "c.md")
    guard case .paragraph(let inlines, let line) = chapter.blocks[1] else { return XCTFail("\(chapter.blocks)") }
    XCTAssertEqual(line, 3)
    XCTAssertEqual(
      inlines, [.math(tex: "\n\\begin{aligned}\na &= b \\\\\nc &= d\n\\end{aligned}\n", display: true, line: 3)])
    // The paragraph after the display spanning six lines still has its own file line.
    XCTAssertEqual(chapter.blocks[2], .paragraph([.text("After "), .emphasis([.text("x")])], line: 10))
  }

  func testDollarRulesFollowPandoc() throws {
    // "$5 and $10": a closing $ followed by a digit is not math; "\$" is a literal dollar.
    let chapter = try ChapterParser.parse("Costs $5 and $10, \\$x\\$ and `$y$`.", path: "c.md")
    guard case .paragraph(let inlines, _) = chapter.blocks[0] else { return XCTFail() }
    XCTAssertFalse(inlines.contains { if case .math = $0 { return true } else { return false } })
    XCTAssertTrue(inlines.contains(.code("$y$")))
  }

  func testMathInsideFencesIsLeftAlone() throws {
    let chapter = try ChapterParser.parse("```swift\nlet s = \"$a$\"\n```\n", path: "c.md")
    XCTAssertEqual(chapter.cells[0].code, "let s = \"$a$\"")
  }

  func testFrontMatter() throws {
    let source = "---\ntitle: T\nsummary: S\ntimeout: 12.5\nseed: 42\n---\n# Heading\n"
    let chapter = try ChapterParser.parse(source, path: "c.md")
    XCTAssertEqual(chapter.frontMatter, FrontMatter(title: "T", summary: "S", timeout: 12.5, seed: 42))
    XCTAssertEqual(chapter.blocks, [.heading(level: 1, [.text("Heading")], line: 7)])
  }

  func testFrontMatterErrorsNameTheirLine() {
    XCTAssertThrowsError(try ChapterParser.parse("---\ntitle: T\nsed: 4\n---\n", path: "c.md")) { error in
      let diagnostics = (error as? ChapterFailure)?.diagnostics ?? []
      XCTAssertEqual(diagnostics.first?.location, SourceLocation(file: "c.md", line: 3))
      XCTAssertTrue(diagnostics.first?.message.contains("unknown front matter key `sed`") ?? false)
    }
    XCTAssertThrowsError(try ChapterParser.parse("---\ntimeout: -1\n---\n", path: "c.md"))
  }

  func testTitleFallsBackToFirstHeading() throws {
    XCTAssertEqual(try ChapterParser.parse("# Hello *there*\n", path: "c.md").frontMatter.title, "Hello there")
  }

  func testCellsModesLinesAndExpectedOutput() throws {
    let source = """
      ---
      title: T
      ---
      ```swift hide
      let a = 1
      ```
      ```swift
      print(a)
      print(a)
      ```
      ```output tolerance=1e-3 atol=1e-12
      1
      1
      ```
      ```swift norun
      nothing()
      ```
      Value `{swift} a + 1` here.
      """
    let chapter = try ChapterParser.parse(source, path: "c.md")
    XCTAssertEqual(chapter.cells.map(\.mode), [.hidden, .run, .display])
    XCTAssertEqual(chapter.cells.map(\.fenceLine), [4, 7, 15])
    XCTAssertEqual(chapter.cells[1].lineCount, 2)
    XCTAssertEqual(
      chapter.cells[1].expectedOutput,
      ExpectedOutput(text: "1\n1", tolerance: 1e-3, absoluteTolerance: 1e-12, fenceLine: 11, lastLine: 14))
    XCTAssertEqual(chapter.expressions.count, 1)
    XCTAssertEqual(chapter.expressions[0].source, "a + 1")
    XCTAssertEqual(chapter.expressions[0].line, 18)
    XCTAssertEqual(chapter.expressions[0].afterCellCount, 2)
  }

  func testBadInputIsReportedAtItsLine() {
    func diagnostics(_ source: String) -> [Diagnostic] {
      do {
        _ = try ChapterParser.parse(source, path: "c.md")
        return []
      } catch {
        return (error as? ChapterFailure)?.diagnostics ?? []
      }
    }
    XCTAssertEqual(diagnostics("\n  \n").first?.message.contains("empty"), true)
    XCTAssertEqual(diagnostics("# T\n\n```swift\nlet x = 1\n").first?.location.line, 3)
    XCTAssertEqual(diagnostics("# T\n\n```output\n1\n```\n").first?.location.line, 3)
    XCTAssertEqual(diagnostics("```swift hid\n1\n```\n").first?.location.line, 1)
  }

  func testProgramPointsAtMarkdownLines() throws {
    let chapter = try ChapterParser.parse("Text\n\n```swift\nlet x = 1\n```\n\nSee `{swift} x`.\n", path: "ch/a.md")
    let program = ChapterProgram(chapter: chapter)
    XCTAssertTrue(program.source.contains("#sourceLocation(file: \"ch/a.md\", line: 4)\nlet x = 1\n"))
    XCTAssertTrue(program.source.contains("#sourceLocation(file: \"ch/a.md\", line: 7)"))
    // The code identity ignores prose, so a prose edit keeps the cache key.
    let edited = try ChapterParser.parse(
      "More text\nover two lines\n\n```swift\nlet x = 1\n```\n\nSee `{swift} x`.\n", path: "ch/a.md")
    XCTAssertEqual(ChapterProgram(chapter: edited).codeIdentity, program.codeIdentity)
    XCTAssertNotEqual(ChapterProgram(chapter: edited).source, program.source)
  }

  func testStudentEditionCutsSolutionsOut() throws {
    let source = "# T\n\n```swift exercise=a\nvar x = 0\n```\n\n```swift solution=a\nvar x = 42\n```\n\nAfter.\n"
    XCTAssertEqual(StudentEdition.strip(source), "# T\n\n```swift exercise=a\nvar x = 0\n```\n\n\n\n\n\nAfter.\n")
    let instructor = try ChapterParser.parse(source, path: "c.md")
    XCTAssertEqual(instructor.cells.map(\.mode), [.exercise, .solution])
    XCTAssertEqual(instructor.cells.map(\.runs), [false, true])
    let student = try ChapterParser.parse(source, path: "c.md", edition: .student)
    XCTAssertEqual(student.cells.map(\.mode), [.exercise])
    XCTAssertEqual(student.cells.map(\.runs), [true])
    XCTAssertEqual(student.exercises, ["a"])
  }

  func testExercisesNeedTheirSolutions() {
    XCTAssertThrowsError(try ChapterParser.parse("```swift exercise=a\n1\n```\n", path: "c.md")) { error in
      XCTAssertTrue("\(error)".contains("exercise `a` has no ```swift solution=a``` block"), "\(error)")
    }
    XCTAssertThrowsError(try ChapterParser.parse("```swift solution=b\n1\n```\n", path: "c.md"))
  }

  func testWindowsLineEndingsAndUnclosedFrontMatter() throws {
    let chapter = try ChapterParser.parse("---\r\ntitle: T\r\nseed: 5\r\n---\r\n\r\nText\r\n", path: "c.md")
    XCTAssertEqual(chapter.frontMatter.title, "T")
    XCTAssertEqual(chapter.frontMatter.seed, 5)
    XCTAssertEqual(chapter.blocks, [.paragraph([.text("Text")], line: 6)])
    XCTAssertThrowsError(try ChapterParser.parse("---\ntitle: T\n\nText\n", path: "c.md")) { error in
      XCTAssertTrue("\(error)".contains("never closed"), "\(error)")
    }
  }

  func testDollarsInCodeTheMathPassCannotSeeSurvive() throws {
    // A fence indented inside a list item, and an indented code block.
    let source = "- item\n\n    ```bash\n    echo $HOME/$USER\n    ```\n\nText\n\n    cost $5 or $6\n"
    let chapter = try ChapterParser.parse(source, path: "c.md")
    var codes: [String] = []
    func collect(_ blocks: [MarkdownBlock]) {
      for block in blocks {
        switch block {
        case .code(_, let text, _): codes.append(text)
        case .list(_, _, _, let items): items.forEach(collect)
        default: break
        }
      }
    }
    collect(chapter.blocks)
    XCTAssertEqual(codes, ["echo $HOME/$USER\n", "cost $5 or $6\n"], "cmark's literal, final line break included")
  }

  func testLinesAfterAMultiLineDisplayInsideAParagraph() throws {
    let source = "Before\n$$\na \\\\\nb\n$$\nafter `{swift} x` and @eq-none.\n"
    let chapter = try ChapterParser.parse(source, path: "c.md")
    XCTAssertEqual(chapter.expressions.first?.line, 6)
    XCTAssertEqual(chapter.references.first?.line, 6)
  }

  func testStudentEditionKeepsLineNumbers() throws {
    let source =
      "# T\n\n```swift exercise=a\nvar x = 0\n```\n\n```swift solution=a\nvar x = 42\n```\n\n```swift\nprint(x)\n```\n"
    let student = try ChapterParser.parse(source, path: "c.md", edition: .student)
    let instructor = try ChapterParser.parse(source, path: "c.md")
    XCTAssertEqual(student.cells.last?.fenceLine, instructor.cells.last?.fenceLine)
    XCTAssertFalse(StudentEdition.strip(source).contains("42"))
  }

  private func diagnostics(_ source: String) -> [Diagnostic] {
    do {
      _ = try ChapterParser.parse(source, path: "c.md")
      return []
    } catch {
      return (error as? ChapterFailure)?.diagnostics ?? []
    }
  }

  func testFencesAreWhereCmarkFindsThem() throws {
    // Inside `<pre>` three backticks are HTML, and math after the block is still math.
    let chapter = try ChapterParser.parse("<pre>\n```\n</pre>\n\nThen $x_1^*$.\n", path: "c.md")
    XCTAssertEqual(
      chapter.blocks.last,
      .paragraph([.text("Then "), .math(tex: "x_1^*", display: false, line: 5), .text(".")], line: 5))
    // A combining mark after the backticks belongs to the info string, as in cmark.
    XCTAssertEqual(diagnostics("```\u{301}swift\nx\n```\n"), [])
    // Fences left open in a block quote or a list item, at their column; a tilde fence's own closing.
    XCTAssertEqual(
      diagnostics("> ```swift\n> x\n\nAfter\n").map(\.location), [SourceLocation(file: "c.md", line: 1, column: 3)])
    XCTAssertEqual(
      diagnostics("Intro\n\n- ```swift\n  x\n").map(\.location), [SourceLocation(file: "c.md", line: 3, column: 3)])
    XCTAssertEqual(diagnostics("~~~~\nx\n~~~\n").first?.message.contains("add a closing ~~~~ line"), true)
    // An info string makes a fence even when the first line of code repeats the fence line.
    XCTAssertEqual(diagnostics("```output\n```output\n").first?.location.line, 1)
  }

  func testLineBreaksInsideInlineNodesCount() throws {
    let chapter = try ChapterParser.parse(
      "A `code\nspan`, <span\ntitle=x>tag</span>, [link](#a \"title\nline\") and `{swift} x` @eq-y.\n",
      path: "c.md")
    XCTAssertEqual(chapter.expressions.first?.line, 4)
    XCTAssertEqual(chapter.references.first?.line, 4)
    XCTAssertEqual(chapter.linkLines.first?.line, 3)
  }

  func testExpressionColumnsAreTheFilesAfterMathAndOnLazyLines() throws {
    XCTAssertEqual(try ChapterParser.parse("$x$ and `{swift} a`\n", path: "c.md").expressions.first?.column, 18)
    let lazy = try ChapterParser.parse("> quoted\nlazy `{swift} b` and `{swift} c`\n", path: "c.md")
    XCTAssertEqual(lazy.expressions.map(\.line), [2, 2])
    XCTAssertEqual(lazy.expressions.map(\.column), [15, 31])
  }

  func testCarriageReturnsEndLines() throws {
    let chapter = try ChapterParser.parse("a\rb\r\nc @eq-x\rd\n", path: "c.md")
    XCTAssertEqual(chapter.references.first?.line, 3)
    // A combining mark after "\r\n" (the fuzzer's find: Foundation's search missed the "\r\n").
    XCTAssertEqual(ChapterParser.unixLineEndings("\r\n\u{301}\n```\r\r\n"), "\n\u{301}\n```\n\n")
    XCTAssertEqual(diagnostics("\r\n\u{301}\n```").first?.location.line, 3)
  }

  func testPrivateUseCharactersAndDollarsInLinksSurvive() throws {
    let chapter = try ChapterParser.parse("\u{E000}0\u{E001} and $x$ [a](http://x.org/$y$)\n", path: "c.md")
    XCTAssertEqual(
      chapter.blocks,
      [
        .paragraph(
          [
            .text("\u{E000}0\u{E001} and "), .math(tex: "x", display: false, line: 1), .text(" "),
            .link(destination: "http://x.org/$y$", title: "", [.text("a")]),
          ], line: 1)
      ])
  }

  func testDeepNestingIsAnErrorAtItsLine() {
    XCTAssertEqual(
      diagnostics("Intro\n\n" + String(repeating: ">", count: 101) + " x\n").first?.location,
      SourceLocation(file: "c.md", line: 3, column: 101))
    XCTAssertEqual(diagnostics("Intro\n\n" + String(repeating: ">", count: 100) + " x\n"), [])
    XCTAssertEqual(diagnostics(String(repeating: "- ", count: 300) + "\n"), [], "a thematic break, not lists")
    let emphasis = String(repeating: "*", count: 300) + "x" + String(repeating: "*", count: 300)
    XCTAssertEqual(diagnostics("Intro\n\n" + emphasis).first?.location.line, 3)
  }

  func testFrontMatterIsKnownKeysWithOneValueEach() throws {
    func location(_ yaml: String) -> SourceLocation? { diagnostics("---\n\(yaml)\n---\nText\n").first?.location }
    XCTAssertEqual(location("title: T\ntitle: U"), SourceLocation(file: "c.md", line: 3))
    XCTAssertEqual(location("title: T\nsummary:\n  - a"), SourceLocation(file: "c.md", line: 4, column: 3))
    XCTAssertEqual(location("seed: *a"), SourceLocation(file: "c.md", line: 2, column: 7))
    XCTAssertEqual(location("timeout: 1e9")?.line, 2)
    XCTAssertEqual(location("title: 'never closed\nseed: 1")?.line, 3)
    let folded = try ChapterParser.parse("---\nsummary: >\n  folded\n  text\n# a comment\n---\nText\n", path: "c.md")
    XCTAssertEqual(folded.frontMatter.summary, "folded text\n")
  }
}
