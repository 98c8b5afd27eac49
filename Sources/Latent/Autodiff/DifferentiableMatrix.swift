/// A dense row-major matrix a ``Tape`` can record: ``FloatMatrix`` and ``Matrix``.
public protocol DifferentiableMatrix: Sendable {
  associatedtype Scalar: DifferentiableScalar
  /// Number of rows.
  var rows: Int { get }
  /// Number of columns.
  var cols: Int { get }
  /// Entries in row-major order.
  var scalars: [Scalar] { get set }
  /// An m×n matrix from row-major entries.
  init(rows: Int, cols: Int, scalars: [Scalar])
  /// An m×n matrix filled with `value`.
  init(rows: Int, cols: Int, repeating value: Scalar)
}

extension FloatMatrix: DifferentiableMatrix {}
extension Matrix: DifferentiableMatrix {}

extension DifferentiableMatrix {
  /// "m x n", for error messages.
  var shapeText: String { "\(rows)x\(cols)" }
  /// The m×n zero matrix.
  static func zeros(_ rows: Int, _ cols: Int) -> Self { Self(rows: rows, cols: cols, repeating: 0) }

  /// An m×n matrix whose entries `initialize` writes, every one of them, into uninitialized
  /// storage: a result computed by a kernel, without a zeroing pass first. `initialize` is
  /// not called for an empty matrix.
  static func uninitialized(
    rows: Int, cols: Int, _ initialize: (UnsafeMutablePointer<Scalar>) -> Void
  ) -> Self {
    let count = rows * cols
    let scalars = [Scalar](unsafeUninitializedCapacity: count) { buffer, initialized in
      if count > 0, let base = buffer.baseAddress { initialize(base) }
      initialized = count
    }
    return Self(rows: rows, cols: cols, scalars: scalars)
  }
}

/// Why a tape operation could not be recorded or differentiated. The message names the
/// operation and the shapes involved.
public enum AutodiffError: Error, CustomStringConvertible, Equatable {
  /// Operands whose shapes the operation cannot combine.
  case shapeMismatch(operation: String, shapes: [String], expected: String)
  /// `gradients(of:)` of something that is not a 1×1 matrix.
  case notAScalar(rows: Int, cols: Int)
  /// The loss is NaN or infinite, so its gradient is meaningless.
  case nonFiniteLoss(value: Double)
  /// Variables from two different tapes in one operation.
  case differentTapes(operation: String)
  /// An argument out of range (a column range, an empty list).
  case invalidArgument(operation: String, message: String)

  public var description: String {
    switch self {
    case .shapeMismatch(let operation, let shapes, let expected):
      return "\(operation): operands \(shapes.joined(separator: " and ")) do not fit (\(expected))"
    case .notAScalar(let rows, let cols):
      return "gradients(of:): the loss must be a 1x1 matrix (sum or average it first), got \(rows)x\(cols)"
    case .nonFiniteLoss(let value):
      return "gradients(of:): the loss is \(value); check the learning rate and the inputs for NaN or infinity"
    case .differentTapes(let operation):
      return "\(operation): the variables were recorded on different tapes"
    case .invalidArgument(let operation, let message):
      return "\(operation): \(message)"
    }
  }
}
