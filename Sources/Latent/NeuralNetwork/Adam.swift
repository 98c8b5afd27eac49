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
public struct Adam: Sendable {
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

  public init(learningRate: Float = 1e-3, beta1: Float = 0.9, beta2: Float = 0.999, epsilon: Float = 1e-8) {
    require(learningRate > 0 && beta1 >= 0 && beta1 < 1 && beta2 >= 0 && beta2 < 1 && epsilon >= 0,
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
    require(parameters.count == gradient.count, "Adam.update: \(parameters.count) parameters, \(gradient.count) gradients")
    let n = parameters.count
    if n == 0 { return }
    gradient.withUnsafeBufferPointer { g in parameters.withUnsafeMutableBufferPointer { p in
      update(p.baseAddress!, gradient: g.baseAddress!, count: n, slot: slot)
    } }
  }

  /// Updates a ``Dense`` layer's weight and bias (slots 2·`slot` and 2·`slot` + 1).
  public mutating func update(_ layer: inout Dense, gradient: Dense.Gradient, slot: Int) {
    update(&layer.weight.scalars, gradient: gradient.weight.scalars, slot: 2 * slot)
    update(&layer.bias, gradient: gradient.bias, slot: 2 * slot + 1)
  }

  /// The raw update over `count` contiguous parameters (used by the training workspaces).
  mutating func update(_ p: UnsafeMutablePointer<Float>, gradient g: UnsafePointer<Float>, count n: Int, slot: Int) {
    while firstMoments.count <= slot { firstMoments.append([]); secondMoments.append([]) }
    if firstMoments[slot].count != n {
      firstMoments[slot] = [Float](repeating: 0, count: n)
      secondMoments[slot] = [Float](repeating: 0, count: n)
    }
    let (stepSize, secondScale) = corrections
    let (b1, b2, eps) = (beta1, beta2, epsilon)
    firstMoments[slot].withUnsafeMutableBufferPointer { m in secondMoments[slot].withUnsafeMutableBufferPointer { v in
      Adam.kernel(p, g, m.baseAddress!, v.baseAddress!, 0..<n, b1, b2, eps, stepSize, secondScale)
    } }
  }

  /// θ, m, v updated over `range` in one pass, 16 lanes at a time (explicit SIMD: the
  /// auto-vectoriser leaves the square root and division scalar). Moments below 10⁻³⁰ are
  /// flushed to zero: a parameter whose gradient stays zero (a border pixel's weight) would
  /// otherwise decay m into subnormal numbers, which the CPU handles ~100× slower.
  static func kernel(_ p: UnsafeMutablePointer<Float>, _ g: UnsafePointer<Float>, _ m: UnsafeMutablePointer<Float>,
                     _ v: UnsafeMutablePointer<Float>, _ range: Range<Int>, _ b1: Float, _ b2: Float, _ eps: Float,
                     _ stepSize: Float, _ secondScale: Float) {
    typealias V = SIMD16<Float>
    let c1 = 1 - b1, c2 = 1 - b2
    let tiny: Float = 1e-30
    var i = range.lowerBound
    let vb1 = V(repeating: b1), vb2 = V(repeating: b2), vc1 = V(repeating: c1), vc2 = V(repeating: c2)
    let vs = V(repeating: stepSize), vscale = V(repeating: secondScale), veps = V(repeating: eps), vtiny = V(repeating: tiny)
    while i + 16 <= range.upperBound {
      let gi = UnsafeRawPointer(g + i).loadUnaligned(as: V.self)
      var mi = vb1 * UnsafeRawPointer(m + i).loadUnaligned(as: V.self) + vc1 * gi
      var vi = vb2 * UnsafeRawPointer(v + i).loadUnaligned(as: V.self) + vc2 * (gi * gi)
      mi.replace(with: 0, where: (mi .< vtiny) .& (mi .> -vtiny))
      vi.replace(with: 0, where: vi .< vtiny)
      UnsafeMutableRawPointer(m + i).storeBytes(of: mi, as: V.self)
      UnsafeMutableRawPointer(v + i).storeBytes(of: vi, as: V.self)
      let pi = UnsafeRawPointer(p + i).loadUnaligned(as: V.self)
      UnsafeMutableRawPointer(p + i).storeBytes(of: pi - vs * mi / (vi.squareRoot() * vscale + veps), as: V.self)
      i += 16
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
