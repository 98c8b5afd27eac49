/// HTML escaping for text and attribute values.
enum HTML {
  static func escape(_ text: String) -> String {
    let special: [UInt8] = Array("&<>\"'".utf8)
    guard text.utf8.contains(where: special.contains) else { return text }
    var result = ""
    result.reserveCapacity(text.utf8.count)
    for c in text.unicodeScalars {
      switch c {
      case "&": result += "&amp;"
      case "<": result += "&lt;"
      case ">": result += "&gt;"
      case "\"": result += "&quot;"
      case "'": result += "&#39;"
      default: result.unicodeScalars.append(c)
      }
    }
    return result
  }

  /// A stable anchor from heading text: lower case, words joined by hyphens.
  static func slug(_ text: String) -> String {
    var slug = ""
    var pendingHyphen = false
    for c in text.lowercased() {
      if c.isLetter || c.isNumber {
        if pendingHyphen, !slug.isEmpty { slug += "-" }
        slug.append(c)
        pendingHyphen = false
      } else {
        pendingHyphen = true
      }
    }
    return slug.isEmpty ? "section" : slug
  }
}
