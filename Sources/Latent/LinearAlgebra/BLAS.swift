internal import CBLAS
import Foundation

/// Process-wide settings of the OpenBLAS/LAPACKE back end.
///
/// OpenBLAS is told its thread count exactly once, lazily, before the first
/// BLAS or LAPACK call that `Latent` makes. The count is `LATENT_THREADS` from
/// the environment when it parses as a positive integer, otherwise 2 (the size
/// of the course's machines). Call ``configure(threads:)`` to override it.
///
/// The CPU kernel is chosen by OpenBLAS itself when the library is loaded, so
/// `OPENBLAS_CORETYPE` (for example `SkylakeX`) must already be set in the
/// environment when the process starts; the notebook engine and the Makefile
/// do that. Setting it from Swift would be too late.
public enum BLAS {
  /// The thread count used when neither ``configure(threads:)`` nor
  /// `LATENT_THREADS` says otherwise.
  public static let defaultThreadCount = 2

  /// Sets the number of OpenBLAS threads now (and marks the lazy setup done).
  ///
  /// - Parameter threads: a positive count; `nil` re-reads `LATENT_THREADS`.
  public static func configure(threads: Int? = nil) {
    // The lazy setup first: run after, it would reset the count to the environment's.
    ensureConfigured()
    openblas_set_num_threads(Int32(max(1, threads ?? environmentThreadCount())))
  }

  /// The number of threads OpenBLAS will use for the next call.
  public static var threadCount: Int {
    ensureConfigured()
    return Int(openblas_get_num_threads())
  }

  /// OpenBLAS's build description, e.g. `"OpenBLAS 0.3.21 DYNAMIC_ARCH ... SkylakeX MAX_THREADS=64"`.
  public static var configuration: String {
    ensureConfigured()
    guard let c = openblas_get_config() else { return "OpenBLAS" }
    return String(cString: c)
  }

  /// Runs the once-only setup; every BLAS/LAPACK entry point of `Latent` calls this.
  @inline(__always)
  static func ensureConfigured() { _ = lazySetup }

  static func environmentThreadCount() -> Int {
    if let s = ProcessInfo.processInfo.environment["LATENT_THREADS"],
      let n = Int(s.trimmingCharacters(in: .whitespaces)), n > 0
    {
      return n
    }
    return defaultThreadCount
  }
}

/// Swift initializes globals lazily and exactly once (thread-safe).
private let lazySetup: Void = {
  openblas_set_num_threads(Int32(BLAS.environmentThreadCount()))
}()

/// C ← α op(A) op(B) + β C on raw row-major storage with leading dimensions equal to the
/// column counts: the one place `Latent` calls `cblas_sgemm` (``FloatMatrix`` products and the
/// neural-network kernels).
@inline(__always)
func sgemm(
  transposeA: Bool, transposeB: Bool, m: Int, n: Int, k: Int, alpha: Float = 1,
  _ a: UnsafePointer<Float>, lda: Int, _ b: UnsafePointer<Float>, ldb: Int,
  beta: Float = 0, _ c: UnsafeMutablePointer<Float>, ldc: Int
) {
  if m == 0 || n == 0 { return }
  BLAS.ensureConfigured()
  cblas_sgemm(
    CblasRowMajor, transposeA ? CblasTrans : CblasNoTrans, transposeB ? CblasTrans : CblasNoTrans,
    Int32(m), Int32(n), Int32(k), alpha, a, Int32(lda), b, Int32(ldb), beta, c, Int32(ldc))
}
