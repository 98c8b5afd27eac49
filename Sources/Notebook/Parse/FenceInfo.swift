import Foundation

/// The info string of a fenced block: its language and `key=value` or bare-word options.
struct FenceInfo: Equatable {
  var language: String
  var words: [String]
  var options: [String: String]

  init(_ info: String) {
    let parts = info.split(whereSeparator: \.isWhitespace).map(String.init)
    language = parts.first?.lowercased() ?? ""
    words = []
    options = [:]
    for part in parts.dropFirst() {
      if let eq = part.firstIndex(of: "=") {
        options[String(part[..<eq])] = String(part[part.index(after: eq)...])
      } else {
        words.append(part)
      }
    }
  }

  /// The cell mode of a `swift` fence: no word, `hide` or `norun`.
  func cellMode() throws -> Cell.Mode {
    guard options.isEmpty, words.count <= 1 else { throw FenceError.unknownOption }
    switch words.first {
    case nil: return .run
    case "hide": return .hidden
    case "norun": return .display
    default: throw FenceError.unknownOption
    }
  }

  /// Tolerances of an `output` fence: `tolerance=` (relative) and `atol=` (absolute).
  func outputTolerances() throws -> (relative: Double, absolute: Double) {
    guard words.isEmpty, Set(options.keys).isSubset(of: ["tolerance", "atol"]) else {
      throw FenceError.unknownOption
    }
    func number(_ key: String, _ fallback: Double) throws -> Double {
      guard let text = options[key] else { return fallback }
      guard let value = Double(text), value >= 0, value.isFinite else {
        throw FenceError.badNumber(key, text)
      }
      return value
    }
    return (try number("tolerance", ExpectedOutput.defaultTolerance), try number("atol", 0))
  }

  enum FenceError: Error {
    case unknownOption
    case badNumber(String, String)
  }
}
