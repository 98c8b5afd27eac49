import Foundation

/// Adam (Kingma & Ba 2015, Algorithm 1) with their defaults: α = 10⁻³, β₁ = 0.9,
/// β₂ = 0.999, ε = 10⁻⁸.
///
/// For each parameter θ with gradient g at step t = 1, 2, …:
///
///     m ← β₁ m + (1 − β₁) g          v ← β₂ v + (1 − β₂) g²
///     θ ← θ − α · (m / (1 − β₁ᵗ)) / (√(v / (1 − β₂ᵗ)) + ε)
///
/// The moments live in the optimizer, one pair per *slot* (a parameter array), allocated on
/// first use. Call ``nextStep()`` once per step, then ``update(_:gradient:slot:)`` for each
/// parameter array; the update is one fused, vectorised pass over θ, g, m and v.
/// The `[Double]` overload of `update(_:gradient:slot:)` does the same in double precision, for small
/// models trained on a `Tape<Matrix>`, with moments of its own (its slots are apart from the
/// Float ones).
public struct Adam: Sendable, Codable {
  /// α, the step size.
  public var learningRate: Float
  /// β₁, decay of the first-moment estimate.
  public var beta1: Float
  /// β₂, decay of the second-moment estimate.
  public var beta2: Float
  /// ε, added to √v̂ to avoid division by zero.
  public var epsilon: Float
  /// t, the number of steps begun.
  public private(set) var step = 0
  var firstMoments: [[Float]] = []
  var secondMoments: [[Float]] = []
  var doubleFirstMoments: [[Double]] = []
  var doubleSecondMoments: [[Double]] = []

  public init(learningRate: Float = 1e-3, beta1: Float = 0.9, beta2: Float = 0.999, epsilon: Float = 1e-8) {
    require(
      learningRate > 0 && beta1 >= 0 && beta1 < 1 && beta2 >= 0 && beta2 < 1 && epsilon >= 0,
      "Adam: needs α > 0, β₁, β₂ ∈ [0, 1), ε ≥ 0")
    self.learningRate = learningRate; self.beta1 = beta1; self.beta2 = beta2; self.epsilon = epsilon
  }

  /// Begins step t + 1.
  public mutating func nextStep() { step += 1 }

  /// The effective step size α/(1 − β₁ᵗ) and the factor 1/√(1 − β₂ᵗ) of the bias corrections.
  var corrections: (stepSize: Float, secondScale: Float) {
    let t = Double(Swift.max(step, 1))
    let c1 = 1 - Foundation.pow(Double(beta1), t), c2 = 1 - Foundation.pow(Double(beta2), t)
    return (Float(Double(learningRate) / c1), Float(1 / c2.squareRoot()))
  }

  /// One Adam update of `parameters` with `gradient`, using the moments of `slot`.
  public mutating func update(_ parameters: inout [Float], gradient: [Float], slot: Int) {
    require(
      parameters.count == gradient.count, "Adam.update: \(parameters.count) parameters, \(gradient.count) gradients")
    let n = parameters.count
    if n == 0 { return }
    gradient.withUnsafeBufferPointer { g in
      parameters.withUnsafeMutableBufferPointer { p in
        update(
          p.baseAddress!, gradient: g.baseAddress!, count: n, slot: slot,
          parallelism: n >= 1 << 16 ? Parallelism(parts: TapeKernels.threads) : .serial)
      }
    }
  }

  /// One Adam update of Double `parameters` (a ``Matrix``'s `scalars`, say) with `gradient`,
  /// using the Double moments of `slot`. The hyperparameters are the Float ones, widened; the
  /// arithmetic is Double throughout.
  public mutating func update(_ parameters: inout [Double], gradient: [Double], slot: Int) {
    require(
      parameters.count == gradient.count, "Adam.update: \(parameters.count) parameters, \(gradient.count) gradients")
    let n = parameters.count
    while doubleFirstMoments.count <= slot { doubleFirstMoments.append([]); doubleSecondMoments.append([]) }
    if doubleFirstMoments[slot].count != n {
      doubleFirstMoments[slot] = [Double](repeating: 0, count: n)
      doubleSecondMoments[slot] = [Double](repeating: 0, count: n)
    }
    let t = Double(Swift.max(step, 1))
    let (b1, b2, eps) = (Double(beta1), Double(beta2), Double(epsilon))
    let stepSize = Double(learningRate) / (1 - Foundation.pow(b1, t))
    let secondScale = 1 / (1 - Foundation.pow(b2, t)).squareRoot()
    for i in 0..<n {
      let g = gradient[i]
      let m = b1 * doubleFirstMoments[slot][i] + (1 - b1) * g
      let v = b2 * doubleSecondMoments[slot][i] + (1 - b2) * g * g
      doubleFirstMoments[slot][i] = m
      doubleSecondMoments[slot][i] = v
      parameters[i] -= stepSize * m / (v.squareRoot() * secondScale + eps)
    }
  }

