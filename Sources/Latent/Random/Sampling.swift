import Foundation

// Samplers built on SeededGenerator.next() with fixed, documented algorithms,
// so that every platform produces the same numbers for the same seed.

extension SeededGenerator {
  /// U ~ Uniform[0, 1): the top 53 bits of ``next()`` times 2⁻⁵³ (exact, every
  /// multiple of 2⁻⁵³ equally likely).
  @inline(__always)
  public mutating func uniform() -> Double { Double(next() >> 11) * 0x1p-53 }

  /// U ~ Uniform[a, b): a + (b − a)·``uniform()``.
  public mutating func uniform(in range: Range<Double>) -> Double {
    range.lowerBound + (range.upperBound - range.lowerBound) * uniform()
  }

  /// An integer uniform on 0..<n without modulo bias (Lemire's multiply-and-reject).
  public mutating func integer(below n: Int) -> Int {
    require(n > 0, "integer(below:): n must be positive, got \(n)")
    let bound = UInt64(n)
    var m = next().multipliedFullWidth(by: bound)
    if m.low < bound {
      let threshold = (0 &- bound) % bound
      while m.low < threshold { m = next().multipliedFullWidth(by: bound) }
    }
    return Int(m.high)
  }

  /// Z ~ 𝒩(0, 1) by Marsaglia's polar method.
  ///
  /// Draws (u, v) uniform on the square [−1, 1)² until 0 < s = u² + v² < 1, then
  /// returns u·√(−2 ln s / s) and keeps v·√(−2 ln s / s) for the next call.
  /// Exact (no approximation of the normal CDF); uses only `sqrt` (correctly
  /// rounded everywhere) and `log`.
  public mutating func normal() -> Double {
    if let z = spareNormal { spareNormal = nil; return z }
    while true {
      let u = 2 * uniform() - 1, v = 2 * uniform() - 1
      let s = u * u + v * v
      if s > 0 && s < 1 {
        let f = (-2 * Foundation.log(s) / s).squareRoot()
        spareNormal = v * f
        return u * f
      }
    }
  }

  /// X ~ 𝒩(μ, σ²) as μ + σZ.
  public mutating func normal(mean: Double, standardDeviation: Double) -> Double {
    mean + standardDeviation * normal()
  }

  /// A vector of n independent 𝒩(0, 1) draws.
  public mutating func normalVector(_ n: Int) -> Vector { Vector((0..<n).map { _ in normal() }) }

  /// An m×n matrix of independent 𝒩(0, 1) draws (row by row).
  public mutating func normalMatrix(rows: Int, cols: Int) -> Matrix {
    var s = [Double](); s.reserveCapacity(rows * cols)
    for _ in 0..<(rows * cols) { s.append(normal()) }
    return Matrix(rows: rows, cols: cols, scalars: s)
  }

  /// An m×n Float matrix of independent 𝒩(0, σ²) draws (e.g. ε in the
  /// reparameterisation trick, or weight initialisation).
  public mutating func normalFloatMatrix(rows: Int, cols: Int, standardDeviation: Float = 1) -> FloatMatrix {
    let count = rows * cols
    let s = [Float](unsafeUninitializedCapacity: count) { buffer, initialized in
      for k in 0..<count { (buffer.baseAddress! + k).initialize(to: standardDeviation * Float(normal())) }
      initialized = count
    }
    return FloatMatrix(rows: rows, cols: cols, scalars: s)
  }

  /// X ~ Gamma(shape α, rate β), density βᵅxᵅ⁻¹e^(−βx)/Γ(α), mean α/β.
  ///
  /// Marsaglia & Tsang (2000): for α ≥ 1 with d = α − 1/3, c = 1/√(9d), accept
  /// X = d(1 + cZ)³ when ln U < Z²/2 + d − dV + d ln V. For α < 1 uses
  /// Gamma(α + 1)·U^(1/α).
  public mutating func gamma(shape alpha: Double, rate beta: Double = 1) -> Double {
    require(alpha > 0 && beta > 0, "gamma: shape and rate must be positive, got \(alpha) and \(beta)")
    if alpha < 1 {
      let g = gamma(shape: alpha + 1, rate: 1)
      let u = uniform()
      return g * Foundation.pow(u, 1 / alpha) / beta
    }
    let d = alpha - 1.0 / 3.0, c = 1 / (9 * d).squareRoot()
    while true {
      var z = 0.0, v = 0.0
      repeat { z = normal(); v = 1 + c * z } while v <= 0
      v = v * v * v
      let u = uniform()
      if u < 1 - 0.0331 * z * z * z * z { return d * v / beta }
      if u > 0, Foundation.log(u) < 0.5 * z * z + d * (1 - v + Foundation.log(v)) { return d * v / beta }
    }
  }

  /// B ~ Bernoulli(p): true with probability p (U < p).
  public mutating func bernoulli(_ p: Double) -> Bool { uniform() < p }

  /// An index k with probability pₖ / Σⱼ pⱼ (inverse CDF; weights need not be normalised).
  public mutating func categorical(_ weights: [Double]) -> Int {
    require(!weights.isEmpty, "categorical: no categories")
    let total = weights.reduce(0, +)
    require(total > 0 && weights.allSatisfy { $0 >= 0 }, "categorical: weights must be non-negative with positive sum")
    let u = uniform() * total
    var acc = 0.0
    for (k, w) in weights.enumerated() {
      acc += w
      if u < acc { return k }
    }
    return weights.lastIndex { $0 > 0 }!
  }

  /// Shuffles in place by Fisher–Yates (i from n−1 down to 1, swap with
  /// ``integer(below:)`` of i + 1).
  public mutating func shuffle<C: MutableCollection & RandomAccessCollection>(_ c: inout C) where C.Index == Int {
    var i = c.count - 1
    while i > 0 {
      let j = integer(below: i + 1)
      c.swapAt(c.startIndex + i, c.startIndex + j)
      i -= 1
    }
  }

  /// A shuffled copy.
  public mutating func shuffled<T>(_ a: [T]) -> [T] { var b = a; shuffle(&b); return b }

  /// A uniformly random permutation of 0..<n.
  public mutating func permutation(_ n: Int) -> [Int] { shuffled(Array(0..<n)) }

  /// One epoch of minibatches: a random permutation of 0..<n cut into
  /// consecutive batches of `batchSize` (the last one smaller unless `dropLast`).
  public mutating func minibatches(count n: Int, batchSize: Int, dropLast: Bool = false) -> [[Int]] {
    require(batchSize > 0, "minibatches: batch size must be positive, got \(batchSize)")
    let p = permutation(n)
    return stride(from: 0, to: n, by: batchSize).compactMap { start in
      let end = Swift.min(start + batchSize, n)
      return dropLast && end - start < batchSize ? nil : Array(p[start..<end])
    }
  }
}
