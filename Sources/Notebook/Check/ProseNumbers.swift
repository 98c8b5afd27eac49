/// Finds numbers typed into prose that look computed, so that every such number in a chapter is
/// an inline value (`` `{swift} expr` ``) or deliberately marked as a literal.
///
/// "Looks computed" is a decimal with three or more significant digits (`2.71828`, `243.9`,
/// `0.0125`), in text outside math, code and inline values; integers, two-digit decimals
/// (`0.5`, `1e-4`) and dotted versions (`0.3.21`) are left alone. A deliberate literal is
/// written `` `{literal} 1.618` ``: it reads as plain text and is not reported.
public enum ProseNumbers {
  /// One warning per suspicious number, at its Markdown line and column.
  public static func warnings(_ chapter: Chapter) -> [Diagnostic] {
    let lines = chapter.source.split(separator: "\n", omittingEmptySubsequences: false)
    var found: [Diagnostic] = []
    var seenOnLine: [Int: Int] = [:]
    func report(_ token: String, _ line: Int) {
      // The column of this token's first unreported occurrence on its line.
      let text = line >= 1 && line <= lines.count ? String(lines[line - 1]) : ""
      var column = 1
      var searchFrom = text.startIndex
      for _ in 0...(seenOnLine[line, default: 0]) {
        guard let range = text.range(of: token, range: searchFrom..<text.endIndex) else { break }
        column = text.utf8.distance(from: text.startIndex, to: range.lowerBound) + 1
        searchFrom = range.upperBound
      }
      seenOnLine[line, default: 0] += 1
      found.append(
        Diagnostic(
          .warning, at: SourceLocation(file: chapter.path, line: line, column: column),
          "the number \(token) is typed into the prose: make it an inline value (`{swift} expression`) "
            + "or, if it is not computed, mark it as `{literal} \(token)`"))
    }
    chapter.walkInlines { inline, line in
      if case .text(let text) = inline { suspiciousNumbers(in: text).forEach { report($0, line) } }
    }
    return found
  }

  /// The suspicious numbers in one run of text.
  static func suspiciousNumbers(in text: String) -> [String] {
    text.matches(of: #/[\w.]?\d+(?:\.\d+)+\w?/#).map { String($0.output) }.filter { token in
      // Part of a word or a longer dotted run (`x2.50`, `1.5x`, `.125`): not a number in prose.
      guard let first = token.first, let last = token.last, first.isNumber, last.isNumber else { return false }
      let parts = token.split(separator: ".")
      guard parts.count == 2 else { return false }  // a version or section number
      return parts.joined().drop { $0 == "0" }.count >= 3
    }
  }
}
