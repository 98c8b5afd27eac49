/// What a VAE's training step minimises, per minibatch (summed over its examples, as in
/// PyTorch's VAE example, or averaged with ``Reduction/mean``):
///
///     Σₙ BCE(xₙ, ℓ(zₙ)) + Σⱼ max(wₜ · KLⱼ, wₜ · λ · n)      (free bits when λ > 0)
///
/// where KLⱼ = Σₙ KL of latent dimension j, wₜ = β · min(1, t / warm-up) is the KL weight at
/// step t (KL annealing), and λ is the free-bits floor per dimension and example
/// (Kingma et al. 2016): a dimension whose average KL over the batch is below λ pays λ
/// and gets no gradient pushing it further towards the prior.
/// The defaults (β = 1, no warm-up, no free bits) give the plain negative ELBO.
public struct VAEObjective: Sendable, Hashable, Codable {
  /// β, the weight on the KL term (β-VAE, Higgins et al. 2017); 1 is the ELBO.
  public var beta: Float
  /// Steps over which the KL weight rises linearly from 0 to β; 0 disables annealing.
  public var klWarmupSteps: Int
  /// λ, free nats per latent dimension and example; 0 disables free bits.
  public var freeBits: Float

  /// Sample z = μ + σ ⊙ ε (true), or use z = μ (false: with β = 0 a plain deterministic autoencoder).
  public var stochastic: Bool

  /// How a minibatch's per-example losses combine.
  public enum Reduction: Sendable, Hashable, Codable {
    /// Σₙ (PyTorch's VAE example).
    case sum
    /// (1/n) Σₙ: the same loss and gradient divided by the batch size n.
    case mean
  }
  /// Sum or mean over the minibatch.
  public var reduction: Reduction

  public init(
    beta: Float = 1, klWarmupSteps: Int = 0, freeBits: Float = 0, stochastic: Bool = true,
    reduction: Reduction = .sum
  ) {
    require(
      beta >= 0 && klWarmupSteps >= 0 && freeBits >= 0, "VAEObjective: β, warm-up and free bits must be non-negative")
    self.beta = beta; self.klWarmupSteps = klWarmupSteps; self.freeBits = freeBits; self.stochastic = stochastic
    self.reduction = reduction
  }

  /// The plain negative ELBO.
  public static let elbo = VAEObjective()
  /// A deterministic autoencoder: z = μ(x), no KL term, the same cross-entropy loss.
  public static let autoencoder = VAEObjective(beta: 0, stochastic: false)

  /// wₜ = β · min(1, t / warm-up) at (1-based) step t.
  public func klWeight(atStep t: Int) -> Float {
    if klWarmupSteps == 0 { return beta }
    return beta * Float(Swift.min(1, Double(t) / Double(klWarmupSteps)))
  }
}

/// Why training stopped.
public enum TrainingError: Error, CustomStringConvertible, Equatable {
  /// The loss or a parameter became NaN or infinite; `epoch` and `step` (both 1-based, the
  /// step counted within the epoch) say where.
  case nonFinite(quantity: String, epoch: Int, step: Int)
  /// The data do not fit the model.
  case badInput(String)

  public var description: String {
    switch self {
    case .nonFinite(let quantity, let epoch, let step):
      return "training stopped: the \(quantity) became NaN or infinite at epoch \(epoch), step \(step)"
    case .badInput(let message): return message
    }
  }
}
