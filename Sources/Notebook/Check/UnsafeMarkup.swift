import Foundation

/// Links and raw HTML that would run script in a reader's browser, or load what the site cannot
/// check, are errors at their line and column.
///
/// A Markdown link, image or autolink to a URL that cmark's safe mode drops (its
/// `_scan_dangerous_url`: `javascript:`, `vbscript:`, `file:`, and `data:` other than PNG, GIF,
/// JPEG or WebP images) is refused rather than dropped, so the author sees it; so is such a URL
/// in raw HTML's `href` or `src`, and any event-handler attribute (`onclick=`, `onerror=`, any
/// `on…=`) in a raw HTML tag. Raw HTML is otherwise the author's to use.
enum UnsafeMarkup {
  static func errors(_ chapter: Chapter) -> [Diagnostic] {
    var found: [Diagnostic] = []
    var locator = ColumnLocator(source: chapter.source)
    func report(_ line: Int, _ needle: String, before next: UInt8? = nil, _ message: String) {
      let column = locator.nextColumn(of: needle, before: next, on: line)
      found.append(Diagnostic(at: SourceLocation(file: chapter.path, line: line, column: column), message))
    }
    chapter.walkInlines { inline, line in
      switch inline {
      case .link(let destination, _, _):
        if let scheme = refusedScheme(destination) { report(line, scheme + ":", message("a link to", scheme)) }
      case .image(let source, _, _):
        if let scheme = refusedScheme(source) { report(line, scheme + ":", message("an image from", scheme)) }
      default: break
      }
    }
    chapter.walkRawHTMLAttributes { attribute, line in
      if isEventHandler(attribute.name), attribute.value != nil {
        report(
          line, attribute.name, before: UInt8(ascii: "="),
          "the event-handler attribute `\(attribute.name)` is not allowed in raw HTML: it would run script in a "
            + "reader's browser (raw HTML is otherwise allowed)")
      } else if urlAttributes.contains(attribute.name),
        let value = attribute.value, let scheme = refusedScheme(browserURL(value))
      {
        report(line, attribute.name, message("raw HTML `\(attribute.name)` to", scheme))
      }
    }
    return found
  }

  /// Attributes whose value a browser follows or loads as a URL.
  static let urlAttributes: Set<String> = ["href", "src", "xlink:href", "action", "formaction", "data", "poster"]

  private static func message(_ what: String, _ scheme: String) -> String {
    "\(what) a `\(scheme):` URL is not allowed: links and images may not run script or load what the site cannot "
      + "check (`javascript:`, `vbscript:`, `file:`, and `data:` except PNG, GIF, JPEG and WebP images)"
  }

  /// The scheme, in lower case, when cmark's safe mode would drop `url`: it starts (in any case)
  /// with `javascript:`, `vbscript:`, `file:` or `data:`, but not `data:image/png`, `gif`, `jpeg`
  /// or `webp`.
  static func refusedScheme(_ url: String) -> String? {
    let start = String(url.utf8.prefix(16).map { $0 < 0x80 ? Character(Unicode.Scalar($0)) : "?" }).lowercased()
    if ["data:image/png", "data:image/gif", "data:image/jpeg", "data:image/webp"].contains(where: start.hasPrefix) {
      return nil
    }
    return ["javascript", "vbscript", "file", "data"].first { start.hasPrefix($0 + ":") }
  }

  /// `on` and letters (`onclick`, `onerror`): an attribute whose value a browser runs as script.
  static func isEventHandler(_ name: String) -> Bool {
    name.count > 2 && name.hasPrefix("on")
      && name.unicodeScalars.allSatisfy { ("a"..."z").contains($0) || ("A"..."Z").contains($0) }
  }

