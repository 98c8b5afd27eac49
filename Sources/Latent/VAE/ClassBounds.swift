import Foundation

/// The bound ELBO(x | y) of a ``ConditionalVAE`` for every image x and every class y (an n × C
/// matrix), and what follows from it without the label.
///
/// With a uniform p(y) = 1/C, the label-free bound is
///
///     log p(x) = log Σ_y p(y) p(x | y) ≥ log (1/C) Σ_y exp ELBO(x | y),
///
/// the ELBO of the joint posterior q(y | x) q(z | x, y) at its best q(y | x) ∝ exp ELBO(x | y)
/// (``labelPosterior``). The gain of knowing the label, ELBO(x | y) − (label-free bound), is
/// log q(y | x) + log C ≤ log C, and its average over labelled data is Barber and Agakov's
/// lower bound H(y) + E log q(y | x) on the information I(x; y) ≤ H(y).
public struct ClassBounds: Sendable, Hashable, Codable {
  /// ELBO(x | y), one row per image and one column per class, in nats.
  public let values: Matrix

  /// The bounds as computed (n × C).
  public init(values: Matrix) { self.values = values }

  /// C, the number of classes.
  public var classCount: Int { values.cols }

  /// log (1/C) Σ_y exp ELBO(x | y) for each image (by log-sum-exp, no term overflows).
  public var labelFree: [Double] {
    (0..<values.rows).map { i in
      let row = values.row(i).scalars
      let top = row.max() ?? -.infinity
      return top + Foundation.log(row.map { Foundation.exp($0 - top) }.reduce(0, +)) - Foundation.log(Double(row.count))
    }
  }

  /// q(y | x) ∝ exp ELBO(x | y): the classifier the model implies, one row per image.
  public var labelPosterior: Matrix {
    let free = labelFree, c = Double(classCount)
    return Matrix(rows: values.rows, cols: values.cols) { i, j in
      Foundation.exp(values[i, j] - free[i] - Foundation.log(c))
    }
  }

  /// The most probable class of each image under ``labelPosterior`` (the largest bound).
  public var predictedLabels: [Int] {
    (0..<values.rows).map { i in (0..<values.cols).max { values[i, $0] < values[i, $1] }! }
  }

  /// ELBO(x | y) − (label-free bound) for each image with its label: log q(y | x) + log C.
  ///
  /// - Throws: ``ModelError/invalidArgument(model:message:)`` for a label count other than the
  ///   number of rows or a label outside 0..<C.
  public func gain(labels: [Int]) throws -> [Double] {
    guard labels.count == values.rows, labels.allSatisfy({ $0 >= 0 && $0 < classCount }) else {
      throw ModelError.invalidArgument(
        model: "ClassBounds",
        message: "\(labels.count) labels in 0..<\(classCount) needed for \(values.rows)x\(classCount) bounds")
    }
    let free = labelFree
    return labels.enumerated().map { i, y in values[i, y] - free[i] }
  }
}

extension ConditionalVAE {
  /// ELBO(x | y) for every row of x and every class y, each the mean of `samples` SGVB
  /// estimates; the classes share the noise ε (common random numbers, so their differences
  /// are not blurred by independent draws). Evaluated in chunks of `batchSize` images.
  ///
  /// - Throws: ``ModelError/invalidArgument(model:message:)`` for data of the wrong width or
  ///   fewer than one sample.
  public func classBounds(_ x: FloatMatrix, samples: Int = 1, using rng: inout SeededGenerator, batchSize: Int = 200)
    throws -> ClassBounds
  {
    guard x.cols == inputDimension, samples >= 1 else {
      throw ModelError.invalidArgument(
        model: "ConditionalVAE",
        message: "classBounds: data \(x.shapeDescription) for a \(inputDimension)-dimensional model, \(samples) samples"
      )
    }
    let c = classCount, k = latentDimension, step = Swift.max(batchSize, 1)
    var out = Matrix(rows: x.rows, cols: c)
    for start in stride(from: 0, to: x.rows, by: step) {
      let end = Swift.min(start + step, x.rows), m = end - start
      // Image i under class y is row i·C + y.
      let repeated = x.rows(at: (start..<end).flatMap { [Int](repeating: $0, count: c) })
      let labels = (0..<m).flatMap { _ in Array(0..<c) }
      for _ in 0..<samples {
        let epsilon = rng.normalFloatMatrix(rows: m, cols: k)
        let shared = epsilon.rows(at: (0..<m).flatMap { [Int](repeating: $0, count: c) })
        let bound = try elbo(repeated, labels: labels, noise: shared).perExample
        for i in 0..<m {
          for y in 0..<c { out[start + i, y] += bound[i * c + y] / Double(samples) }
        }
      }
    }
    return ClassBounds(values: out)
  }
}
