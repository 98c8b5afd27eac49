import Foundation

/// log Γ(x) for x > 0 (the C library's `lgamma`, accurate to a few ulp).
public func logGamma(_ x: Double) -> Double {
  var sign: Int32 = 0
  return lgamma_r(x, &sign)
}

/// The digamma function ψ(x) = d/dx log Γ(x).
///
/// For x < 10 shifts up with ψ(x) = ψ(x + 1) − 1/x, then uses the asymptotic
/// series ψ(x) ≈ ln x − 1/(2x) − Σₖ B₂ₖ/(2k x²ᵏ) through x⁻¹⁴ (relative error
/// < 1e-16 for x ≥ 10). Negative non-integers use the reflection
/// ψ(x) = ψ(1 − x) − π / tan(πx). Poles (x = 0, −1, −2, …) give NaN.
public func digamma(_ x: Double) -> Double {
  if x.isNaN || x == -.infinity { return .nan }
  if x == .infinity { return .infinity }
  if x <= 0 {
    if x == x.rounded() { return .nan }
    return digamma(1 - x) - Double.pi / tan(Double.pi * x)
  }
  var x = x, acc = 0.0
  while x < 10 { acc -= 1 / x; x += 1 }
  let f = 1 / (x * x)
  // Coefficients B₂ₖ/(2k): 1/12, −1/120, 1/252, −1/240, 1/132, −691/32760, 1/12.
  let series =
    f
    * (1.0 / 12 - f * (1.0 / 120 - f * (1.0 / 252 - f * (1.0 / 240 - f * (1.0 / 132 - f * (691.0 / 32760 - f / 12))))))
  return acc + log(x) - 0.5 / x - series
}

/// ln(2π), to the last digit of a Double.
public let logTwoPi = 1.8378770664093454835606594728112
