import Foundation

/// Independent Bernoulli variables xᵢ ∈ {0, 1} with P(xᵢ = 1) = σ(ℓᵢ),
/// parameterised by logits ℓ — the VAE decoder's likelihood for binarised pixels.
///
/// log p(x) = Σᵢ [xᵢ ℓᵢ − softplus(ℓᵢ)], which never evaluates log 0 and is
/// stable for any logits; it also accepts xᵢ ∈ [0, 1] (the "continuous
/// Bernoulli" cross-entropy used on grey-level images).
public struct Bernoulli: Distribution, Hashable, Sendable, Codable {
  /// ℓ = log(p / (1 − p)).
  public var logits: Vector

  /// Bernoulli with P(xᵢ = 1) = σ(ℓᵢ).
  public init(logits: Vector) { self.logits = logits }
  /// A single Bernoulli variable.
  public init(logit: Double) { self.logits = [logit] }
  /// Bernoulli with P(xᵢ = 1) = pᵢ ∈ [0, 1].
  public init(probabilities p: Vector) {
    require(p.allSatisfy { $0 >= 0 && $0 <= 1 }, "Bernoulli: probabilities must lie in [0, 1], got \(p)")
    self.logits = p.map(logit)
  }

  /// The dimension.
  public var dimension: Int { logits.count }
  /// E[x] = σ(ℓ).
  public var mean: Vector { logits.map(sigmoid) }
  /// P(xᵢ = 1) = σ(ℓᵢ).
  public var probabilities: Vector { mean }
  /// Var[xᵢ] = σ(ℓᵢ)σ(−ℓᵢ).
  public var variance: Vector { logits.map { sigmoid($0) * sigmoid(-$0) } }

  /// log p(x) = Σᵢ [xᵢ ℓᵢ − softplus(ℓᵢ)].
  public func logDensity(_ x: Vector) -> Double {
    require(
      x.count == dimension, "Bernoulli.logDensity: point has length \(x.count), distribution has dimension \(dimension)"
    )
    var s = 0.0
    for i in 0..<dimension {
      let l = logits[i]
      if l.isInfinite { s += (l > 0 ? (x[i] == 1 ? 0 : -.infinity) : (x[i] == 0 ? 0 : -.infinity)); continue }
      s += x[i] * l - softplus(l)
    }
    return s
  }
  /// xᵢ = 1 if Uᵢ < σ(ℓᵢ), else 0.
  public func sample(using g: inout SeededGenerator) -> Vector {
    logits.map { g.uniform() < sigmoid($0) ? 1 : 0 }
  }
  /// H = Σᵢ [softplus(ℓᵢ) − σ(ℓᵢ)ℓᵢ].
  public var entropy: Double {
    logits.reduce(0) { $0 + ($1.isInfinite ? 0 : softplus($1) - sigmoid($1) * $1) }
  }
  /// KL(q‖p) = Σᵢ [σ(ℓ_qᵢ)(ℓ_qᵢ − ℓ_pᵢ) + softplus(ℓ_pᵢ) − softplus(ℓ_qᵢ)] for q = self.
  public func klDivergence(to p: Bernoulli) -> Double {
    require(dimension == p.dimension, "klDivergence: dimensions \(dimension) and \(p.dimension) differ")
    var s = 0.0
    for i in 0..<dimension {
      let a = logits[i], b = p.logits[i]
      s += sigmoid(a) * (a - b) + softplus(b) - softplus(a)
    }
    return s
  }

}
