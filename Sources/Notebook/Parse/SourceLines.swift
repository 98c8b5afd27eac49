/// A text's lines as UTF-8 bytes, numbered from 1, split at "\n" (the parser has already made
/// every line ending one).
struct SourceLines {
  private let bytes: [UInt8]
  /// `starts[l - 1]` is the offset of line l.
  private let starts: [Int]

  init(_ text: String) {
    bytes = Array(text.utf8)
    var starts = [0]
    for (offset, byte) in bytes.enumerated() where byte == UInt8(ascii: "\n") { starts.append(offset + 1) }
    if starts.count > 1, starts.last == bytes.count { starts.removeLast() }
    self.starts = starts
  }

  /// Lines in the text; a final line ending does not start another.
  var count: Int { starts.count }

  /// Line `line` without its line ending; empty outside the text.
  subscript(line: Int) -> ArraySlice<UInt8> {
    guard line >= 1, line <= starts.count else { return [] }
    let start = starts[line - 1]
    var end = line < starts.count ? starts[line] - 1 : bytes.count
    if line == starts.count, bytes.last == UInt8(ascii: "\n") { end -= 1 }
    return bytes[start..<max(start, end)]
  }

  /// Whether `line` closes a fence of `length` `marker`s: after container markup (block quote
  /// `>`s and indentation), a run at least as long and nothing but spaces after it.
  func isClosingFence(_ line: Int, marker: UInt8, length: Int) -> Bool {
    guard line >= 1, line <= count else { return false }
    let rest = self[line].drop { $0 == UInt8(ascii: " ") || $0 == UInt8(ascii: "\t") || $0 == UInt8(ascii: ">") }
    let run = rest.prefix { $0 == marker }.count
    return run >= length && rest.dropFirst(run).allSatisfy { $0 == UInt8(ascii: " ") || $0 == UInt8(ascii: "\t") }
  }
}
