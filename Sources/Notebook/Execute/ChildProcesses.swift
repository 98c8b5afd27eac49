import Foundation

/// Every process group the engine has started and not yet reaped (compilers, chapter programs),
/// so that nothing outlives `notebook`: SIGINT, SIGTERM, SIGHUP, SIGQUIT and SIGPIPE (a reader
/// that went away, as in `notebook check | head`) to `notebook`, and its exit, end them all. A
/// `notebook` killed outright (SIGKILL) cannot; its programs then end at their CPU-time cap
/// (`ProcessRunner`).
///
/// Each child runs in a process group of its own, so that a timeout or a cancellation ends the
/// compiler's helpers too (`kill(-group, SIGKILL)`); a terminal's Ctrl-C reaches only
/// `notebook`'s own group, which is why the signal is passed on from here. The groups sit in a
/// fixed table that the signal handler reads without locks or allocation.
public enum ChildProcesses {
  /// Children running at once (chapters × compiler and program) stay far below this.
  static let capacity = 1024
  private static let lock = NSLock()
  private nonisolated(unsafe) static var installed = false

  static func register(_ group: pid_t) {
    let table = childGroupTable
    lock.lock()
    defer { lock.unlock() }
    if let free = (0..<capacity).first(where: { table[$0] == 0 }) { table[free] = group }
  }

  static func unregister(_ group: pid_t) {
    let table = childGroupTable
    lock.lock()
    defer { lock.unlock() }
    if let slot = (0..<capacity).first(where: { table[$0] == group }) { table[slot] = 0 }
  }

  /// Kills every process group still running.
  public static func killAll() {
    killRegisteredGroups()
  }

  /// Makes SIGINT, SIGTERM, SIGHUP, SIGQUIT and SIGPIPE end every child before `notebook` itself ends by the same
  /// signal, and makes a normal exit end them too. Call once, early in `main`.
  public static func endChildrenOnTermination() {
    lock.lock()
    defer { lock.unlock() }
    guard !installed else { return }
    installed = true
    _ = childGroupTable  // initialized before any handler can read it
    atexit { killRegisteredGroups() }
    for signalNumber in [SIGINT, SIGTERM, SIGHUP, SIGQUIT, SIGPIPE] {
      // An ignored signal stays ignored (e.g. SIGINT in a background job of a script).
      var previous = sigaction()
      sigaction(signalNumber, nil, &previous)
      if unsafeBitCast(previous.__sigaction_handler.sa_handler, to: Int.self) == 1 { continue }  // SIG_IGN
      var action = sigaction()
      action.__sigaction_handler.sa_handler = endChildrenThenDie
      sigemptyset(&action.sa_mask)
      action.sa_flags = Int32(bitPattern: SA_RESETHAND)
      sigaction(signalNumber, &action, nil)
    }
  }
}

/// The process groups of running children; 0 marks a free slot.
private let childGroupTable: UnsafeMutablePointer<pid_t> = {
  let table = UnsafeMutablePointer<pid_t>.allocate(capacity: ChildProcesses.capacity)
  table.initialize(repeating: 0, count: ChildProcesses.capacity)
  return table
}()

/// Async-signal-safe: reads the table and calls `kill`, nothing else.
private func killRegisteredGroups() {
  let table = childGroupTable
  for slot in 0..<ChildProcesses.capacity where table[slot] > 0 {
    kill(-table[slot], SIGKILL)
  }
}

/// The signal handler: ends every child, then lets the signal end `notebook` as it would have
/// (`SA_RESETHAND` restored the default action; the signal is delivered when the handler returns).
private func endChildrenThenDie(_ signalNumber: Int32) {
  killRegisteredGroups()
  raise(signalNumber)
}