  /// A raw attribute value as a browser reads the URL in it: entities decoded (the numeric ones and
  /// those that spell the characters a scheme can be hidden with), leading spaces and control
  /// characters dropped, tabs and line breaks removed.
  static func browserURL(_ value: String) -> String {
    var text = value
    if text.contains("&") {
      for (entity, character) in [
        ("&colon;", ":"), ("&tab;", "\t"), ("&newline;", "\n"), ("&quot;", "\""), ("&apos;", "'"), ("&lt;", "<"),
        ("&gt;", ">"), ("&amp;", "&"),
      ] {
        text = text.replacingOccurrences(of: entity, with: character, options: .caseInsensitive)
      }
      text = decodeNumericReferences(text)
    }
    let kept = text.unicodeScalars.drop { $0.value <= 0x20 }.filter { $0 != "\t" && $0 != "\n" && $0 != "\r" }
    var url = ""
    url.unicodeScalars.append(contentsOf: kept)
    return url
  }

  /// `&#106;` and `&#x6A;` (the `;` optional, as browsers allow) as the characters they name.
  private static func decodeNumericReferences(_ text: String) -> String {
    let scalars = Array(text.unicodeScalars)
    var result = String.UnicodeScalarView()
    var i = 0
    while i < scalars.count {
      guard scalars[i] == "&", i + 2 < scalars.count, scalars[i + 1] == "#" else {
        result.append(scalars[i])
        i += 1
        continue
      }
      let hex = scalars[i + 2] == "x" || scalars[i + 2] == "X"
      var k = i + (hex ? 3 : 2)
      // Any number of digits, as browsers read them (leading zeros included); a value past
      // Unicode's range stays clamped there and is not a character.
      var value: UInt32 = 0
      var digits = 0
      while k < scalars.count, let digit = Int(String(scalars[k]), radix: hex ? 16 : 10) {
        value = min(value * (hex ? 16 : 10) + UInt32(digit), 0x11_0000)
        digits += 1
        k += 1
      }
      guard digits > 0, let scalar = Unicode.Scalar(value) else {
        result.append(scalars[i])
        i += 1
        continue
      }
      result.append(scalar)
      i = k < scalars.count && scalars[k] == ";" ? k + 1 : k
    }
    return String(result)
  }
}

/// Byte columns of what a check found on a line, found in the file's text: the next occurrence,
/// in any case, of the text that names it (a second report on a line finds the second one).
private struct ColumnLocator {
  let lines: [Substring]
  /// For each line and text, the offset where the next search starts.
  private var searchFrom: [String: Int] = [:]
  /// The bytes of the lines searched so far (a line of many links is read once).
  private var bytes: [Int: [UInt8]] = [:]

  init(source: String) {
    lines = source.split(separator: "\n", omittingEmptySubsequences: false)
  }

  /// The column of `needle`'s next occurrence on `line`; with `next`, one followed by it after
  /// any white space (`onclick =`). 1 when there is none.
  mutating func nextColumn(of needle: String, before next: UInt8?, on line: Int) -> Int {
    guard line >= 1, line <= lines.count, !needle.isEmpty else { return 1 }
    if bytes[line] == nil { bytes[line] = Array(lines[line - 1].utf8) }
    let text = bytes[line] ?? []
    let pattern = Array(needle.lowercased().utf8)
    let key = "\(line) \(needle)"
    var start = searchFrom[key] ?? 0
    while start + pattern.count <= text.count {
      if pattern.indices.allSatisfy({ Self.lower(text[start + $0]) == pattern[$0] }) {
        let after = text[(start + pattern.count)...].first { $0 != UInt8(ascii: " ") && $0 != UInt8(ascii: "\t") }
        if next == nil || after == next {
          searchFrom[key] = start + pattern.count
          return start + 1
        }
      }
      start += 1
    }
    searchFrom[key] = text.count  // none further on: never searched again
    return 1
  }

  private static func lower(_ byte: UInt8) -> UInt8 {
    (UInt8(ascii: "A")...UInt8(ascii: "Z")).contains(byte) ? byte | 0x20 : byte
  }
}
