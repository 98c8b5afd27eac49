/// The shape front matter must have before the YAML library reads it: known `key: value` lines,
/// each value one piece of text or a number, no longer than `maximumBytes`.
///
/// No list, mapping, anchor, alias or tag reaches the library, which traps on a list or mapping
/// as a key, overflows its stack on deep nesting and expands aliases exponentially.
enum FrontMatterShape {
  static let knownKeys: Set<String> = ["title", "summary", "timeout", "seed"]
  static let maximumBytes = 64 * 1024

  /// The file line of each key (the front matter's first line is the file's line 2); throws every
  /// line of the wrong shape.
  static func keyLines(_ yaml: String, path: String) throws -> [String: Int] {
    var problems: [Diagnostic] = []
    func problem(_ line: Int, _ message: String, at column: Int = 1) {
      problems.append(Diagnostic(at: SourceLocation(file: path, line: line, column: column), message))
    }
    guard yaml.utf8.count <= maximumBytes else {
      throw ChapterFailure(
        Diagnostic(
          at: SourceLocation(file: path, line: 2),
          "the front matter is longer than \(maximumBytes / 1024) KiB: it holds only title, summary, timeout and seed"))
    }
    var keys: [String: Int] = [:]
    // The key whose value continues on indented lines, and whether its own line left it empty.
    var current: (key: String, emptyValue: Bool, continued: Bool)?
    for (index, text) in yaml.split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
      let line = index + 2
      let content = text.drop { $0 == " " || $0 == "\t" }
      if content.isEmpty || content.hasPrefix("#") { continue }
      if content.startIndex != text.startIndex {
        // An indented line continues the value above it.
        guard var value = current else {
          problem(line, "front matter lines start with a key, unindented: `title: ...`")
          continue
        }
        if value.emptyValue, !value.continued, let shape = collectionShape(content, continuation: true) {
          problem(
            line, "front matter `\(value.key)` must be one value, text or a number, not \(shape)",
            at: column(of: content, in: text))
        }
        value.continued = true
        current = value
        continue
      }
      guard let (key, rest) = keyAndValue(content) else {
        problem(line, "front matter lines read `key: value` (keys: title, summary, timeout, seed)")
        current = nil
        continue
      }
      // Lines under a key already reported belong to it and are not reported again.
      current = (key, false, true)
      guard knownKeys.contains(key) else {
        problem(line, "unknown front matter key `\(key)` (known: title, summary, timeout, seed)")
        continue
      }
      if let first = keys[key] {
        problem(line, "front matter `\(key)` is given twice (first on line \(first))")
        continue
      }
      keys[key] = line
      let value = rest.drop { $0 == " " || $0 == "\t" }
      let empty = value.isEmpty || value.hasPrefix("#")
      if !empty, let shape = collectionShape(value, continuation: false) {
        problem(
          line, "front matter `\(key)` must be one value, text or a number, not \(shape)",
          at: column(of: value, in: text))
      }
      current = (key, empty, false)
    }
    guard problems.isEmpty else { throw ChapterFailure(problems) }
    return keys
  }

  /// The byte column where `part` starts in `line`.
  private static func column(of part: Substring, in line: Substring) -> Int {
    line.utf8.distance(from: line.startIndex, to: part.startIndex) + 1
  }

  /// `key` and what follows its colon, when the line starts `key:` with a plain word as the key.
  private static func keyAndValue(_ line: Substring) -> (String, Substring)? {
    let key = line.prefix { $0.isASCII && ($0.isLetter || $0.isNumber || $0 == "_" || $0 == "-") }
    guard !key.isEmpty else { return nil }
    let afterKey = line[key.endIndex...].drop { $0 == " " || $0 == "\t" }
    guard afterKey.first == ":" else { return nil }
    let rest = afterKey.dropFirst()
    guard rest.isEmpty || rest.first == " " || rest.first == "\t" else { return nil }
    return (String(key), rest)
  }

  /// What YAML would read at the start of a value other than text or a number, or nil. A value
  /// written under its key (`continuation`) must not start a mapping either.
  private static func collectionShape(_ value: Substring, continuation: Bool) -> String? {
    guard let first = value.first else { return nil }
    let second = value.dropFirst().first
    switch first {
    case "[", "{": return "a list or mapping"
    case "-" where second == nil || second == " " || second == "\t": return "a list"
    case "?" where second == nil || second == " " || second == "\t": return "a mapping"
    case "&", "*": return "a YAML anchor or alias (`&name`, `*name`)"
    case "!": return "a YAML tag"
    default:
      if continuation, value.contains(": ") || value.hasSuffix(":") { return "a mapping" }
      return nil
    }
  }
}
