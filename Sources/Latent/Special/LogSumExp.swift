import Foundation

/// log Σᵢ exp(xᵢ), computed as m + log Σᵢ exp(xᵢ − m) with m = maxᵢ xᵢ so that
/// no term overflows. Returns −∞ for an empty input or when all xᵢ = −∞.
public func logSumExp<S: Sequence>(_ xs: S) -> Double where S.Element == Double {
  var m = -Double.infinity
  for x in xs where x > m { m = x }
  if m == -.infinity { return -.infinity }
  if m.isInfinite || m.isNaN { return m }
  var s = 0.0
  for x in xs { s += exp(x - m) }
  return m + log(s)
}

/// log(eᵃ + eᵇ), stable for any magnitudes.
public func logAddExp(_ a: Double, _ b: Double) -> Double {
  let m = max(a, b)
  if m == -.infinity { return -.infinity }
  return m + log1p(exp(-abs(a - b)))
}

/// The log-mean-exp log((1/n) Σᵢ exp(xᵢ)), e.g. an importance-sampled log-likelihood.
public func logMeanExp<C: Collection>(_ xs: C) -> Double where C.Element == Double {
  logSumExp(xs) - log(Double(xs.count))
}
