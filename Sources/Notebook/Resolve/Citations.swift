import Foundation

/// Citations in Pandoc's syntax, `[@kingma2014]`, `[see @a; @b, p. 3]` and the narrative
/// `@kingma2014`, resolved against `chapters/references.bib` and formatted by Debian's pandoc
/// (`--citeproc`) with an APA style from Debian's `citation-style-language-styles`.
///
/// Finding citations in prose is done here (it needs no tool, so `notebook-fuzz` covers it);
/// reading BibTeX and formatting is pandoc's. The whole course is formatted in one pandoc run,
/// so a work is written the same way (and disambiguated, 2016a/2016b) in every chapter; each
/// chapter's References list the works it cites, in the style's order.
public enum Citations {
  public static let bibliographyName = "references.bib"
  public static let styleSearchPaths = [
    "/usr/share/citation-style-language/styles/apa.csl"
  ]

  /// One citation as written in prose.
  public struct Citation: Hashable, Sendable {
    /// The source text, `[@a; @b]` or `@a`.
    public var text: String
    public var keys: [String]
  }

  /// A chapter's citations as the page shows them.
  public struct Rendering: Sendable, Equatable {
    /// Citation source text → its HTML (links to the entries, with the entry on hover or focus).
    public var citations: [String: String]
    /// The References section's entries, `(key, HTML)`, in the style's order.
    public var entries: [(key: String, html: String)]
    /// Plain text of each citation, for the search index.
    public var plain: [String: String]

    public static func == (a: Rendering, b: Rendering) -> Bool {
      a.citations == b.citations && a.plain == b.plain && a.entries.map(\.key) == b.entries.map(\.key)
        && a.entries.map(\.html) == b.entries.map(\.html)
    }
  }

