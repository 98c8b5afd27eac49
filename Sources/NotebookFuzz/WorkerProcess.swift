import Foundation

/// A running worker (this program with `--worker`): sends it inputs and waits for each reply
/// no longer than the time limit, in the worker's CPU seconds so that a busy machine does not
/// fail an input (and ten times as long on the clock). A worker that crashed or hung is replaced
/// on the next input.
final class WorkerProcess {
  enum Outcome: Equatable {
    case passed
    /// The input was handled, wrongly: the problems found.
    case wrong(String)
    /// The worker died: how, and the end of what it wrote to stderr.
    case crashed(String)
    case timedOut
  }

  private let executable: String
  private let timeLimit: Double
  private var process: Process?
  private var input: FileHandle?
  private var output: FileHandle?
  private var errorLog: URL

  init(executable: String, timeLimit: Double) {
    self.executable = executable
    self.timeLimit = timeLimit
    errorLog = FileManager.default.temporaryDirectory.appendingPathComponent("notebook-fuzz-\(getpid()).err")
    signal(SIGPIPE, SIG_IGN)  // a worker that died mid-input is a crash to report, not our end
  }

  deinit { stop() }

  /// Runs one input; `seconds` is the CPU time the worker took.
  func probe(_ bytes: [UInt8]) -> (outcome: Outcome, seconds: Double) {
    if process == nil { start() }
    let started = Date()
    let cpuAtStart = cpuSeconds()
    func cpuUsed() -> Double { cpuSeconds() - cpuAtStart }
    let length = UInt32(bytes.count)
    let header = (0..<4).map { UInt8(truncatingIfNeeded: length >> (8 * $0)) }
    do {
      try input?.write(contentsOf: header + bytes)
    } catch {
      return (crashed(), cpuUsed())
    }
    var reply: [UInt8] = []
    while reply.last != UInt8(ascii: "\n") {
      let used = cpuUsed()
      guard used <= timeLimit, Date().timeIntervalSince(started) <= 10 * timeLimit else {
        stop()
        return (.timedOut, used)
      }
      guard let output else { return (crashed(), used) }
      var descriptor = pollfd(fd: output.fileDescriptor, events: Int16(POLLIN), revents: 0)
      let ready = poll(&descriptor, 1, 100)
      if ready < 0, errno == EINTR { continue }
      guard ready > 0 else { continue }
      var buffer = [UInt8](repeating: 0, count: 65536)
      let n = buffer.withUnsafeMutableBytes { read(output.fileDescriptor, $0.baseAddress!, $0.count) }
      if n < 0, errno == EINTR { continue }
      guard n > 0 else { return (crashed(), cpuUsed()) }
      reply += buffer[..<n]
    }
    let seconds = cpuUsed()
    if seconds > timeLimit { return (.timedOut, seconds) }
    let text = String(decoding: reply.dropLast(), as: UTF8.self)
    if text == "ok" { return (.passed, seconds) }
    let problems = text.hasPrefix("bad ") ? String(text.dropFirst(4)) : text
    return (.wrong(problems.replacingOccurrences(of: "\\n", with: "\n")), seconds)
  }

  /// The worker's CPU time so far (user and system), from `/proc/PID/stat`.
  private func cpuSeconds() -> Double {
    guard let process,
      let stat = try? String(contentsOfFile: "/proc/\(process.processIdentifier)/stat", encoding: .utf8),
      let afterName = stat.range(of: ")", options: .backwards)
    else { return 0 }
    // Fields after the name start at the state (field 3); utime and stime are fields 14 and 15.
    let fields = stat[afterName.upperBound...].split(separator: " ")
    guard fields.count > 12, let user = Double(fields[11]), let system = Double(fields[12]) else { return 0 }
    return (user + system) / Double(sysconf(Int32(_SC_CLK_TCK)))
  }

  private func start() {
    let process = Process()
    process.executableURL = URL(fileURLWithPath: executable)
    process.arguments = ["--worker"]
    let stdin = Pipe()
    let stdout = Pipe()
    _ = FileManager.default.createFile(atPath: errorLog.path, contents: nil)
    process.standardInput = stdin
    process.standardOutput = stdout
    process.standardError = try? FileHandle(forWritingTo: errorLog)
    do {
      try process.run()
    } catch {
      fatalError("notebook-fuzz: cannot start a worker (\(executable)): \(error)")
    }
    self.process = process
    input = stdin.fileHandleForWriting
    output = stdout.fileHandleForReading
  }

  /// Kills the worker (if it still runs) and forgets it.
  private func stop() {
    guard let process else { return }
    if process.isRunning { kill(process.processIdentifier, SIGKILL) }
    process.waitUntilExit()
    try? input?.close()
    self.process = nil
    input = nil
    output = nil
  }

  /// How the worker died, once it has.
  private func crashed() -> Outcome {
    guard let process else { return .crashed("no worker") }
    try? input?.close()
    process.waitUntilExit()
    let how =
      process.terminationReason == .uncaughtSignal
      ? "killed by signal \(process.terminationStatus)" : "exited with status \(process.terminationStatus)"
    let log = (try? String(contentsOf: errorLog, encoding: .utf8)) ?? ""
    self.process = nil
    input = nil
    output = nil
    return .crashed(how + (log.isEmpty ? "" : ":\n" + log.suffix(2000)))
  }
}
