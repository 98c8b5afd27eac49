/// Finds attribute values and `<img>` tags in a page's UTF-8 bytes, in one pass each, as the
/// patterns `(?:href|src)="([^"]*)"`, `\sid="([^"]*)"` and `<img\b[^>]*>` would (a page of
/// tens of megabytes takes a regular expression over a second).
enum HTMLScan {
  private static let quote = UInt8(ascii: "\"")

  /// The values of `name="..."` for each name, in page order; with `afterSpace`, only where
  /// white space comes before the name.
  static func attributeValues(named names: [String], afterSpace: Bool, in html: [UInt8]) -> [String] {
    let openings = names.map { Array(($0 + "=\"").utf8) }
    var isFirstByte = [Bool](repeating: false, count: 256)
    for opening in openings { isFirstByte[Int(opening[0])] = true }
    var values: [String] = []
    var i = 0
    while i < html.count {
      guard isFirstByte[Int(html[i])],
        let opening = openings.first(where: { starts(with: $0, at: i, in: html) }),
        !afterSpace || (i > 0 && isSpace(before: i, in: html))
      else {
        i += 1
        continue
      }
      let start = i + opening.count
      guard let end = html[start...].firstIndex(of: quote) else { break }
      values.append(String(decoding: html[start..<end], as: UTF8.self))
      i = end + 1
    }
    return values
  }

  /// Every `<img ...>` tag, whole.
  static func imageTags(in html: [UInt8]) -> [String] {
    let opening = Array("<img".utf8)
    var tags: [String] = []
    var i = 0
    while i < html.count {
      guard html[i] == opening[0], starts(with: opening, at: i, in: html),
        !isWordCharacter(at: i + opening.count, in: html)
      else {
        i += 1
        continue
      }
      guard let end = html[(i + opening.count)...].firstIndex(of: UInt8(ascii: ">")) else { break }
      tags.append(String(decoding: html[i...end], as: UTF8.self))
      i = end + 1
    }
    return tags
  }

  private static func starts(with prefix: [UInt8], at index: Int, in html: [UInt8]) -> Bool {
    guard index + prefix.count <= html.count else { return false }
    for k in prefix.indices where html[index + k] != prefix[k] { return false }
    return true
  }

  /// Whether the character ending just before `index` is white space.
  private static func isSpace(before index: Int, in html: [UInt8]) -> Bool {
    var start = index - 1
    while start > 0, html[start] & 0xC0 == 0x80 { start -= 1 }  // back to the character's first byte
    let character = String(decoding: html[start..<index], as: UTF8.self)
    return character.unicodeScalars.first?.properties.isWhitespace ?? false
  }

  /// Whether a letter, digit or `_` starts at `index` (a word boundary is where none does).
  private static func isWordCharacter(at index: Int, in html: [UInt8]) -> Bool {
    guard index < html.count else { return false }
    var end = index + 1
    while end < html.count, html[end] & 0xC0 == 0x80 { end += 1 }
    let character = String(decoding: html[index..<end], as: UTF8.self)
    guard let scalar = character.unicodeScalars.first else { return false }
    return scalar == "_" || scalar.properties.isAlphabetic || scalar.properties.numericType != nil
  }
}
