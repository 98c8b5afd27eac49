import Foundation

#if canImport(Glibc)
  import Glibc
#endif

/// A listening TCP socket that answers each connection on a thread of its own: one request,
/// one response, then the connection closes.
///
/// The socket is bound when the listener is made, so a port in use is reported before anything
/// else happens. A request head must arrive within `headDeadline`, and at most
/// `maximumConnections` are answered at once (the rest get 503), so no client can hold the
/// preview.
final class HTTPListener: @unchecked Sendable {
  static let maximumConnections = 64
  static let headDeadline: TimeInterval = 30

  let address: ListenAddress
  /// The port bound (the one the system chose, for port 0).
  let port: UInt16
  private let descriptor: Int32
  private let lock = NSLock()
  private var connections = 0
  private var stopped = false

  init(host: String, port requested: UInt16) throws {
    address = try ListenAddress(host: host, port: requested)
    let descriptor = socket(address.family, Int32(SOCK_STREAM.rawValue) | Int32(SOCK_CLOEXEC.rawValue), 0)
    guard descriptor >= 0 else {
      throw ListenError.cannotListen(host: host, port: requested, reason: String(cString: strerror(errno)))
    }
    var yes: Int32 = 1
    setsockopt(descriptor, SOL_SOCKET, SO_REUSEADDR, &yes, socklen_t(MemoryLayout<Int32>.size))
    var storage = address.storage
    let length = address.length
    let bound = withUnsafePointer(to: &storage) {
      $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(descriptor, $0, length) }
    }
    guard bound == 0, listen(descriptor, 64) == 0 else {
      let code = errno
      close(descriptor)
      if code == EADDRINUSE { throw ListenError.portInUse(host: host, port: requested) }
      throw ListenError.cannotListen(host: host, port: requested, reason: String(cString: strerror(code)))
    }
    self.descriptor = descriptor
    port = Self.boundPort(descriptor) ?? requested
  }

  private static func boundPort(_ descriptor: Int32) -> UInt16? {
    var storage = sockaddr_storage()
    var length = socklen_t(MemoryLayout<sockaddr_storage>.size)
    let status = withUnsafeMutablePointer(to: &storage) {
      $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(descriptor, $0, &length) }
    }
    guard status == 0 else { return nil }
    let family = Int32(storage.ss_family)
    return withUnsafeBytes(of: &storage) { raw in
      switch family {
      case AF_INET: return UInt16(bigEndian: raw.load(as: sockaddr_in.self).sin_port)
      case AF_INET6: return UInt16(bigEndian: raw.load(as: sockaddr_in6.self).sin6_port)
      default: return nil
      }
    }
  }

  /// Accepts connections until `stop()`, answering each request with `respond`; blocks the
  /// calling thread.
  func serve(_ respond: @escaping @Sendable (RequestHead) -> PreviewResponse) {
    while true {
      let client = accept(descriptor, nil, nil)
      guard client >= 0 else {
        if isStopped { break }
        if errno == EMFILE || errno == ENFILE { Thread.sleep(forTimeInterval: 0.1) }
        continue
      }
      _ = fcntl(client, F_SETFD, FD_CLOEXEC)
      guard admit() else {
        Self.send(PreviewResponse.text(503, "too many connections").serialized(withBody: true), to: client)
        close(client)
        continue
      }
      Thread {
        Self.answer(client, respond)
        close(client)
        self.release()
      }.start()
    }
    close(descriptor)
  }

  /// Wakes `serve` and makes it return.
  func stop() {
    lock.lock()
    stopped = true
    lock.unlock()
    shutdown(descriptor, Int32(SHUT_RDWR))
  }

  private var isStopped: Bool {
    lock.lock()
    defer { lock.unlock() }
    return stopped
  }

  private func admit() -> Bool {
    lock.lock()
    defer { lock.unlock() }
    guard connections < Self.maximumConnections else { return false }
    connections += 1
    return true
  }

  private func release() {
    lock.lock()
    connections -= 1
    lock.unlock()
  }

  private static func answer(_ client: Int32, _ respond: (RequestHead) -> PreviewResponse) {
    setTimeout(client, SO_RCVTIMEO, seconds: 5)
    setTimeout(client, SO_SNDTIMEO, seconds: 30)
    let deadline = Date().addingTimeInterval(headDeadline)
    let outcome = RequestHead.read { buffer in
      Date() < deadline ? receive(client, into: buffer) : -1
    }
    switch outcome {
    case .request(let head):
      send(respond(head).serialized(withBody: head.method != "HEAD"), to: client)
    case .rejected(let response):
      send(response.serialized(withBody: true), to: client)
      drain(client)
    case .incomplete:
      break
    }
  }

  /// Reads and discards what the client still sends (up to 4 MiB, for at most 2 s) after a
  /// refusal, so closing does not reset the connection before the client has read the answer.
  private static func drain(_ client: Int32) {
    shutdown(client, Int32(SHUT_WR))
    setTimeout(client, SO_RCVTIMEO, seconds: 1)
    let deadline = Date().addingTimeInterval(2)
    var discarded = 0
    var scratch = [UInt8](repeating: 0, count: 65536)
    while discarded < 4 << 20, Date() < deadline {
      let count = scratch.withUnsafeMutableBytes { receive(client, into: $0) }
      guard count > 0 else { break }
      discarded += count
    }
  }

  private static func receive(_ client: Int32, into buffer: UnsafeMutableRawBufferPointer) -> Int {
    while true {
      let count = recv(client, buffer.baseAddress, buffer.count, 0)
      if count < 0, errno == EINTR { continue }
      return count
    }
  }

  private static func send(_ bytes: [UInt8], to client: Int32) {
    bytes.withUnsafeBytes { raw in
      var offset = 0
      while offset < raw.count {
        let count = Glibc.send(client, raw.baseAddress! + offset, raw.count - offset, Int32(MSG_NOSIGNAL))
        if count < 0, errno == EINTR { continue }
        guard count > 0 else { return }
        offset += count
      }
    }
  }

  private static func setTimeout(_ client: Int32, _ option: Int32, seconds: Int) {
    var time = timeval(tv_sec: seconds, tv_usec: 0)
    setsockopt(client, SOL_SOCKET, option, &time, socklen_t(MemoryLayout<timeval>.size))
  }
}
