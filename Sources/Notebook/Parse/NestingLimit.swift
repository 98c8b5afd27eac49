/// How deep Markdown may nest, and a check of each line before cmark reads the chapter.
///
/// Every stage after parsing walks the tree recursively, so the converter refuses containers
/// nested deeper than `maximumDepth`. A single line can open thousands (`>>>>…` or `1. 1. 1. …`),
/// and cmark then compares every later line with all of them: a 30 KB chapter took it half a
/// second. Such a line is refused before cmark sees it.
enum NestingLimit {
  /// Block quotes, lists, emphasis, links and images inside each other.
  static let maximumDepth = 100

  static let message =
    "this Markdown is nested too deeply: more than \(maximumDepth) block quotes, lists, emphasis or links "
    + "inside each other"

  /// The line and byte column of the first container marker past `maximumDepth` on a line that
  /// opens that many block quotes and list items at its start, if any line does.
  static func firstTooDeep(in lines: SourceLines) -> (line: Int, column: Int)? {
    for line in 1...max(lines.count, 1) {
      let text = lines[line]
      guard text.count > maximumDepth else { continue }  // each marker takes at least a byte
      if let offset = offsetPastLimit(text) { return (line, offset - text.startIndex + 1) }
    }
    return nil
  }

  /// Where the container marker past the limit starts on the line, counting `>` and list markers
  /// (`-`, `+`, `*`, `1.`, `1)`), each after at most three spaces, until something else, or a
  /// thematic break (`- - -`), follows.
  private static func offsetPastLimit(_ text: ArraySlice<UInt8>) -> Int? {
    let space = UInt8(ascii: " ")
    let tab = UInt8(ascii: "\t")
    var i = text.startIndex
    var depth = 0
    while i < text.endIndex {
      var indent = 0
      while i < text.endIndex, text[i] == space, indent < 3 {
        i += 1
        indent += 1
      }
      guard i < text.endIndex else { return nil }
      let start = i
      if text[i] == UInt8(ascii: ">") {
        i += 1
      } else if [UInt8(ascii: "-"), UInt8(ascii: "+"), UInt8(ascii: "*")].contains(text[i]) {
        if isThematicBreak(text[i...]) { return nil }
        i += 1
      } else {
        var digits = 0
        while i < text.endIndex, (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(text[i]), digits < 10 {
          i += 1
          digits += 1
        }
        guard (1...9).contains(digits), i < text.endIndex, text[i] == UInt8(ascii: ".") || text[i] == UInt8(ascii: ")")
        else { return nil }
        i += 1
      }
      // A list marker needs white space or the line's end after it.
      if text[start] != UInt8(ascii: ">"), i < text.endIndex, text[i] != space, text[i] != tab { return nil }
      depth += 1
      if depth > maximumDepth { return start }
      if i < text.endIndex, text[i] == space || text[i] == tab { i += 1 }
    }
    return nil
  }

  /// `- - -`, `***`, `_ _ _`: three or more of one of those characters and nothing but spaces.
  private static func isThematicBreak(_ text: ArraySlice<UInt8>) -> Bool {
    guard let mark = text.first else { return false }
    var count = 0
    for byte in text {
      if byte == mark {
        count += 1
      } else if byte != UInt8(ascii: " ") && byte != UInt8(ascii: "\t") {
        return false
      }
    }
    return count >= 3
  }
}
