import Foundation

/// The pointwise nonlinearity applied after a ``Dense`` layer's affine map.
public enum Activation: String, Sendable, Hashable, Codable {
  /// a ↦ a (logits, means, log-variances).
  case identity
  /// a ↦ max(a, 0).
  case relu
  /// a ↦ σ(a) = 1 / (1 + e⁻ᵃ).
  case sigmoid
  /// a ↦ tanh a.
  case tanh
}

/// Single-precision `exp` and `log1p` kernels written as straight-line arithmetic so that
/// loops over them vectorise (libm's scalar calls do not). Accurate to a few ulp, which is
/// far below the noise of a minibatch gradient.
@usableFromInline
enum FastMath {
  /// eˣ for x ≤ 88 (results below 2⁻¹²⁶ flush to zero): Cody–Waite reduction
  /// x = n ln 2 + r with |r| ≤ ½ ln 2, a degree-6 polynomial (Cephes `expf`) for eʳ,
  /// and 2ⁿ assembled in the exponent bits.
  @inline(__always) @usableFromInline
  static func exp(_ x0: Float) -> Float {
    let x = Swift.min(Swift.max(x0, -87.3), 88.3)
    // Round x·log₂e to the nearest integer with the 1.5·2²³ trick (exact for |n| < 2²²).
    let magic: Float = 12_582_912
    let t = x * 1.442_695_04 + magic
    let n = t - magic
    let r = (x - n * 0.693_359_375) + n * 2.121_944_4e-4
    var p: Float = 1.987_569_15e-4
    p = p * r + 1.398_199_95e-3
    p = p * r + 8.333_451_9e-3
    p = p * r + 4.166_579_6e-2
    p = p * r + 1.666_666_55e-1
    p = p * r + 5.000_000_1e-1
    p = p * r * r + r + 1
    // t's low mantissa bits hold n + 2²² (two's complement offset); 2ⁿ = (n + 127) << 23.
    let bits = (t.bitPattern &- 0x4B40_0000 &+ 127) &<< 23
    return p * Float(bitPattern: bits)
  }

  /// log(1 + y) for y ∈ [0, 1] (the softplus tail): log of u = 1 + y ∈ [1, 2] written as
  /// m·2ᵏ with m ∈ [√½, √2), then the Cephes `logf` polynomial in m − 1.
  @inline(__always) @usableFromInline
  static func log1pUnit(_ y: Float) -> Float {
    let u = 1 + y
    let big = u > 1.414_213_56
    let m = big ? u * 0.5 : u
    let k: Float = big ? 1 : 0
    // Recover the rounding of 1 + y (tiny y): log(u) + (y − (u − 1))/u.
    let correction = (y - (u - 1)) / u
    let f = m - 1
    let z = f * f
    var p: Float = 7.037_683_6e-2
    p = p * f - 1.151_461_0e-1
    p = p * f + 1.167_699_9e-1
    p = p * f - 1.242_014_1e-1
    p = p * f + 1.424_932_3e-1
    p = p * f - 1.666_805_8e-1
    p = p * f + 2.000_071_4e-1
    p = p * f - 2.499_999_4e-1
    p = p * f + 3.333_333_1e-1
    let logm = f + (f * z * p - 0.5 * z)
    return logm + k * 0.693_147_18 + correction
  }
}

extension FloatMatrix {
  /// Adds the bias row b to every row and applies `activation`, in one pass over memory
  /// (the epilogue of a ``Dense`` layer's `sgemm`).
  public mutating func addBiasAndActivate(_ bias: [Float], _ activation: Activation) {
    require(bias.count == cols, "addBiasAndActivate: bias of length \(bias.count) for \(shapeDescription) matrix")
    let (m, n) = (rows, cols)
    if m == 0 || n == 0 { return }
    scalars.withUnsafeMutableBufferPointer { a in
      bias.withUnsafeBufferPointer { b in
        DenseKernel.biasActivation(a.baseAddress!, rows: m, cols: n, bias: b.baseAddress!, activation: activation)
      }
    }
  }

  /// The elementwise logistic sigmoid σ(A), e.g. Bernoulli means from logits.
  public var sigmoid: FloatMatrix {
    var out = self
    out.addBiasAndActivate([Float](repeating: 0, count: cols), .sigmoid)
    return out
  }
}

/// Eight lanes of single precision: two SSE registers on the baseline x86-64 target the
/// library is compiled for. The VAE's elementwise passes are written on it explicitly, because
/// the auto-vectoriser leaves loops with selects, reductions into arrays and bit casts scalar.
@usableFromInline typealias Float8 = SIMD8<Float>

extension FastMath {
  /// ``exp(_:)`` on eight lanes (same reduction and polynomial).
  @inline(__always) @usableFromInline
  static func exp(_ x0: Float8) -> Float8 {
    let lo = Float8(repeating: -87.3), hi = Float8(repeating: 88.3)
    var x = x0.replacing(with: lo, where: x0 .< lo)
    x.replace(with: hi, where: x .> hi)
    let magic = Float8(repeating: 12_582_912)
    let t = x * 1.442_695_04 + magic
    let n = t - magic
    let r = (x - n * 0.693_359_375) + n * 2.121_944_4e-4
    var p = Float8(repeating: 1.987_569_15e-4)
    p = p * r + 1.398_199_95e-3
    p = p * r + 8.333_451_9e-3
    p = p * r + 4.166_579_6e-2
    p = p * r + 1.666_666_55e-1
    p = p * r + 5.000_000_1e-1
    p = p * r * r + r + 1
    let tb = unsafeBitCast(t, to: SIMD8<UInt32>.self)
    let bits = (tb &- 0x4B40_0000 &+ 127) &<< 23
    return p * unsafeBitCast(bits, to: Float8.self)
  }

  /// ``log1pUnit(_:)`` on eight lanes: log(1 + y) for y ∈ [0, 1].
  @inline(__always) @usableFromInline
  static func log1pUnit(_ y: Float8) -> Float8 {
    let u = 1 + y
    let big = u .> 1.414_213_56
    let m = u.replacing(with: u * 0.5, where: big)
    let k = Float8(repeating: 0).replacing(with: 0.693_147_18, where: big)
    let correction = (y - (u - 1)) / u
    let f = m - 1
    let z = f * f
    var p = Float8(repeating: 7.037_683_6e-2)
    p = p * f - 1.151_461_0e-1
    p = p * f + 1.167_699_9e-1
    p = p * f - 1.242_014_1e-1
    p = p * f + 1.424_932_3e-1
    p = p * f - 1.666_805_8e-1
    p = p * f + 2.000_071_4e-1
    p = p * f - 2.499_999_4e-1
    p = p * f + 3.333_333_1e-1
    return f + (f * z * p - 0.5 * z) + k + correction
  }
}

extension UnsafePointer where Pointee == Float {
  @inline(__always) func load8(_ i: Int) -> Float8 { UnsafeRawPointer(self + i).loadUnaligned(as: Float8.self) }
}
extension UnsafeMutablePointer where Pointee == Float {
  @inline(__always) func load8(_ i: Int) -> Float8 { UnsafeRawPointer(self + i).loadUnaligned(as: Float8.self) }
  @inline(__always) func store8(_ v: Float8, _ i: Int) {
    UnsafeMutableRawPointer(self + i).storeBytes(of: v, as: Float8.self)
  }
}
