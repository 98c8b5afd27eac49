import Foundation

/// The child process that runs inputs, so a crash or a hang costs a restart, not the fuzzer.
///
/// Protocol: each input arrives on stdin as a 4-byte little-endian length and its bytes; the
/// reply is one line on stdout, `ok` or `bad ` and the problems (line breaks written `\n`).
enum Worker {
  static func run() -> Never {
    while let input = readFrame() {
      let problems = Verdict.problems(input)
      let reply =
        problems.isEmpty
        ? "ok\n" : "bad " + problems.joined(separator: "\n").replacingOccurrences(of: "\n", with: "\\n") + "\n"
      writeAll(Array(reply.utf8), to: STDOUT_FILENO)
    }
    exit(0)
  }

  private static func readFrame() -> [UInt8]? {
    guard let header = readExactly(4) else { return nil }
    let length = header.reversed().reduce(0) { $0 << 8 | Int($1) }
    return readExactly(length)
  }

  private static func readExactly(_ count: Int) -> [UInt8]? {
    var bytes = [UInt8](repeating: 0, count: count)
    var filled = 0
    while filled < count {
      let n = bytes.withUnsafeMutableBytes { read(STDIN_FILENO, $0.baseAddress! + filled, count - filled) }
      if n < 0, errno == EINTR { continue }
      guard n > 0 else { return nil }
      filled += n
    }
    return bytes
  }

  static func writeAll(_ bytes: [UInt8], to descriptor: Int32) {
    var written = 0
    while written < bytes.count {
      let n = bytes.withUnsafeBytes { write(descriptor, $0.baseAddress! + written, bytes.count - written) }
      if n < 0, errno == EINTR { continue }
      guard n > 0 else { return }
      written += n
    }
  }
}
