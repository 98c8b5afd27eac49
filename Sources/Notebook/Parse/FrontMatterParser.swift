import Yams

/// Splits and reads the YAML front matter between `---` lines at the top of a chapter.
enum FrontMatterParser {
  /// The front matter's YAML (nil when absent) and the body with the front matter's lines
  /// blanked, so line numbers in the body still match the file.
  /// A `---` first line with no closing `---` is an error: the chapter's settings would be lost.
  static func split(_ source: String, path: String) throws -> (yaml: String?, body: String) {
    let lines = source.split(separator: "\n", omittingEmptySubsequences: false)
    guard let first = lines.first, first.trimmingCharacters(in: .whitespaces) == "---" else {
      return (nil, source)
    }
    guard
      let end = lines.dropFirst().firstIndex(where: {
        let t = $0.trimmingCharacters(in: .whitespaces)
        return t == "---" || t == "..."
      })
    else {
      throw ChapterFailure(
        Diagnostic(
          at: SourceLocation(file: path, line: 1), "the front matter opened by `---` is never closed by a `---` line"))
    }
    let yaml = lines[1..<end].joined(separator: "\n")
    let body =
      Array(repeating: "", count: end + 1).joined(separator: "\n") + "\n"
      + lines[(end + 1)...].joined(separator: "\n")
    return (yaml, body)
  }

  /// Reads `title`, `summary`, `timeout` and `seed`; any other key is an error so typos show.
  static func parse(_ yaml: String?, path: String, fallbackTitle: String) throws -> FrontMatter {
    var matter = FrontMatter(title: fallbackTitle)
    guard let yaml, !yaml.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty else {
      return matter
    }
    func fail(_ message: String, line: Int = 2) -> ChapterFailure {
      ChapterFailure(Diagnostic(at: SourceLocation(file: path, line: line), message))
    }
    let object: Any?
    do {
      object = try Yams.load(yaml: yaml)
    } catch let error as YamlError {
      throw fail("front matter is not valid YAML: \(error)")
    }
    guard let fields = object as? [String: Any] else {
      throw fail("front matter must be a mapping of keys to values")
    }
    func line(of key: String) -> Int {
      let lines = yaml.split(separator: "\n", omittingEmptySubsequences: false)
      let index = lines.firstIndex { $0.hasPrefix(key + ":") } ?? 0
      return index + 2
    }
    for (key, value) in fields {
      switch key {
      case "title":
        guard let title = value as? String, !title.isEmpty else {
          throw fail("front matter `title` must be text", line: line(of: key))
        }
        matter.title = title
      case "summary":
        matter.summary = "\(value)"
      case "timeout":
        let seconds = (value as? Double) ?? (value as? Int).map(Double.init)
        guard let seconds, seconds > 0 else {
          throw fail("front matter `timeout` must be a positive number of seconds", line: line(of: key))
        }
        matter.timeout = seconds
      case "seed":
        guard let seed = value as? Int, seed >= 0 else {
          throw fail("front matter `seed` must be a non-negative integer", line: line(of: key))
        }
        matter.seed = UInt64(seed)
      default:
        throw fail(
          "unknown front matter key `\(key)` (known: title, summary, timeout, seed)",
          line: line(of: key))
      }
    }
    return matter
  }
}
