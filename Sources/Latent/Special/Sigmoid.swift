import Foundation

/// The logistic sigmoid σ(x) = 1 / (1 + e⁻ˣ), evaluated without overflow for
/// either sign of x (uses eˣ/(1 + eˣ) for x < 0).
@inlinable public func sigmoid(_ x: Double) -> Double {
  x >= 0 ? 1 / (1 + exp(-x)) : exp(x) / (1 + exp(x))
}

/// softplus(x) = log(1 + eˣ), stable: max(x, 0) + log1p(e^(−|x|)).
/// Exact to rounding for all x; softplus(x) = x for x ≳ 37, eˣ for x ≲ −37.
@inlinable public func softplus(_ x: Double) -> Double {
  max(x, 0) + log1p(exp(-abs(x)))
}

/// log σ(x) = −softplus(−x), stable for large |x| (≈ x for x ≪ 0, ≈ −e⁻ˣ for x ≫ 0).
@inlinable public func logSigmoid(_ x: Double) -> Double { -softplus(-x) }

/// The logit log(p / (1 − p)), inverse of ``sigmoid(_:)``.
@inlinable public func logit(_ p: Double) -> Double { log(p) - log1p(-p) }

/// Float versions for the VAE: same formulas in single precision.
@_disfavoredOverload @inlinable public func sigmoid(_ x: Float) -> Float {
  x >= 0 ? 1 / (1 + exp(-x)) : exp(x) / (1 + exp(x))
}
/// Float softplus: max(x, 0) + log1p(e^(−|x|)).
@_disfavoredOverload @inlinable public func softplus(_ x: Float) -> Float { max(x, 0) + log1p(exp(-abs(x))) }
/// Float log σ(x) = −softplus(−x).
@_disfavoredOverload @inlinable public func logSigmoid(_ x: Float) -> Float { -softplus(-x) }
