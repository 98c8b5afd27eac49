import Foundation

/// Shrinks a failing input while it still fails the same way, by cutting out ever smaller pieces
/// (as delta debugging does), within a time budget.
struct Minimizer {
  let worker: WorkerProcess
  /// Seconds to spend.
  let budget: Double

  func shrink(_ bytes: [UInt8], keeping outcome: WorkerProcess.Outcome) -> [UInt8] {
    let started = Date()
    func sameFailure(_ candidate: [UInt8]) -> Bool {
      switch (worker.probe(candidate).outcome, outcome) {
      case (.wrong, .wrong), (.crashed, .crashed), (.timedOut, .timedOut): return true
      default: return false
      }
    }
    var best = bytes
    var chunk = max(best.count / 2, 1)
    while chunk >= 1, Date().timeIntervalSince(started) < budget {
      var start = 0
      var cut = false
      while start < best.count, Date().timeIntervalSince(started) < budget {
        let candidate = Array(best[..<start] + best[min(start + chunk, best.count)...])
        if sameFailure(candidate) {
          best = candidate
          cut = true
        } else {
          start += chunk
        }
      }
      if !cut || chunk == 1 { chunk /= 2 }
    }
    return best
  }
}
