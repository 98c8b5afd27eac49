import Foundation

/// Runs a program with its output in files, a wall-clock limit, and a cap on output size.
struct ProcessRunner {
  struct Outcome {
    enum Termination: Equatable {
      case exited(Int32)
      case signaled(Int32)
      case timedOut
    }
    var termination: Termination
    var seconds: Double
  }

  /// Largest file the program may write (stdout included) before SIGXFSZ stops it.
  static let outputLimitBytes = 256 << 20

  /// Runs `executable` with stdout and stderr sent to the given files.
  static func run(
    _ executable: String, arguments: [String] = [], environment: [String: String],
    workingDirectory: String, stdout: String, stderr: String, timeout: Double
  ) throws -> Outcome {
    let manager = FileManager.default
    _ = manager.createFile(atPath: stdout, contents: nil)
    _ = manager.createFile(atPath: stderr, contents: nil)
    guard let out = FileHandle(forWritingAtPath: stdout), let err = FileHandle(forWritingAtPath: stderr)
    else { throw ToolchainError("cannot create output files in \(stdout)") }
    defer {
      try? out.close()
      try? err.close()
    }
    let process = Process()
    if let prlimit = Toolchain.which("prlimit") {
      process.executableURL = URL(fileURLWithPath: prlimit)
      process.arguments = ["--fsize=\(outputLimitBytes)", "--", executable] + arguments
    } else {
      process.executableURL = URL(fileURLWithPath: executable)
      process.arguments = arguments
    }
    process.environment = environment
    process.currentDirectoryURL = URL(fileURLWithPath: workingDirectory)
    process.standardOutput = out
    process.standardError = err
    process.standardInput = FileHandle.nullDevice

    let finished = DispatchSemaphore(value: 0)
    process.terminationHandler = { _ in finished.signal() }
    let start = Date()
    try process.run()
    var timedOut = false
    if finished.wait(timeout: .now() + timeout) == .timedOut {
      timedOut = true
      kill(process.processIdentifier, SIGKILL)
      finished.wait()
    }
    let seconds = Date().timeIntervalSince(start)
    if timedOut { return Outcome(termination: .timedOut, seconds: seconds) }
    switch process.terminationReason {
    case .uncaughtSignal:
      return Outcome(termination: .signaled(process.terminationStatus), seconds: seconds)
    default:
      return Outcome(termination: .exited(process.terminationStatus), seconds: seconds)
    }
  }
}
