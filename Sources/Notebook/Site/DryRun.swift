/// A chapter's text through every stage that needs neither the compiler nor node: parsing in
/// both editions, the program plan, the checks with no code run, rendering (a page of errors
/// too) and the link check. The fuzzer feeds it hostile chapters.
public enum DryRun {
  /// A line some stage may name in a message, and what names it.
  public struct NamedLine: Sendable, CustomStringConvertible {
    public var what: String
    public var line: Int
    public var column: Int
    public var description: String { "\(what) at \(line):\(column)" }
  }

  /// The diagnostics of every stage, and every line a later stage (compiler, KaTeX) could name.
  public static func run(_ source: String, path: String) -> (diagnostics: [Diagnostic], lines: [NamedLine]) {
    var diagnostics: [Diagnostic] = []
    var lines: [NamedLine] = []
    for edition in Edition.allCases {
      var outcome = ChapterOutcome(path: path, chapter: nil, result: nil, diagnostics: [])
      do {
        let chapter = try ChapterParser.parse(source, path: path, edition: edition)
        var result = ChapterResult(cellCount: chapter.cells.count, expressionCount: chapter.expressions.count)
        ChapterChecker.check(chapter, result: &result)
        outcome = ChapterOutcome(path: path, chapter: chapter, result: result, diagnostics: result.diagnostics)
        lines += namedLines(chapter)
      } catch let failure as ChapterFailure {
        outcome.diagnostics = failure.diagnostics
      } catch {
        outcome.diagnostics = [Diagnostic(at: SourceLocation(file: path, line: 1), "\(error)")]
      }
      var outcomes = [outcome]
      // Resolve, and the pages written untypeset: the live preview shows a page even for a
      // chapter that failed.
      let pages = Resolver.resolve(&outcomes, siteFiles: Set(SiteAssets.pageFiles))
      _ = Engine.writePages(outcomes, pages: pages, typeset: [:], course: "", showErrors: true)
      diagnostics += outcomes[0].diagnostics
    }
    return (diagnostics, lines)
  }

  private static func namedLines(_ chapter: Chapter) -> [NamedLine] {
    var lines: [NamedLine] = []
    func add(_ what: String, _ line: Int, _ column: Int = 1) {
      lines.append(NamedLine(what: what, line: line, column: column))
    }
    for cell in chapter.cells {
      add("code block \(cell.index)", cell.fenceLine)
      if cell.lineCount > 0 { add("last line of code block \(cell.index)", cell.codeLine + cell.lineCount - 1) }
      if let expected = cell.expectedOutput {
        add("output block of code block \(cell.index)", expected.fenceLine)
        add("end of the output block of code block \(cell.index)", expected.lastLine)
      }
    }
    for expression in chapter.expressions { add("inline expression", expression.line, expression.column) }
    for unit in ChapterProgram(chapter: chapter).units {
      add("program \(unit.kind.rawValue) \(unit.index)", unit.line)
      add("last line of program \(unit.kind.rawValue) \(unit.index)", unit.line + unit.lineCount - 1)
    }
    let page = Page(
      chapter: chapter,
      result: ChapterResult(cellCount: chapter.cells.count, expressionCount: chapter.expressions.count))
    for (_, line) in page.mathSnippets { add("formula", line) }
    for (_, line) in chapter.references { add("reference", line) }
    for (_, line) in chapter.linkLines { add("link", line) }
    for (_, line) in chapter.rawHTMLLinks { add("link", line) }
    _ = chapter.codeSnippets
    return lines
  }
}
