/// The attributes of the tags in a piece of raw HTML (an HTML block or inline tag of the
/// chapter), each with the line it sits on, read as a browser's tokenizer would: comments,
/// `<!...>` and `<?...>` hold no tags, nor does the text of `<script>`; values may be
/// double-quoted, single-quoted or bare. The checks need them where cmark gives only the raw text: event-handler attributes and `javascript:`
/// URLs are errors at their line, and a broken `href` or `src` is reported at its own.
enum RawHTMLAttributes {
  struct Attribute: Equatable {
    /// The name in lower case, as a browser reads it.
    var name: String
    /// The value with its quotes removed and entities left as written; nil for a bare name.
    var value: String?
    /// Line breaks in the HTML before the attribute's name.
    var lineOffset: Int
  }

  /// Elements whose content is skipped as text. Only `script`: inside `<svg>` or `<math>` the
  /// others (`style`, `title`, `textarea`…) hold real tags, and a tag there must not go unread.
  private static let textElements: Set<String> = ["script"]
  private static let commentStart = Array("<!--".utf8)
  private static let commentEnd = Array("-->".utf8)
  private static let bangCommentEnd = Array("--!>".utf8)

  /// A start tag: its element's name in lower case, the line breaks before it, its attributes.
  struct Tag: Equatable {
    var name: String
    var lineOffset: Int
    var attributes: [Attribute]
  }

  static func attributes(in html: String) -> [Attribute] { tags(in: html).flatMap(\.attributes) }

  static func tags(in html: String) -> [Tag] {
    let bytes = Array(html.utf8)
    guard bytes.contains(UInt8(ascii: "<")) else { return [] }
    var found: [Tag] = []
    var i = 0
    var line = 0
    func advance(to end: Int) {
      while i < min(end, bytes.count) {
        if bytes[i] == UInt8(ascii: "\n") { line += 1 }
        i += 1
      }
    }
    /// To the end of a comment: the first `-->` or `--!>`.
    func skipComment() {
      var k = i
      while k < bytes.count, !matches(commentEnd, at: k, in: bytes, ignoringCase: false),
        !matches(bangCommentEnd, at: k, in: bytes, ignoringCase: false)
      {
        k += 1
      }
      advance(to: k + (matches(bangCommentEnd, at: k, in: bytes, ignoringCase: false) ? 4 : 3))
    }
    func skip(past marker: String) {
      let pattern = Array(marker.utf8)
      var k = i
      while k < bytes.count, !matches(pattern, at: k, in: bytes, ignoringCase: true) { k += 1 }
      advance(to: k + pattern.count)
    }
    while i < bytes.count {
      guard bytes[i] == UInt8(ascii: "<"), i + 1 < bytes.count else {
        advance(to: i + 1)
        continue
      }
      let next = bytes[i + 1]
      if matches(commentStart, at: i, in: bytes, ignoringCase: false) {
        advance(to: i + 4)
        // `<!-->` and `<!--->` are whole comments to a browser, and `--!>` ends one too.
        if i < bytes.count, bytes[i] == UInt8(ascii: ">") {
          advance(to: i + 1)
        } else if matches(Array(commentEnd.dropFirst()), at: i, in: bytes, ignoringCase: false) {
          advance(to: i + 2)
        } else {
          skipComment()
        }
      } else if next == UInt8(ascii: "!") || next == UInt8(ascii: "?") || next == UInt8(ascii: "/") {
        skip(past: ">")
      } else if isLetter(next) {
        let tagLine = line
        advance(to: i + 1)
        let nameStart = i
        while i < bytes.count, !isSpace(bytes[i]), bytes[i] != UInt8(ascii: "/"), bytes[i] != UInt8(ascii: ">") {
          i += 1
        }
        let tag = String(decoding: bytes[nameStart..<i], as: UTF8.self).lowercased()
        found.append(Tag(name: tag, lineOffset: tagLine, attributes: tagAttributes(bytes, &i, &line)))
        if textElements.contains(tag) { skip(past: "</" + tag) }
      } else {
        advance(to: i + 1)
      }
    }
    return found
  }

  /// The attributes of a start tag from `i` (after its name) to its `>`, which `i` ends past.
  private static func tagAttributes(_ bytes: [UInt8], _ i: inout Int, _ line: inout Int) -> [Attribute] {
    var found: [Attribute] = []
    func skipSpace() {
      while i < bytes.count, isSpace(bytes[i]) || bytes[i] == UInt8(ascii: "/") {
        if bytes[i] == UInt8(ascii: "\n") { line += 1 }
        i += 1
      }
    }
    while true {
      skipSpace()
      guard i < bytes.count else { return found }
      if bytes[i] == UInt8(ascii: ">") {
        i += 1
        return found
      }
      let nameStart = i
      i += 1  // a name may start with `=`
      while i < bytes.count, !isSpace(bytes[i]),
        ![UInt8(ascii: "/"), UInt8(ascii: ">"), UInt8(ascii: "=")].contains(bytes[i])
      {
        i += 1
      }
      var attribute = Attribute(
        name: String(decoding: bytes[nameStart..<i], as: UTF8.self).lowercased(), value: nil, lineOffset: line)
      var k = i
      var breaks = 0
      while k < bytes.count, isSpace(bytes[k]) {
        if bytes[k] == UInt8(ascii: "\n") { breaks += 1 }
        k += 1
      }
      if k < bytes.count, bytes[k] == UInt8(ascii: "=") {
        line += breaks
        i = k + 1
        while i < bytes.count, isSpace(bytes[i]) {
          if bytes[i] == UInt8(ascii: "\n") { line += 1 }
          i += 1
        }
        if i < bytes.count, bytes[i] == UInt8(ascii: "\"") || bytes[i] == UInt8(ascii: "'") {
          let quote = bytes[i]
          let start = i + 1
          var end = start
          while end < bytes.count, bytes[end] != quote { end += 1 }
          attribute.value = String(decoding: bytes[start..<end], as: UTF8.self)
          line += bytes[start..<end].reduce(0) { $0 + ($1 == UInt8(ascii: "\n") ? 1 : 0) }
          i = min(end + 1, bytes.count)
        } else {
          let start = i
          while i < bytes.count, !isSpace(bytes[i]), bytes[i] != UInt8(ascii: ">") { i += 1 }
          attribute.value = String(decoding: bytes[start..<i], as: UTF8.self)
        }
      }
      found.append(attribute)
    }
  }

  private static func matches(_ pattern: [UInt8], at index: Int, in bytes: [UInt8], ignoringCase: Bool) -> Bool {
    guard index + pattern.count <= bytes.count else { return false }
    for k in pattern.indices {
      let byte = bytes[index + k]
      let folded = ignoringCase && isLetter(byte) ? byte | 0x20 : byte
      if folded != pattern[k] { return false }
    }
    return true
  }

  private static func isLetter(_ byte: UInt8) -> Bool {
    (UInt8(ascii: "a")...UInt8(ascii: "z")).contains(byte | 0x20)
  }

  private static func isSpace(_ byte: UInt8) -> Bool {
    byte == UInt8(ascii: " ") || byte == UInt8(ascii: "\t") || byte == UInt8(ascii: "\n") || byte == 0x0C
      || byte == UInt8(ascii: "\r")
  }
}
