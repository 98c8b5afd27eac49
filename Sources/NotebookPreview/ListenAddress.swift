import Foundation

#if canImport(Glibc)
  import Glibc
#endif

/// Where the preview listens: the socket address `--host` names, with the port.
struct ListenAddress {
  /// The host as the user wrote it (`localhost` stands for 127.0.0.1).
  let host: String
  let storage: sockaddr_storage
  let length: socklen_t

  /// Resolves `host` (an IPv4 or IPv6 address, `localhost`, or a name) with `port`.
  init(host: String, port: UInt16) throws {
    self.host = host
    var hints = addrinfo()
    hints.ai_family = AF_UNSPEC
    hints.ai_socktype = Int32(SOCK_STREAM.rawValue)
    hints.ai_flags = AI_PASSIVE | AI_NUMERICSERV
    var results: UnsafeMutablePointer<addrinfo>?
    let name = host == "localhost" ? "127.0.0.1" : host
    let status = getaddrinfo(name, String(port), &hints, &results)
    guard status == 0, let first = results else {
      throw ListenError.unresolvable(host: host, reason: String(cString: gai_strerror(status)))
    }
    defer { freeaddrinfo(results) }
    var storage = sockaddr_storage()
    let resolved = UnsafeRawBufferPointer(start: first.pointee.ai_addr, count: Int(first.pointee.ai_addrlen))
    withUnsafeMutableBytes(of: &storage) { $0.copyMemory(from: resolved) }
    self.storage = storage
    length = first.pointee.ai_addrlen
  }

  var family: Int32 { Int32(storage.ss_family) }

  /// Whether only this machine can connect: 127.0.0.0/8, ::1, or 127.0.0.0/8 mapped into IPv6.
  var isLoopback: Bool {
    var copy = storage
    return withUnsafeBytes(of: &copy) { raw in
      switch family {
      case AF_INET:
        let address = raw.load(as: sockaddr_in.self).sin_addr.s_addr
        return UInt32(bigEndian: address) >> 24 == 127
      case AF_INET6:
        let bytes = withUnsafeBytes(of: raw.load(as: sockaddr_in6.self).sin6_addr) { Array($0) }
        let loopback: [UInt8] = Array(repeating: 0, count: 15) + [1]
        let mappedPrefix: [UInt8] = Array(repeating: 0, count: 10) + [0xff, 0xff]
        return bytes == loopback || (Array(bytes.prefix(12)) == mappedPrefix && bytes[12] == 127)
      default:
        return false
      }
    }
  }

  /// `host:port` for a URL, with an IPv6 address in brackets.
  func authority(port: UInt16) -> String {
    host.contains(":") ? "[\(host)]:\(port)" : "\(host):\(port)"
  }
}
