/// Why a data set could not be loaded. The description says what to do.
public enum DatasetError: Error, CustomStringConvertible, Equatable {
  /// A file is missing; `hint` says how to get it.
  case missingFile(path: String, hint: String)
  /// The file exists but is not in the expected format.
  case malformed(path: String, reason: String)

  public var description: String {
    switch self {
    case .missingFile(let path, let hint): return "data file not found: \(path). \(hint)"
    case .malformed(let path, let reason): return "\(path): \(reason)"
    }
  }
}
