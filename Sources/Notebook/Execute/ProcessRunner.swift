import CSpawn
import Foundation

/// Runs a program with its output in files, a wall-clock limit, and a cap on output size.
///
/// The child starts clean, whatever thread starts it: no blocked signals and every signal at its
/// default action (a thread of Dispatch blocks most signals, and a blocked SIGXFSZ would let a
/// program run on past the output cap), in a process group of its own that a timeout, a
/// cancellation or the end of `notebook` kills whole (`ChildProcesses`). It inherits no file
/// descriptor but its standard input (/dev/null), output and error.
struct ProcessRunner {
  struct Outcome {
    enum Termination: Equatable {
      case exited(Int32)
      case signaled(Int32)
      case timedOut
      /// Stopped by `RunCancellation.cancel()` (a newer save in the live preview).
      case cancelled
    }
    var termination: Termination
    var seconds: Double
  }

  /// Largest file the program may write (stdout included) before SIGXFSZ stops it.
  static let outputLimitBytes = 256 << 20

  /// Runs `executable` with stdout and stderr sent to the given files.
  static func run(
    _ executable: String, arguments: [String] = [], environment: [String: String],
    workingDirectory: String, stdout: String, stderr: String, timeout: Double,
    cancellation: RunCancellation? = nil
  ) throws -> Outcome {
    var command = [executable] + arguments
    if let prlimit = Toolchain.which("prlimit") {
      // A CPU-time cap it cannot reach before the wall-clock timeout (all cores busy), so that
      // a program orphaned by a `notebook` killed outright (SIGKILL) still ends.
      let cpuSeconds = Int(timeout.rounded(.up)) * ProcessInfo.processInfo.activeProcessorCount + 60
      command = [prlimit, "--fsize=\(outputLimitBytes)", "--cpu=\(cpuSeconds)", "--"] + command
    }
    let start = Date()
    let pid = try spawn(
      command, environment: environment, workingDirectory: workingDirectory, stdout: stdout, stderr: stderr)
    ChildProcesses.register(pid)
    cancellation?.attach(pid)

    // Wait without reaping: while the child is a zombie its pid, and so its process group's
    // number, cannot be reused, so killing the group below can never hit a stranger's.
    let exited = DispatchSemaphore(value: 0)
    Thread.detachNewThread {
      var info = siginfo_t()
      while waitid(P_PID, id_t(pid), &info, WEXITED | WNOWAIT) < 0 && errno == EINTR {}
      exited.signal()
    }
    var timedOut = false
    if exited.wait(timeout: .now() + timeout) == .timedOut {
      timedOut = true
      kill(-pid, SIGKILL)
      exited.wait()
    }
    // Whatever the program left behind in its group (a compiler's helpers) goes with it.
    kill(-pid, SIGKILL)
    cancellation?.detach(pid)
    ChildProcesses.unregister(pid)
    var raw: Int32 = 0
    while waitpid(pid, &raw, 0) < 0 && errno == EINTR {}
    let seconds = Date().timeIntervalSince(start)
    if cancellation?.isCancelled == true { return Outcome(termination: .cancelled, seconds: seconds) }
    if timedOut { return Outcome(termination: .timedOut, seconds: seconds) }
    let signalNumber = raw & 0x7F
    if signalNumber == 0 { return Outcome(termination: .exited((raw >> 8) & 0xFF), seconds: seconds) }
    return Outcome(termination: .signaled(signalNumber), seconds: seconds)
  }

  /// `posix_spawn` with a clean signal state, a new process group, and only descriptors 0–2.
  private static func spawn(
    _ command: [String], environment: [String: String], workingDirectory: String, stdout: String, stderr: String
  ) throws -> pid_t {
    var actions = posix_spawn_file_actions_t()
    posix_spawn_file_actions_init(&actions)
    defer { posix_spawn_file_actions_destroy(&actions) }
    posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0)
    posix_spawn_file_actions_addopen(&actions, 1, stdout, O_WRONLY | O_CREAT | O_TRUNC, 0o644)
    posix_spawn_file_actions_addopen(&actions, 2, stderr, O_WRONLY | O_CREAT | O_TRUNC, 0o644)
    posix_spawn_file_actions_addclosefrom_np(&actions, 3)
    posix_spawn_file_actions_addchdir_np(&actions, workingDirectory)

    var attributes = posix_spawnattr_t()
    posix_spawnattr_init(&attributes)
    defer { posix_spawnattr_destroy(&attributes) }
    var noSignals = sigset_t()
    sigemptyset(&noSignals)
    var allSignals = sigset_t()
    sigfillset(&allSignals)
    posix_spawnattr_setsigmask(&attributes, &noSignals)
    posix_spawnattr_setsigdefault(&attributes, &allSignals)
    posix_spawnattr_setpgroup(&attributes, 0)
    posix_spawnattr_setflags(
      &attributes, Int16(POSIX_SPAWN_SETSIGMASK | POSIX_SPAWN_SETSIGDEF | POSIX_SPAWN_SETPGROUP))

    let arguments = command.map { strdup($0) } + [nil]
    let variables = environment.map { strdup("\($0.key)=\($0.value)") } + [nil]
    defer {
      arguments.forEach { free($0) }
      variables.forEach { free($0) }
    }
    var pid: pid_t = 0
    let error = posix_spawn(&pid, command[0], &actions, &attributes, arguments, variables)
    guard error == 0 else {
      throw ToolchainError("cannot start \(command[0]): \(String(cString: strerror(error)))")
    }
    return pid
  }
}
