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

  /// The cell mode of a `swift` fence: no word, `hide`, `norun`, `exercise=ID` or `solution=ID`,
  /// with the exercise identifier for the last two.
  func cellMode() throws -> (Cell.Mode, exercise: String?) {
    if words.isEmpty, options.count == 1, let (key, id) = options.first, key == "exercise" || key == "solution" {
      guard !id.isEmpty, id.allSatisfy({ $0.isLetter || $0.isNumber || $0 == "-" || $0 == "_" }) else {
        throw FenceError.badNumber(key, id)
      }
      return (key == "exercise" ? .exercise : .solution, id)
    }
    guard options.isEmpty, words.count <= 1 else { throw FenceError.unknownOption }
    switch words.first {
    case nil: return (.run, nil)
    case "hide": return (.hidden, nil)
    case "norun": return (.display, nil)
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
