import Foundation

/// How [0, 1]-valued data meet a Bernoulli likelihood.
///
/// A product of Bernoulli probabilities is a normalised density over *binary* images only: for
/// grey levels, Σᵢ [xᵢ log pᵢ + (1 − xᵢ) log(1 − pᵢ)] is a cross-entropy, not the logarithm of
/// a probability, and a "bound" on it bounds nothing. Binarizing makes every pixel a bit.
public enum Binarization: Sendable, Hashable, Codable {
  /// The data as they are.
  case none
  /// Dynamic binarization (as in Burda, Grosse & Salakhutdinov 2016): every time an image is
  /// used, each pixel is drawn afresh as Bernoulli(intensity) from the trainer's generator.
  case dynamic
}

extension FloatMatrix {
  /// Each entry x ∈ [0, 1] replaced by a draw from Bernoulli(x): 1 when U < x, else 0, with one
  /// U = `rng.uniform()` per entry in row-major order. Entries 0 and 1 stay as they are.
  /// Use it once on a test set (a fixed binarization); training uses ``Binarization/dynamic``.
  public func binarized(using rng: inout SeededGenerator) -> FloatMatrix {
    var out = FloatMatrix(rows: rows, cols: cols)
    let n = count
    let inRange = scalars.withUnsafeBufferPointer { src in
      out.scalars.withUnsafeMutableBufferPointer { dst in
        BinarizationKernel.sample(src.baseAddress!, into: dst.baseAddress!, count: n, using: &rng)
      }
    }
    require(inRange, "binarized: every entry must lie in [0, 1] (got one outside, or NaN)")
    return out
  }
}

enum BinarizationKernel {
  /// dst[i] = 1 if U < src[i] else 0, with U = rng.uniform() drawn for every i in order.
  /// Returns false when some src[i] lies outside [0, 1] or is NaN (dst is filled regardless).
  @inline(__always)
  static func sample(
    _ src: UnsafePointer<Float>, into dst: UnsafeMutablePointer<Float>, count n: Int,
    using rng: inout SeededGenerator
  ) -> Bool {
    var inRange = true
    for i in 0..<n {
      let p = src[i]
      if !(p >= 0 && p <= 1) { inRange = false }
      dst[i] = rng.uniform() < Double(p) ? 1 : 0
    }
    return inRange
  }
}