  // A key as Pandoc reads it: a letter, digit or `_`, then those and internal punctuation.
  static let key = #"[A-Za-z0-9_](?:[A-Za-z0-9_:.#$%&+?<>~/-]*[A-Za-z0-9_])?"#
  /// `[...]` holding at least one `@key`, not a cross-reference.
  static let bracketed = try! NSRegularExpression(
    pattern: #"\[[^\[\]]*?(?<![A-Za-z0-9._%+-])-?@(?!(?:eq|fig|tbl)-)"# + key + #"[^\[\]]*\]"#)
  /// A bare `@key`: not inside a word or an e-mail address, not a cross-reference.
  static let bare = try! NSRegularExpression(
    pattern: #"(?<![A-Za-z0-9._%+@-])@(?!(?:eq|fig|tbl)-)("# + key + ")")
  static let keyInBrackets = try! NSRegularExpression(
    pattern: #"(?<![A-Za-z0-9._%+-])-?@(?!(?:eq|fig|tbl)-)("# + key + ")")

  /// Splits text into plain runs and citations.
  public static func split(_ text: String) -> [(text: String, citation: Citation?)] {
    guard text.utf8.contains(UInt8(ascii: "@")) else { return text.isEmpty ? [] : [(text, nil)] }
    var found: [(Range<String.Index>, Citation)] = []
    let whole = NSRange(text.startIndex..., in: text)
    for match in bracketed.matches(in: text, range: whole) {
      guard let range = Range(match.range, in: text) else { continue }
      let inner = String(text[range])
      let keys = keyInBrackets.matches(in: inner, range: NSRange(inner.startIndex..., in: inner)).compactMap {
        Range($0.range(at: 1), in: inner).map { String(inner[$0]) }
      }
      found.append((range, Citation(text: inner, keys: keys)))
    }
    for match in bare.matches(in: text, range: whole) {
      guard let range = Range(match.range, in: text), let key = Range(match.range(at: 1), in: text),
        !found.contains(where: { $0.0.overlaps(range) })
      else { continue }
      found.append((range, Citation(text: String(text[range]), keys: [String(text[key])])))
    }
    guard !found.isEmpty else { return [(text, nil)] }
    found.sort { $0.0.lowerBound < $1.0.lowerBound }
    var parts: [(String, Citation?)] = []
    var cursor = text.startIndex
    for (range, citation) in found {
      if cursor < range.lowerBound { parts.append((String(text[cursor..<range.lowerBound]), nil)) }
      parts.append((citation.text, citation))
      cursor = range.upperBound
    }
    if cursor < text.endIndex { parts.append((String(text[cursor...]), nil)) }
    return parts
  }

  /// Every citation in a chapter's prose, with its line and byte column.
  public static func citations(in chapter: Chapter) -> [(citation: Citation, location: SourceLocation)] {
    let lines = chapter.source.split(separator: "\n", omittingEmptySubsequences: false)
    var found: [(Citation, SourceLocation)] = []
    var seenOnLine: [Int: Int] = [:]
    chapter.walkInlines { inline, line in
      guard case .text(let text) = inline else { return }
      for case (_, let citation?) in split(text) {
        // The column of this citation's next occurrence on its line.
        var column = 1
        if line >= 1, line <= lines.count {
          let bytes = Array(lines[line - 1].utf8)
          let pattern = Array(citation.text.utf8)
          var from = seenOnLine[line] ?? 0
          while from + pattern.count <= bytes.count {
            if bytes[from..<from + pattern.count].elementsEqual(pattern) {
              column = from + 1
              seenOnLine[line] = from + pattern.count
              break
            }
            from += 1
          }
        }
        found.append((citation, SourceLocation(file: chapter.path, line: line, column: column)))
      }
    }
    return found
  }

  /// Diagnostics for keys the bibliography lacks, each at its citation's line and column.
  public static func unknownKeys(
    in chapter: Chapter, known: Set<String>, bibliography: String
  ) -> [Diagnostic] {
    var diagnostics: [Diagnostic] = []
    for (citation, location) in citations(in: chapter) {
      for key in citation.keys where !known.contains(key) {
        let near = known.sorted().prefix(20).map { "@" + $0 }.joined(separator: ", ")
        diagnostics.append(
          Diagnostic(
            at: location,
            "citation of unknown key `@\(key)`: \(bibliography) has no entry `\(key)`"
              + (known.isEmpty ? "" : " (known: \(near)\(known.count > 20 ? ", …" : ""))")))
      }
    }
    return diagnostics
  }

  /// The pandoc that formats citations, and the style.
  public struct Formatter: Sendable {
    public var pandoc: String
    public var style: String

    public static func locate() throws -> Formatter {
      guard let pandoc = Toolchain.which("pandoc") else {
        throw ToolchainError("pandoc is not installed: install Debian's `pandoc` (run `make deps`)")
      }
      guard let style = styleSearchPaths.first(where: { FileManager.default.fileExists(atPath: $0) }) else {
        throw ToolchainError(
          "no citation style: install Debian's `citation-style-language-styles` (run `make deps`)")
      }
      return Formatter(pandoc: pandoc, style: style)
    }

    /// The keys of a BibTeX file, read by pandoc (as CSL JSON).
    public func keys(bibliography: String) throws -> Set<String> {
      let data = try run(["-f", "bibtex", "-t", "csljson", bibliography], input: Data())
      struct Entry: Decodable { var id: String }
      guard let entries = try? JSONDecoder().decode([Entry].self, from: data) else {
        throw ToolchainError("pandoc could not read \(bibliography)")
      }
      return Set(entries.map(\.id))
    }

    /// Formats every citation of the chapters, and their References, in one pandoc run.
    public func render(_ citations: [[Citation]], bibliography: String) throws -> [Rendering] {
      let unique = Array(Set(citations.joined())).sorted { $0.text < $1.text }
      guard !unique.isEmpty else { return citations.map { _ in Rendering(citations: [:], entries: [], plain: [:]) } }
      var markdown = ""
      for (index, citation) in unique.enumerated() {
        markdown += "::: {#cite-\(index)}\n\(citation.text)\n:::\n\n"
      }
      markdown += "::: {#refs}\n:::\n"
      let data = try run(
        [
          "-f", "markdown", "-t", "html", "--wrap=none", "--citeproc", "--bibliography", bibliography,
          "--csl", style, "-M", "link-citations=true",
        ], input: Data(markdown.utf8))
      let html = String(decoding: data, as: UTF8.self)
      let entries = Self.entries(in: html)
      let entryHTML = Dictionary(entries, uniquingKeysWith: { first, _ in first })
      var formatted: [String: String] = [:]
      for (index, citation) in unique.enumerated() {
        guard let body = Self.division("cite-\(index)", in: html) else { continue }
        formatted[citation.text] = body
      }
      return citations.map { chapterCitations in
        var rendering = Rendering(citations: [:], entries: [], plain: [:])
        for citation in chapterCitations {
          guard let body = formatted[citation.text] else { continue }
          rendering.citations[citation.text] = Self.withNotes(body, entries: entryHTML)
          rendering.plain[citation.text] = Self.plainText(body)
        }
        let cited = Set(chapterCitations.flatMap(\.keys))
        rendering.entries = entries.filter { cited.contains($0.key) }
        return rendering
      }
    }

    private func run(_ arguments: [String], input: Data) throws -> Data {
      let run = try Filter.run(pandoc, arguments, input: input)
      guard run.status == 0 else { throw ToolchainError("pandoc failed: \(run.stderr)") }
      return run.stdout
    }

    /// The inside of pandoc's `<div id="NAME">`'s paragraph.
    static func division(_ id: String, in html: String) -> String? {
      guard let start = html.range(of: "<div id=\"\(id)\">"),
        let end = html.range(of: "</div>", range: start.upperBound..<html.endIndex)
      else { return nil }
      var body = html[start.upperBound..<end.lowerBound].trimmingCharacters(in: .whitespacesAndNewlines)
      if body.hasPrefix("<p>"), body.hasSuffix("</p>") { body = String(body.dropFirst(3).dropLast(4)) }
      return body
    }

    static let entryPattern = try! NSRegularExpression(
      pattern: #"<div id="ref-([^"]+)" class="csl-entry"[^>]*>(.*?)</div>"#, options: [.dotMatchesLineSeparators])

    /// The bibliography's entries in pandoc's order: `(key, HTML)`.
    static func entries(in html: String) -> [(key: String, html: String)] {
      entryPattern.matches(in: html, range: NSRange(html.startIndex..., in: html)).compactMap { match in
        guard let key = Range(match.range(at: 1), in: html), let body = Range(match.range(at: 2), in: html) else {
          return nil
        }
        return (String(html[key]), html[body].trimmingCharacters(in: .whitespacesAndNewlines))
      }
    }

    static let linkPattern = try! NSRegularExpression(
      pattern: ##"<a href="#ref-([^"]+)" role="doc-biblioref">(.*?)</a>"##)

    /// Each link to an entry gets the entry as a note, shown on hover or focus (CSS) and read
    /// by screen readers as the link's description.
    static func withNotes(_ html: String, entries: [String: String]) -> String {
      var result = ""
      var cursor = html.startIndex
      for match in linkPattern.matches(in: html, range: NSRange(html.startIndex..., in: html)) {
        guard let whole = Range(match.range, in: html), let key = Range(match.range(at: 1), in: html),
          let text = Range(match.range(at: 2), in: html)
        else { continue }
        result += html[cursor..<whole.lowerBound]
        let id = String(html[key])
        let note = entries[id].map { Self.unlinked($0) } ?? ""
        result +=
          "<span class=\"cite\"><a class=\"citation\" href=\"#ref-\(id)\" aria-describedby=\"ref-\(id)\">\(html[text])</a>"
          + "<span class=\"cite-note\" aria-hidden=\"true\">\(note)</span></span>"
        cursor = whole.upperBound
      }
      result += html[cursor...]
      return result
    }

    /// An entry without its links, for the note (a link inside a link's note is never reachable).
    static func unlinked(_ html: String) -> String {
      html.replacingOccurrences(of: #"<a [^>]*>|</a>"#, with: "", options: .regularExpression)
    }

    /// Text without tags, entities decoded.
    static func plainText(_ html: String) -> String {
      html.replacingOccurrences(of: #"<[^>]*>"#, with: "", options: .regularExpression)
        .replacingOccurrences(of: "&amp;", with: "&").replacingOccurrences(of: "&lt;", with: "<")
        .replacingOccurrences(of: "&gt;", with: ">").replacingOccurrences(of: "&quot;", with: "\"")
        .replacingOccurrences(of: "&#39;", with: "'")
    }
  }
}
