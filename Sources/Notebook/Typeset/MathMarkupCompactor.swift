/// Shrinks KaTeX's markup by a sixth or so without changing what a reader sees or hears. KaTeX
/// writes every formula twice, as MathML for assistive technology and as positioned spans for
/// the eye, and math-dense chapters run to hundreds of kilobytes. The compactor removes only
/// what nothing reads:
/// - class names no stylesheet of the site mentions. KaTeX tags each atom with its TeX class
///   (`mord`, `mbin`, `mtight`, …) for scripts. Only styled classes change the layout.
/// - the TeX source `annotation` and the `semantics` element around it. Browsers never show
///   annotations, and assistive technology reads the MathML presentation. The TeX remains in
///   the chapter's Markdown.
/// - `xmlns` on `math` and `svg`. The HTML parser puts those elements in their namespaces anyway.
/// - quotes around attribute values where HTML allows none (no spaces, quotes, `=`, `<`, `>`
///   or backquotes), and the final `;` of a style.
///
/// It relies on the regular shape of KaTeX's output: double-quoted attributes and `<`, `>`
/// escaped in text. A tag it does not understand is copied unchanged. It works on UTF-8 bytes
/// because a `>` followed by a combining mark (KaTeX's `\not`) is one `Character` in Swift.
public struct MathMarkupCompactor: Sendable {
  /// The class names that stay, or nil to keep every class.
  public let keptClasses: Set<String>?

  /// Keeps the classes that `stylesheets` name, and every class beginning with `katex`
  /// (KaTeX's documented hooks, which authors may style and checkers look for). A stylesheet
  /// that selects on the class attribute itself (`[class^=…]`) turns the filtering off.
  public init(stylesheets: [String]) {
    if stylesheets.contains(where: { $0.contains("[class") }) {
      keptClasses = nil
    } else {
      keptClasses = stylesheets.reduce(into: Set<String>()) { $0.formUnion(Self.classNames(inStylesheet: $1)) }
    }
  }

  /// The class names a stylesheet's selectors mention: every `.name` outside comments,
  /// strings and `url(…)`. Numbers such as `.5em` are not names.
  public static func classNames(inStylesheet css: String) -> Set<String> {
    let bytes = Array(css.utf8)
    var names = Set<String>()
    var index = 0
    func startsName(_ byte: UInt8) -> Bool { isLetter(byte) || byte == UInt8(ascii: "_") || byte == UInt8(ascii: "-") }
    while index < bytes.count {
      let byte = bytes[index]
      if byte == UInt8(ascii: "/"), index + 1 < bytes.count, bytes[index + 1] == UInt8(ascii: "*") {
        index = skip(past: Array("*/".utf8), in: bytes, from: index + 2)
      } else if byte == UInt8(ascii: "\"") || byte == UInt8(ascii: "'") {
        index = skip(past: [byte], in: bytes, from: index + 1)
      } else if bytes[index...].starts(with: "url(".utf8) {
        index = skip(past: Array(")".utf8), in: bytes, from: index + 4)
      } else if byte == UInt8(ascii: "."), index + 1 < bytes.count, startsName(bytes[index + 1]) {
        var end = index + 1
        while end < bytes.count, isNameByte(bytes[end]) { end += 1 }
        names.insert(String(decoding: bytes[(index + 1)..<end], as: UTF8.self))
        index = end
      } else {
        index += 1
      }
    }
    return names
  }

  /// The compacted markup of one KaTeX rendering.
  public func compact(_ markup: String) -> String {
    let bytes = Array(markup.utf8)
    var output: [UInt8] = []
    output.reserveCapacity(bytes.count)
    var index = 0
    while index < bytes.count {
      guard bytes[index] == UInt8(ascii: "<"), let close = bytes[index...].firstIndex(of: UInt8(ascii: ">")) else {
        output.append(bytes[index])
        index += 1
        continue
      }
      let tag = bytes[index...close]
      index = close + 1
      if tag.starts(with: "<annotation".utf8) {
        index = Self.skip(past: Array("</annotation>".utf8), in: bytes, from: index)
      } else if tag.elementsEqual("<semantics>".utf8) || tag.elementsEqual("</semantics>".utf8) {
        continue
      } else if let start = StartTag(tag) {
        output += start.serialized(keepingClass: keeps)
      } else {
        output += tag
      }
    }
    return String(decoding: output, as: UTF8.self)
  }

  /// Whether a class stays in the markup.
  public func keeps(_ className: String) -> Bool {
    keptClasses.map { $0.contains(className) || className.hasPrefix("katex") } ?? true
  }

