internal import CBLAS
import Dispatch

/// Data-parallel execution for the training step: each `sgemm` is cut into `parts` blocks of
/// rows (or columns) of C that run on Dispatch's thread pool, each a single-threaded OpenBLAS
/// call, and elementwise passes are cut the same way.
///
/// OpenBLAS's own threading spins while waiting for its helper thread; on a busy machine the
/// helper is often descheduled and a 2-thread `sgemm` of these small shapes runs slower than
/// one thread. Splitting the work ourselves costs one Dispatch hand-off per product and
/// degrades gracefully: a block whose thread is late just runs later.
struct Parallelism {
  /// Number of blocks (1: everything on the calling thread, OpenBLAS threading as configured).
  let parts: Int

  static let serial = Parallelism(parts: 1)

  /// The smallest product, in multiply-adds, that `sgemm` splits over threads.
  static let splitThreshold = 1 << 22

  /// Runs `body(part)` for part in 0..<parts, concurrently when parts > 1.
  @inline(__always)
  func run(_ body: (Int) -> Void) {
    if parts == 1 { body(0) } else { DispatchQueue.concurrentPerform(iterations: parts, execute: body) }
  }

  /// The `part`-th of `parts` near-equal pieces of 0..<n, aligned to multiples of 16.
  @inline(__always)
  func range(_ part: Int, of n: Int) -> Range<Int> {
    let chunk = ((n + parts - 1) / parts + 15) / 16 * 16
    let lo = Swift.min(part * chunk, n), hi = Swift.min(lo + chunk, n)
    return lo..<hi
  }

  /// C ← α op(A) op(B) + β C, blocked over the larger of C's dimensions when it has at least
  /// `splitThreshold` multiply-adds (those of a 784-400 layer on a minibatch of 128); below it
  /// a hand-off to another thread costs more than it saves (the 400-40 products of a VAE).
  func sgemm(
    transposeA ta: Bool, transposeB tb: Bool, m: Int, n: Int, k: Int, alpha: Float = 1,
    _ a: UnsafePointer<Float>, lda: Int, _ b: UnsafePointer<Float>, ldb: Int,
    beta: Float = 0, _ c: UnsafeMutablePointer<Float>, ldc: Int
  ) {
    if parts == 1 || m * n * k < Self.splitThreshold {
      Latent.sgemm(
        transposeA: ta, transposeB: tb, m: m, n: n, k: k, alpha: alpha, a, lda: lda, b, ldb: ldb,
        beta: beta, c, ldc: ldc)
      return
    }
    if m >= n {
      run { p in
        let r = range(p, of: m)
        if r.isEmpty { return }
        Latent.sgemm(
          transposeA: ta, transposeB: tb, m: r.count, n: n, k: k, alpha: alpha,
          ta ? a + r.lowerBound : a + r.lowerBound * lda, lda: lda, b, ldb: ldb,
          beta: beta, c + r.lowerBound * ldc, ldc: ldc)
      }
    } else {
      run { p in
        let r = range(p, of: n)
        if r.isEmpty { return }
        Latent.sgemm(
          transposeA: ta, transposeB: tb, m: m, n: r.count, k: k, alpha: alpha, a, lda: lda,
          tb ? b + r.lowerBound * ldb : b + r.lowerBound, ldb: ldb,
          beta: beta, c + r.lowerBound, ldc: ldc)
      }
    }
  }
}

extension BLAS {
  /// Runs `body` with OpenBLAS limited to one thread, restoring the configured count after.
  /// OpenBLAS's thread count is one setting for the process: callers on several threads at once
  /// share one limit, counted on one serial queue, and the last to leave restores the count the first
  /// found (a save and restore per caller could interleave and leave the wrong one).
  static func singleThreaded<T>(_ body: () throws -> T) rethrows -> T {
    ensureConfigured()
    SingleThreadedSpan.shared.enter()
    defer { SingleThreadedSpan.shared.leave() }
    return try body()
  }
}

/// The callers inside `BLAS.singleThreaded` at this moment, and the thread count to restore.
private final class SingleThreadedSpan: @unchecked Sendable {
  static let shared = SingleThreadedSpan()
  private let queue = DispatchQueue(label: "latent.blas.single-threaded")
  private var callers = 0
  private var saved: Int32 = 1

  func enter() {
    queue.sync {
      if callers == 0 {
        saved = openblas_get_num_threads()
        if saved != 1 { openblas_set_num_threads(1) }
      }
      callers += 1
    }
  }

  func leave() {
    queue.sync {
      callers -= 1
      if callers == 0, saved != 1 { openblas_set_num_threads(saved) }
    }
  }
}
