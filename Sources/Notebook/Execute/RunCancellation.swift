import Foundation

/// Stops a chapter's run from outside, at once: the live preview cancels a run whose chapter
/// was saved again, instead of waiting for a stale program to reach its timeout.
///
/// Cancelling kills the process group running now and every one started afterwards; a
/// cancelled run's result is never cached.
public final class RunCancellation: @unchecked Sendable {
  private let lock = NSLock()
  private var cancelled = false
  private var groups: Set<pid_t> = []

  public init() {}

  public var isCancelled: Bool {
    lock.lock()
    defer { lock.unlock() }
    return cancelled
  }

  public func cancel() {
    // Under the lock: a group is detached before its leader is reaped, so every group killed
    // here still owns its number.
    lock.lock()
    defer { lock.unlock() }
    cancelled = true
    for group in groups { kill(-group, SIGKILL) }
  }

  func attach(_ group: pid_t) {
    lock.lock()
    defer { lock.unlock() }
    groups.insert(group)
    if cancelled { kill(-group, SIGKILL) }
  }

  func detach(_ group: pid_t) {
    lock.lock()
    groups.remove(group)
    lock.unlock()
  }
}