  /// The index just past the next `terminator` at or after `start`, or the end.
  private static func skip(past terminator: [UInt8], in bytes: [UInt8], from start: Int) -> Int {
    var index = start
    while index + terminator.count <= bytes.count {
      if bytes[index..<(index + terminator.count)].elementsEqual(terminator) { return index + terminator.count }
      index += 1
    }
    return bytes.count
  }

  private static func isLetter(_ byte: UInt8) -> Bool {
    (UInt8(ascii: "a")...UInt8(ascii: "z")).contains(byte) || (UInt8(ascii: "A")...UInt8(ascii: "Z")).contains(byte)
  }

  private static func isNameByte(_ byte: UInt8) -> Bool {
    isLetter(byte) || (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(byte) || byte == UInt8(ascii: "_")
      || byte == UInt8(ascii: "-")
  }
}

/// A start tag as KaTeX writes it: a name, then `name="value"` or bare `name` attributes, then
/// `>` or `/>`.
private struct StartTag {
  var name: [UInt8]
  var attributes: [(name: [UInt8], value: [UInt8]?)] = []
  var selfClosing = false

  private static let namespaces: Set<[UInt8]> = [
    Array("http://www.w3.org/1998/Math/MathML".utf8), Array("http://www.w3.org/2000/svg".utf8),
  ]

  /// Parses `<…>`, or returns nil for anything else (end tags, comments, single quotes).
  init?(_ tag: ArraySlice<UInt8>) {
    let bytes = Array(tag.dropFirst().dropLast())
    guard let first = bytes.first, first != UInt8(ascii: "/"), first != UInt8(ascii: "!") else { return nil }
    var index = 0
    func isSpace(_ byte: UInt8) -> Bool { byte == 0x20 || byte == 0x09 || byte == 0x0A || byte == 0x0C || byte == 0x0D }
    func read(while keep: (UInt8) -> Bool) -> [UInt8] {
      let start = index
      while index < bytes.count, keep(bytes[index]) { index += 1 }
      return Array(bytes[start..<index])
    }
    name = read { !isSpace($0) && $0 != UInt8(ascii: "/") }
    while true {
      _ = read(while: isSpace)
      guard index < bytes.count else { break }
      if bytes[index] == UInt8(ascii: "/") {
        guard index == bytes.count - 1 else { return nil }
        selfClosing = true
        break
      }
      let attribute = read { !isSpace($0) && $0 != UInt8(ascii: "=") && $0 != UInt8(ascii: "/") }
      guard !attribute.isEmpty else { return nil }
      guard index < bytes.count, bytes[index] == UInt8(ascii: "=") else {
        attributes.append((attribute, nil))
        continue
      }
      index += 1
      guard index < bytes.count, bytes[index] == UInt8(ascii: "\"") else { return nil }
      index += 1
      let value = read { $0 != UInt8(ascii: "\"") }
      guard index < bytes.count else { return nil }
      index += 1
      attributes.append((attribute, value))
    }
  }

  func serialized(keepingClass keeps: (String) -> Bool) -> [UInt8] {
    var output: [UInt8] = [UInt8(ascii: "<")] + name
    var endsUnquoted = false
    for (attribute, original) in attributes {
      guard var value = original else {
        output += [0x20] + attribute
        endsUnquoted = false
        continue
      }
      if attribute.elementsEqual("xmlns".utf8), Self.namespaces.contains(value) { continue }
      if attribute.elementsEqual("class".utf8) {
        let kept = value.split(separator: 0x20).filter { keeps(String(decoding: $0, as: UTF8.self)) }
        value = Array(kept.joined(separator: [0x20]))
        if value.isEmpty { continue }
      }
      if attribute.elementsEqual("style".utf8) {
        if value.last == UInt8(ascii: ";") { value.removeLast() }
        if value.isEmpty { continue }
      }
      output += [0x20] + attribute + [UInt8(ascii: "=")]
      endsUnquoted = Self.mayGoUnquoted(value)
      output += endsUnquoted ? value : [UInt8(ascii: "\"")] + value + [UInt8(ascii: "\"")]
    }
    // `<path d=M0/>` would make the slash part of the value.
    if selfClosing {
      output += endsUnquoted ? Array(" />".utf8) : Array("/>".utf8)
    } else {
      output.append(UInt8(ascii: ">"))
    }
    return output
  }

  /// HTML's unquoted attribute value syntax: not empty, and none of space, `"`, `'`, `=`, `<`,
  /// `>` or a backquote.
  private static func mayGoUnquoted(_ value: [UInt8]) -> Bool {
    !value.isEmpty && !value.contains { needsQuotes.contains($0) }
  }

  private static let needsQuotes = Set(" \t\n\u{0C}\r\"'=<>`".utf8)
}