  /// Updates a ``Dense`` layer's weight and bias (slots 2·`slot` and 2·`slot` + 1).
  public mutating func update(_ layer: inout Dense, gradient: Dense.Gradient, slot: Int) {
    update(&layer.weight.scalars, gradient: gradient.weight.scalars, slot: 2 * slot)
    update(&layer.bias, gradient: gradient.bias, slot: 2 * slot + 1)
  }

  /// The raw update over `count` contiguous parameters (used by the training workspaces).
  mutating func update(
    _ p: UnsafeMutablePointer<Float>, gradient g: UnsafePointer<Float>, count n: Int, slot: Int,
    parallelism: Parallelism = .serial
  ) {
    while firstMoments.count <= slot { firstMoments.append([]); secondMoments.append([]) }
    if firstMoments[slot].count != n {
      firstMoments[slot] = [Float](repeating: 0, count: n)
      secondMoments[slot] = [Float](repeating: 0, count: n)
    }
    let (stepSize, secondScale) = corrections
    let (b1, b2, eps) = (beta1, beta2, epsilon)
    firstMoments[slot].withUnsafeMutableBufferPointer { m in
      secondMoments[slot].withUnsafeMutableBufferPointer { v in
        let (pm, pv) = (m.baseAddress!, v.baseAddress!)
        parallelism.run { part in
          Adam.kernel(p, g, pm, pv, parallelism.range(part, of: n), b1, b2, eps, stepSize, secondScale)
        }
      }
    }
  }

  /// θ, m, v updated over `range` in one pass, eight lanes at a time. The square root is
  /// v · rsqrt(v) with the reciprocal square root from the bit-level initial guess and three
  /// Newton steps (relative error ≈ 2·10⁻⁷): `SIMD.squareRoot()` is scalar on this target.
  /// Moments below 10⁻³⁰ are flushed to zero: a parameter whose gradient stays zero (a border
  /// pixel's weight) would otherwise decay m into subnormal numbers, ~100× slower to process.
  static func kernel(
    _ p: UnsafeMutablePointer<Float>, _ g: UnsafePointer<Float>, _ m: UnsafeMutablePointer<Float>,
    _ v: UnsafeMutablePointer<Float>, _ range: Range<Int>, _ b1: Float, _ b2: Float, _ eps: Float,
    _ stepSize: Float, _ secondScale: Float
  ) {
    let c1 = 1 - b1, c2 = 1 - b2
    let tiny: Float = 1e-30
    var i = range.lowerBound
    let zero = Float8(repeating: 0), vtiny = Float8(repeating: tiny)
    while i + 8 <= range.upperBound {
      let gi = g.load8(i)
      var mi = b1 * m.load8(i) + c1 * gi
      var vi = b2 * v.load8(i) + c2 * (gi * gi)
      mi.replace(with: zero, where: (mi .< vtiny) .& (mi .> -vtiny))
      vi.replace(with: zero, where: vi .< vtiny)
      m.store8(mi, i)
      v.store8(vi, i)
      let root = FastMath.squareRoot(vi)
      p.store8(p.load8(i) - stepSize * mi / (root * secondScale + eps), i)
      i += 8
    }
    while i < range.upperBound {
      let gi = g[i]
      var mi = b1 * m[i] + c1 * gi
      var vi = b2 * v[i] + c2 * gi * gi
      if Swift.abs(mi) < tiny { mi = 0 }
      if vi < tiny { vi = 0 }
      m[i] = mi; v[i] = vi
      p[i] -= stepSize * mi / (vi.squareRoot() * secondScale + eps)
      i += 1
    }
  }
}

extension FastMath {
  /// √x for x ≥ 0 on eight lanes: x · rsqrt(x), rsqrt from 0x5F375A86 − (bits ≫ 1) refined by
  /// three Newton steps y ← y(1.5 − ½x y²); exactly 0 at 0.
  @inline(__always)
  static func squareRoot(_ x: Float8) -> Float8 {
    let bits = unsafeBitCast(x, to: SIMD8<UInt32>.self)
    var y = unsafeBitCast(0x5F37_5A86 &- (bits &>> 1), to: Float8.self)
    let half = 0.5 * x
    y = y * (1.5 - half * y * y)
    y = y * (1.5 - half * y * y)
    y = y * (1.5 - half * y * y)
    return (x * y).replacing(with: 0, where: x .== 0)
  }
}
