/// Why the preview could not start listening, as one line that says what to do.
public enum ListenError: Error, CustomStringConvertible {
  case unresolvable(host: String, reason: String)
  case portInUse(host: String, port: UInt16)
  case cannotListen(host: String, port: UInt16, reason: String)

  public var description: String {
    switch self {
    case .unresolvable(let host, let reason):
      return "cannot listen on \(host): \(reason); give --host an address such as 127.0.0.1"
    case .portInUse(let host, let port):
      return "port \(port) on \(host) is in use; choose another with --port N (0 picks a free one)"
    case .cannotListen(let host, let port, let reason):
      return "cannot listen on port \(port) of \(host): \(reason)"
    }
  }
}
