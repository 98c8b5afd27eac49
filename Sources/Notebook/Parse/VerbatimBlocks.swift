internal import CCmark

/// The lines of a chapter that Markdown takes verbatim (fenced code and HTML blocks), found by a
/// first cmark pass over the text as written, so math protection leaves them alone exactly where
/// cmark does: in block quotes and list items too, and never inside `<pre>`. Also finds fences
/// that are never closed.
struct VerbatimBlocks {
  /// A fenced code block: where it opens and the last line it covers.
  struct Fence: Equatable {
    var line: Int
    /// Byte column of the opening fence (1-based).
    var column: Int
    /// The closing fence's line, or the last line of the code when the fence is never closed.
    var lastLine: Int
    var closed: Bool
    /// The opening fence, e.g. "```" or "~~~~", which a closing fence repeats.
    var marker: String
  }

  /// `isVerbatim[line]` for lines 1...lineCount (index 0 unused).
  private(set) var isVerbatim: [Bool]
  /// Fenced code blocks by opening line.
  private(set) var fences: [Int: Fence] = [:]
  let lines: SourceLines

  var unclosedFences: [Fence] { fences.values.filter { !$0.closed }.sorted { $0.line < $1.line } }

  /// Reads `source`, whose `lines` are given.
  init(_ source: String, lines: SourceLines) {
    self.lines = lines
    isVerbatim = Array(repeating: false, count: lines.count + 2)
    guard let document = Cmark.parse(source, options: CMARK_OPT_DEFAULT) else { return }
    defer { cmark_node_free(document) }
    // cmark's iterator walks the tree without recursion, however deep it is.
    guard let iterator = cmark_iter_new(document) else { return }
    defer { cmark_iter_free(iterator) }
    while cmark_iter_next(iterator) != CMARK_EVENT_DONE {
      guard let node = cmark_iter_get_node(iterator), cmark_iter_get_event_type(iterator) == CMARK_EVENT_ENTER
      else { continue }
      let type = cmark_node_get_type(node)
      guard type == CMARK_NODE_CODE_BLOCK || type == CMARK_NODE_HTML_BLOCK else { continue }
      let start = Int(cmark_node_get_start_line(node))
      let literal = cmark_node_get_literal(node).map { String(cString: $0) } ?? ""
      let contentLines = literal.utf8.reduce(0) { $0 + ($1 == UInt8(ascii: "\n") ? 1 : 0) }
      if type == CMARK_NODE_HTML_BLOCK {
        mark(start..<(start + max(contentLines, 1)))
      } else if let fence = fence(
        at: start, column: Int(cmark_node_get_start_column(node)), literal: literal,
        info: cmark_node_get_fence_info(node).map { String(cString: $0) } ?? "")
      {
        let closing = start + contentLines + 1
        let closed = lines.isClosingFence(closing, marker: fence.marker, length: fence.length)
        let last = closed ? closing : start + contentLines
        let marker = String(repeating: Character(Unicode.Scalar(fence.marker)), count: fence.length)
        fences[start] = Fence(line: start, column: fence.column, lastLine: last, closed: closed, marker: marker)
        mark(start..<(last + 1))
      }
    }
  }

  private mutating func mark(_ range: Range<Int>) {
    for line in range where line >= 1 && line < isVerbatim.count { isVerbatim[line] = true }
  }

  /// The fence opening a code block at `line`, or nil for an indented code block. cmark says
  /// only where a code block starts: a fence's code begins on the next line, an indented
  /// block's on the same one, and only a fence has an info string. (A fence without one cannot
  /// have the same text on its first line of code: that line would close it.)
  private func fence(at line: Int, column: Int, literal: String, info: String) -> (
    marker: UInt8, length: Int, column: Int
  )? {
    let text = lines[line]
    let offset = min(max(column - 1, 0), text.count)
    let rest = text.dropFirst(offset)
    guard let marker = rest.first, marker == UInt8(ascii: "`") || marker == UInt8(ascii: "~") else { return nil }
    let length = rest.prefix { $0 == marker }.count
    guard length >= 3 else { return nil }
    let firstCodeLine = literal.utf8.prefix { $0 != UInt8(ascii: "\n") }.drop {
      $0 == UInt8(ascii: " ") || $0 == UInt8(ascii: "\t")
    }
    if info.isEmpty, firstCodeLine.elementsEqual(rest) { return nil }
    return (marker, length, offset + 1)
  }
}
