/// The writer's element builder: a tag and its attributes, every value escaped here, around
/// content that is HTML already. The writer puts no text into an attribute any other way.
///
/// A value is text (`HTML.escape`) or a URL (`Href.attribute`: percent-encoded, then escaped
/// as cmark writes it) or a flag (`hidden`); a nil value leaves the attribute out.
enum Element {
  enum Value: ExpressibleByStringInterpolation {
    case text(String)
    case url(String)
    /// A boolean attribute, written as its name alone (`hidden`).
    case flag

    init(stringLiteral value: String) { self = .text(value) }

    var escaped: String {
      switch self {
      case .text(let text): return HTML.escape(text)
      case .url(let url): return Href.attribute(url)
      case .flag: return ""
      }
    }
  }

  /// `<name attributes>`, for an element without content (`img`, `hr`) or one closed later.
  static func start(_ name: String, _ attributes: KeyValuePairs<String, Value?> = [:]) -> String {
    var tag = "<" + name
    for (attribute, value) in attributes {
      guard let value else { continue }
      if case .flag = value {
        tag += " " + attribute
      } else {
        tag += " \(attribute)=\"\(value.escaped)\""
      }
    }
    return tag + ">"
  }

  /// `<name>content</name>`.
  static func make(_ name: String, _ content: String) -> String { make(name, [:], content) }

  /// `<name attributes>content</name>`.
  static func make(_ name: String, _ attributes: KeyValuePairs<String, Value?> = [:], _ content: String) -> String {
    start(name, attributes) + content + "</\(name)>"
  }
}
