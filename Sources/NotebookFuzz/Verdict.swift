import Notebook

/// What is wrong with how the notebook handled one input, judged against the input itself: a
/// diagnostic in another file, or a line or column that is not in the file.
enum Verdict {
  /// The path diagnostics name.
  static let path = "chapters/fuzz.md"

  /// Problems with the dry run of `bytes`; empty when all is well.
  static func problems(_ bytes: [UInt8]) -> [String] {
    let text = String(decoding: bytes, as: UTF8.self)
    let lengths = lineLengths(Array(text.utf8))
    let (diagnostics, named) = DryRun.run(text, path: path)
    var problems: [String] = []
    func check(_ what: String, line: Int, column: Int) {
      guard line >= 1, line <= lengths.count else {
        problems.append("\(what): line \(line) is not in the file, which has \(lengths.count) lines")
        return
      }
      if column < 1 || column > lengths[line - 1] + 1 {
        problems.append("\(what): column \(column) is not on line \(line), which has \(lengths[line - 1]) bytes")
      }
    }
    for diagnostic in diagnostics {
      guard diagnostic.location.file == path else {
        problems.append("a diagnostic names \(diagnostic.location.file): \(diagnostic)")
        continue
      }
      check(
        "diagnostic \"\(diagnostic.message.prefix(100))\"", line: diagnostic.location.line,
        column: diagnostic.location.column)
    }
    for line in named { check(line.what, line: line.line, column: line.column) }
    return problems
  }

  /// The length in bytes of each line, counted as CommonMark does (a line ends at "\n", "\r\n"
  /// or a lone "\r"); an empty file has one empty line.
  static func lineLengths(_ bytes: [UInt8]) -> [Int] {
    var lengths: [Int] = []
    var length = 0
    var i = 0
    while i < bytes.count {
      switch bytes[i] {
      case 13:
        lengths.append(length)
        length = 0
        if i + 1 < bytes.count, bytes[i + 1] == 10 { i += 1 }
      case 10:
        lengths.append(length)
        length = 0
      default:
        length += 1
      }
      i += 1
    }
    if length > 0 || lengths.isEmpty { lengths.append(length) }
    return lengths
  }
}
