/// Why a linear-algebra operation could not be carried out.
///
/// The `description` is the message students see, so it always names the
/// shapes involved, e.g. `matrix product: 3x2 * 3x2: inner dimensions 2 and 3 differ`.
public enum LinearAlgebraError: Error, CustomStringConvertible, Equatable {
  /// Operand shapes are incompatible. `message` names both shapes.
  case dimensionMismatch(String)
  /// Cholesky factorization failed: the leading minor of order `minor` is not
  /// positive (so the matrix is not positive definite).
  case notPositiveDefinite(order: Int, minor: Int)
  /// An exactly singular matrix (zero pivot at `pivot`, 1-based as in LAPACK).
  case singular(order: Int, pivot: Int)
  /// The matrix must be square.
  case notSquare(rows: Int, cols: Int, operation: String)
  /// An iterative LAPACK routine did not converge (`info` > 0).
  case noConvergence(routine: String, info: Int)
  /// The input contains NaN or ±∞.
  case notFinite(operation: String, rows: Int, cols: Int)
  /// LAPACK reported an illegal argument (`info` < 0): a bug in `Latent`.
  case lapack(routine: String, info: Int)

  public var description: String {
    switch self {
    case .dimensionMismatch(let m): return m
    case .notPositiveDefinite(let n, let k):
      return "cholesky: \(n)x\(n) matrix is not positive definite (leading minor of order \(k) is not positive)"
    case .singular(let n, let p):
      return "\(n)x\(n) matrix is singular (zero pivot in column \(p))"
    case .notSquare(let r, let c, let op):
      return "\(op): needs a square matrix, got \(r)x\(c)"
    case .noConvergence(let r, let info):
      return "\(r): did not converge (info = \(info))"
    case .notFinite(let op, let r, let c):
      return "\(op): \(r)x\(c) matrix contains NaN or infinite entries"
    case .lapack(let r, let info):
      return "\(r): illegal argument \(-info) (info = \(info))"
    }
  }
}

/// Traps with the error's readable message; the operator spellings (`A * B`)
/// use this, the `throws` spellings (`try A.multiplied(by: B)`) do not.
/// Uses `fatalError`, not `preconditionFailure`, because the library is built
/// with `-O`, where precondition messages are dropped.
@inline(never)
func fail(_ error: Error, file: StaticString = #file, line: UInt = #line) -> Never {
  fatalError("\(error)", file: file, line: line)
}

/// Checks an argument; on failure stops with `message` even in optimised builds
/// (unlike `precondition`, whose message `-O` drops).
@usableFromInline @inline(__always)
func require(
  _ condition: @autoclosure () -> Bool, _ message: @autoclosure () -> String,
  file: StaticString = #file, line: UInt = #line
) {
  if !condition() { requireFailed(message(), file: file, line: line) }
}

@usableFromInline @inline(never)
func requireFailed(_ message: String, file: StaticString, line: UInt) -> Never {
  fatalError(message, file: file, line: line)
}
