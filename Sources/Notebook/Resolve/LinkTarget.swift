import Foundation

/// Where a link inside the site points: a file and, maybe, an anchor on it. Resolve checks the
/// chapters' links with it, and `LinkChecker` the written pages', so both read a link alike.
struct LinkTarget: Equatable {
  /// The site-relative file, percent-decoded; the page itself for `#anchor`.
  var file: String
  /// The anchor after `#`, percent-decoded; nil when there is none or it is empty.
  var fragment: String?

  /// The target of `link` (as written in the page, entities decoded) on the page `page`, or nil
  /// for a link that leaves the site or an empty one.
  init?(_ link: String, onPage page: String) {
    guard !link.isEmpty, !LinkChecker.isExternal(link) else { return nil }
    let parts = link.split(separator: "#", maxSplits: 1, omittingEmptySubsequences: false).map {
      $0.removingPercentEncoding ?? String($0)
    }
    let folder = (page as NSString).deletingLastPathComponent
    file = parts[0].isEmpty ? page : Self.normalize(folder.isEmpty ? parts[0] : folder + "/" + parts[0])
    fragment = parts.count == 2 && !parts[1].isEmpty ? parts[1] : nil
  }

  /// `a/./b/../c` as `a/c`.
  static func normalize(_ path: String) -> String {
    var parts: [Substring] = []
    for part in path.split(separator: "/") {
      if part == "." { continue }
      if part == "..", !parts.isEmpty { parts.removeLast() } else { parts.append(part) }
    }
    return parts.joined(separator: "/")
  }
}
