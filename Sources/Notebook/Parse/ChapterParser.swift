import Foundation

/// Markdown text in, `Chapter` out: front matter, math protection, cmark conversion, validation.
public enum ChapterParser {
  /// Parses a chapter. Errors (bad front matter, unclosed fence, bad fence options, empty
  /// chapter) come back together in one `ChapterFailure`, each at its line.
  public static func parse(_ source: String, path: String, edition: Edition = .instructor) throws -> Chapter {
    // CommonMark ends a line at "\n", "\r\n" or a lone "\r"; every pass after this one counts
    // lines at "\n" alone ("\r\n" is also one Character in Swift, which would hide the break).
    // Byte by byte: Foundation's `replacingOccurrences` compares characters, and "\r\n" before
    // a combining mark did not match, leaving a "\r" that became a second line.
    let unix = source.utf8.contains(UInt8(ascii: "\r")) ? unixLineEndings(source) : source
    let source = edition == .student ? StudentEdition.strip(unix) : unix
    let fileName = path.split(separator: "/").last.map(String.init) ?? path
    if source.unicodeScalars.allSatisfy(\.properties.isWhitespace) {
      throw ChapterFailure(
        Diagnostic(at: SourceLocation(file: path, line: 1), "the chapter is empty: add a title and some prose or code"))
    }
    let (yaml, body) = try FrontMatterParser.split(source, path: path)
    let lines = SourceLines(body)
    if let (line, column) = NestingLimit.firstTooDeep(in: lines) {
      throw ChapterFailure(
        Diagnostic(at: SourceLocation(file: path, line: line, column: column), NestingLimit.message))
    }
    let verbatim = VerbatimBlocks(body, lines: lines)
    let math = MathProtector(body, verbatimLines: verbatim.isVerbatim)
    var converter = CmarkConverter(path: path, math: math, verbatim: verbatim, edition: edition)
    let blocks = converter.convert()
    var diagnostics = converter.diagnostics
    for fence in verbatim.unclosedFences {
      diagnostics.append(
        Diagnostic(
          at: SourceLocation(file: path, line: fence.line, column: fence.column),
          "this code fence is never closed: add a closing \(fence.marker) line after the code"))
    }
    let fallbackTitle = firstHeading(blocks) ?? fileName
    let frontMatter: FrontMatter
    do {
      frontMatter = try FrontMatterParser.parse(yaml, path: path, fallbackTitle: fallbackTitle)
    } catch let failure as ChapterFailure {
      diagnostics.append(contentsOf: failure.diagnostics)
      frontMatter = FrontMatter(title: fallbackTitle)
    }
    diagnostics += exercisePairing(converter.cells, path: path, edition: edition)
    if !diagnostics.isEmpty {
      throw ChapterFailure(diagnostics.sorted { $0.location.line < $1.location.line })
    }
    return Chapter(
      path: path, frontMatter: frontMatter, blocks: blocks, cells: converter.cells,
      expressions: converter.expressions, edition: edition, source: source)
  }

  /// "\r\n" and a lone "\r" made "\n", on UTF-8 bytes.
  static func unixLineEndings(_ text: String) -> String {
    var bytes: [UInt8] = []
    bytes.reserveCapacity(text.utf8.count)
    var previousWasCR = false
    for byte in text.utf8 {
      if byte == UInt8(ascii: "\n") && previousWasCR {
        previousWasCR = false
        continue
      }
      previousWasCR = byte == UInt8(ascii: "\r")
      bytes.append(previousWasCR ? UInt8(ascii: "\n") : byte)
    }
    return String(decoding: bytes, as: UTF8.self)
  }

  /// In the instructor edition every exercise stub has exactly one solution after it, and the
  /// other way round.
  private static func exercisePairing(_ cells: [Cell], path: String, edition: Edition) -> [Diagnostic] {
    var diagnostics: [Diagnostic] = []
    var stubs: [String: Int] = [:]
    var solved: Set<String> = []
    for cell in cells {
      guard let id = cell.exercise else { continue }
      let location = SourceLocation(file: path, line: cell.fenceLine)
      if cell.mode == .exercise {
        if stubs[id] != nil { diagnostics.append(Diagnostic(at: location, "exercise `\(id)` is defined twice")) }
        stubs[id] = cell.fenceLine
      } else if stubs[id] == nil {
        diagnostics.append(
          Diagnostic(at: location, "solution `\(id)` has no ```swift exercise=\(id)``` block before it"))
      } else if !solved.insert(id).inserted {
        diagnostics.append(Diagnostic(at: location, "exercise `\(id)` has two solutions"))
      }
    }
    if edition == .instructor {
      for (id, line) in stubs where !solved.contains(id) {
        diagnostics.append(
          Diagnostic(
            at: SourceLocation(file: path, line: line), "exercise `\(id)` has no ```swift solution=\(id)``` block"))
      }
    }
    return diagnostics
  }

  /// Reads and parses a chapter file; diagnostics name it `displayPath` (as the user typed it).
  public static func parse(file path: String, displayPath: String? = nil, edition: Edition = .instructor) throws
    -> Chapter
  {
    let shown = displayPath ?? path
    let source: String
    do {
      source = try String(contentsOfFile: path, encoding: .utf8)
    } catch {
      throw ChapterFailure(
        Diagnostic(at: SourceLocation(file: shown, line: 1), "cannot read the chapter: \(error.localizedDescription)"))
    }
    return try parse(source, path: shown, edition: edition)
  }

  private static func firstHeading(_ blocks: [MarkdownBlock]) -> String? {
    for case .heading(_, let inlines, _) in blocks {
      return inlines.plainText
    }
    return nil
  }
}

extension [Inline] {
  /// The text of inlines without markup (for titles and alt text).
  var plainText: String {
    map { inline -> String in
      switch inline {
      case .text(let s), .code(let s, _), .literal(let s, _), .citation(let s), .crossReference(let s, _): return s
      case .softBreak, .lineBreak: return " "
      case .emphasis(let c), .strong(let c), .link(_, _, let c): return c.plainText
      case .image(_, _, let alt): return alt.plainText
      case .html: return ""
      case .math(let tex, _, _, _): return tex
      case .expression: return ""
      }
    }.joined()
  }
}
