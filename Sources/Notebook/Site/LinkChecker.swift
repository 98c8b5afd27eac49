import Foundation

/// Checks a written site: every internal `href` and `src` names a file of the site, every
/// `#fragment` an `id` on its page, and every image has alt text. Resolve checks the chapters'
/// links before anything is written; this reads the pages themselves, as a test of the writer.
public enum LinkChecker {
  public struct Problem: Equatable, Sendable, CustomStringConvertible {
    /// The page the link is on.
    public var page: String
    /// The link as written in the page (an image's `src` for one without alt text).
    public var target: String
    public var message: String
    public var description: String { "\(page): \(message)" }
  }

  /// `otherPages` are pages of chapters that exist but were not built this time (a build of some
  /// chapters only): links to them pass, unchecked.
  public static func check(_ files: [String: [UInt8]], otherPages: Set<String> = []) -> [Problem] {
    var ids: [String: Set<String>] = [:]
    var pages: [(String, [UInt8])] = []
    for (path, bytes) in files where path.hasSuffix(".html") {
      pages.append((path, bytes))
      ids[path] = Set(HTMLScan.attributeValues(named: ["id"], afterSpace: true, in: bytes))
    }
    var problems: [Problem] = []
    for (page, html) in pages.sorted(by: { $0.0 < $1.0 }) {
      for target in HTMLScan.attributeValues(named: ["href", "src"], afterSpace: false, in: html) {
        let link = decodeEntities(target)
        // The page writes a link percent-encoded (`Href`): files and ids are compared decoded.
        guard let destination = LinkTarget(link, onPage: page) else { continue }
        let file = destination.file
        if files[file] == nil, otherPages.contains(file) { continue }
        guard files[file] != nil else {
          problems.append(
            Problem(page: page, target: link, message: "broken link `\(link)`: no file \(file) in the site"))
          continue
        }
        if let fragment = destination.fragment, file.hasSuffix(".html"), !(ids[file]?.contains(fragment) ?? false) {
          problems.append(
            Problem(page: page, target: link, message: "broken link `\(link)`: \(file) has no anchor #\(fragment)"))
        }
      }
      for image in HTMLScan.imageTags(in: html) where !image.contains("alt=\"") || image.contains("alt=\"\"") {
        // Its target is its `src`, where the Markdown writes it, so it is reported at that line.
        let source = HTMLScan.attributeValues(named: ["src"], afterSpace: false, in: Array(image.utf8)).first
        problems.append(
          Problem(page: page, target: source.map(decodeEntities) ?? image, message: "image without alt text: \(image)"))
      }
    }
    return problems
  }

  /// Whether a link leaves the site: it starts with a URL scheme (`[A-Za-z][A-Za-z0-9+.-]*:`) or `//`.
  static func isExternal(_ link: String) -> Bool {
    if link.hasPrefix("//") { return true }
    let utf8 = link.utf8
    guard let first = utf8.first, isLetter(first) else { return false }
    for byte in utf8.dropFirst() {
      if byte == UInt8(ascii: ":") { return true }
      guard
        isLetter(byte) || (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(byte)
          || byte == UInt8(ascii: "+") || byte == UInt8(ascii: ".") || byte == UInt8(ascii: "-")
      else { return false }
    }
    return false
  }

  private static func isLetter(_ byte: UInt8) -> Bool {
    (UInt8(ascii: "a")...UInt8(ascii: "z")).contains(byte) || (UInt8(ascii: "A")...UInt8(ascii: "Z")).contains(byte)
  }

  /// An attribute value with the entities the pages' writer uses decoded, as the checker reads it.
  static func decodeEntities(_ text: String) -> String {
    guard text.utf8.contains(UInt8(ascii: "&")) else { return text }
    return text.replacingOccurrences(of: "&quot;", with: "\"").replacingOccurrences(of: "&#39;", with: "'")
      .replacingOccurrences(of: "&#x27;", with: "'")
      .replacingOccurrences(of: "&lt;", with: "<").replacingOccurrences(of: "&gt;", with: ">")
      .replacingOccurrences(of: "&amp;", with: "&")
  }
}
