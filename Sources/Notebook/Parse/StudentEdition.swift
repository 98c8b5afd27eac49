/// Makes the student edition of a chapter's Markdown: every ```` ```swift solution=ID ```` block is
/// blanked out, so neither the solution's code nor anything it prints reaches the students, while
/// every other line keeps its number (errors in either edition name the same lines). Grading
/// calls hold only digests of the answers.
public enum StudentEdition {
  public static func strip(_ source: String) -> String {
    let lines = source.split(separator: "\n", omittingEmptySubsequences: false)
    var kept: [Substring] = []
    var index = 0
    while index < lines.count {
      let line = lines[index]
      guard let fence = solutionFence(line) else {
        kept.append(line)
        index += 1
        continue
      }
      // Blank through the closing fence: the same character, at least as long, nothing after it.
      kept.append("")
      index += 1
      while index < lines.count {
        let trimmed = lines[index].drop { $0 == " " }
        let run = trimmed.prefix { $0 == fence.marker }
        kept.append("")
        index += 1
        if run.count >= fence.length, trimmed.dropFirst(run.count).allSatisfy(\.isWhitespace) { break }
      }
    }
    return kept.joined(separator: "\n")
  }

  /// The fence of a ```` ```swift solution=ID ```` line.
  private static func solutionFence(_ line: Substring) -> (marker: Character, length: Int)? {
    let trimmed = line.drop { $0 == " " }
    guard let marker = trimmed.first, marker == "`" || marker == "~" else { return nil }
    let run = trimmed.prefix { $0 == marker }
    guard run.count >= 3 else { return nil }
    let info = FenceInfo(String(trimmed.dropFirst(run.count)))
    guard info.language == "swift", info.options["solution"] != nil else { return nil }
    return (marker, run.count)
  }
}
