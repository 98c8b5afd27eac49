import Foundation
internal import NotebookEvents

/// The side channel to the engine: JSON lines appended with one `write(2)` each.
///
/// When the program runs outside the engine (no `NOTEBOOK_EVENTS`), records are
/// summarized on stderr instead so a student running the binary by hand still sees checks.
final class EventChannel: @unchecked Sendable {
  static let shared = EventChannel()

  let descriptor: Int32?
  let figuresDirectory: String?
  private let lock = NSLock()
  private var figureCount = 0
  /// When the program started talking to the engine (its first block).
  let started = Date()

  private init() {
    let environment = ProcessInfo.processInfo.environment
    if let path = environment[RuntimeEnvironment.eventsPath] {
      let fd = open(path, O_WRONLY | O_APPEND | O_CREAT, 0o644)
      descriptor = fd >= 0 ? fd : nil
    } else {
      descriptor = nil
    }
    figuresDirectory = environment[RuntimeEnvironment.figuresDirectory]
    // Line-buffer stdout so that a trap loses at most the current, unfinished line.
    setvbuf(stdout, nil, _IOLBF, 1 << 16)
    ThrowSite.install()
  }

  func send(_ event: RuntimeEvent) {
    guard let descriptor, let data = try? event.jsonLine() else { return }
    lock.lock()
    defer { lock.unlock() }
    data.withUnsafeBytes { raw in
      var written = 0
      while written < raw.count {
        let n = write(descriptor, raw.baseAddress! + written, raw.count - written)
        if n < 0 && errno == EINTR { continue }
        if n <= 0 { break }
        written += n
      }
    }
  }

  /// Writes a figure file and returns its name, or nil outside the engine.
  func writeFigure(_ bytes: [UInt8], fileExtension: String) -> String? {
    guard let figuresDirectory else { return nil }
    lock.lock()
    figureCount += 1
    let name = "figure-\(figureCount).\(fileExtension)"
    lock.unlock()
    let url = URL(fileURLWithPath: figuresDirectory).appendingPathComponent(name)
    do {
      try Data(bytes).write(to: url)
      return name
    } catch {
      FileHandle.standardError.write(Data("notebook: cannot write \(url.path): \(error)\n".utf8))
      return nil
    }
  }

  var isAttached: Bool { descriptor != nil }
}

/// Flushes stdout and returns its byte offset (stdout is a regular file under the engine).
func flushedStandardOutputOffset() -> Int64 {
  fflush(stdout)
  return Int64(lseek(STDOUT_FILENO, 0, SEEK_CUR))
}
