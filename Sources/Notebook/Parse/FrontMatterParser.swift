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

  /// The longest `timeout`, in seconds.
  static let maximumTimeout: Double = 86_400

  /// What went wrong reading YAML, and where in the front matter (lines from 1).
  private static func describe(_ error: YamlError) -> (String, Mark?) {
    switch error {
    case .scanner(let context, let problem, let mark, _), .parser(let context, let problem, let mark, _),
      .composer(let context, let problem, let mark, _):
      return ([context?.text, problem].compactMap { $0 }.joined(separator: ": "), mark)
    default:
      return ("\(error)", nil)
    }
  }

  /// Reads `title`, `summary`, `timeout` and `seed`; any other key is an error so typos show.
  static func parse(_ yaml: String?, path: String, fallbackTitle: String) throws -> FrontMatter {
    var matter = FrontMatter(title: fallbackTitle)
    guard let yaml, !yaml.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty else {
      return matter
    }
    func fail(_ message: String, line: Int = 2, column: Int = 1) -> ChapterFailure {
      ChapterFailure(Diagnostic(at: SourceLocation(file: path, line: line, column: column), message))
    }
    let keyLines = try FrontMatterShape.keyLines(yaml, path: path)
    let object: Any?
    do {
      object = try Yams.load(yaml: yaml)
    } catch let error as YamlError {
      let (problem, mark) = describe(error)
      // The front matter's first line is the file's line 2.
      let lines = yaml.split(separator: "\n", omittingEmptySubsequences: false).count
      throw fail(
        "front matter is not valid YAML: \(problem)", line: min(max((mark?.line ?? 1) + 1, 2), lines + 1),
        column: max(mark?.column ?? 1, 1))
    }
    guard let fields = object as? [String: Any] else {
      throw fail("front matter must be a mapping of keys to values")
    }
    func line(of key: String) -> Int { keyLines[key] ?? 2 }
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
        guard let seconds, seconds > 0, seconds <= maximumTimeout else {
          throw fail(
            "front matter `timeout` must be a positive number of seconds, at most \(Int(maximumTimeout)) (a day)",
            line: line(of: key))
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
