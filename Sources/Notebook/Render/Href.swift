/// Link and image URLs as cmark writes them (its `houdini_escape_href`): every byte other than
/// letters, digits and `-_.+!*'(),%#@?=;:/$~&` is percent-encoded (a space is `%20`, `é` is
/// `%C3%A9`), and `&` and `'` become the entities `&amp;` and `&#x27;`. An existing `%XX` is
/// left alone, so a destination written already encoded is not encoded twice.
enum Href {
  /// The attribute value of `href` or `src` for `url`.
  static func attribute(_ url: String) -> String {
    var result = ""
    for scalar in percentEncoded(url).unicodeScalars {
      switch scalar {
      case "&": result += "&amp;"
      case "'": result += "&#x27;"
      default: result.unicodeScalars.append(scalar)
      }
    }
    return result
  }

  /// `url` percent-encoded, before HTML escaping: what a reader of the page's attribute (the
  /// link checker) gets back after decoding the entities.
  static func percentEncoded(_ url: String) -> String {
    guard url.utf8.contains(where: { !isSafe[Int($0)] }) else { return url }
    let hex = Array("0123456789ABCDEF".utf8)
    var bytes: [UInt8] = []
    bytes.reserveCapacity(url.utf8.count)
    for byte in url.utf8 {
      if isSafe[Int(byte)] {
        bytes.append(byte)
      } else {
        bytes += [UInt8(ascii: "%"), hex[Int(byte >> 4)], hex[Int(byte & 0xF)]]
      }
    }
    return String(decoding: bytes, as: UTF8.self)
  }

  /// The bytes cmark's `HREF_SAFE` table leaves as they are, with `&` and `'` (escaped as
  /// entities by `attribute` instead).
  private static let isSafe: [Bool] = {
    var table = [Bool](repeating: false, count: 256)
    for byte in "-_.+!*'(),%#@?=;:/$~&".utf8 { table[Int(byte)] = true }
    for range in [
      UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "A")...UInt8(ascii: "Z"),
      UInt8(ascii: "0")...UInt8(ascii: "9"),
    ] {
      for byte in range { table[Int(byte)] = true }
    }
    return table
  }()
}
