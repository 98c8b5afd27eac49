import Foundation

/// A VAE with a one-dimensional latent and an autoregressive decoder, small enough that its
/// true posterior is a 1-D integral (``LinePosterior``) — the setting in which He et al. (2019)
/// watch the encoder lag behind the posterior and the model collapse.
///
/// - Encoder: q(z | x) = 𝒩(μ(x), σ²(x)), [μ, log σ²] = tanh(x W₁ + c₁) W₂ + c₂.
/// - Prior: p(z) = 𝒩(0, 1).
/// - Decoder: p(x | z) = Πⱼ Bernoulli(xⱼ; σ(ℓⱼ)) with logits
///
///       ℓ = tanh(z V₁ + d₁) V₂ + d₂  +  x (R ⊙ U)  +  tanh(x (P ⊙ Mₚ) + e) (Q ⊙ M_Q),
///
///   a latent part, plus a part that sees only the earlier bits x₁…x_{j−1}: a linear term (R
///   masked by the strictly upper-triangular U) and a MADE hidden layer (Germain et al. 2015;
///   hidden unit k has degree mₖ ∈ 1…d−1, sees bits i ≤ mₖ and feeds bits j > mₖ). The second
///   part alone is a full model of p(x) (a fully visible belief net), so the decoder *can*
///   ignore z: posterior collapse is an optimum it can reach.
///
/// Parameters are Doubles (the model has a few thousand); ``negativeELBO(_:noise:on:)``
/// records the SGVB estimate on a ``Tape`` for training, ``logLikelihoods(_:at:)`` scores data
/// at any latent points for quadrature.
public struct AutoregressiveVAE: Sendable, Hashable, Codable {
  /// W₁, c₁, W₂, c₂, V₁, d₁, V₂, d₂, R, P, e, Q, in that order (biases as 1 × n rows).
  public var parameters: [Matrix]

  /// The indices of the encoder's parameters in ``parameters`` (W₁, c₁, W₂, c₂).
  public static let encoderParameters = 0..<4
  /// The indices of the decoder's parameters (V₁ … Q).
  public static let decoderParameters = 4..<12

  /// d, bits per data point.
  public var dataDimension: Int { parameters[0].rows }
  /// Width of the encoder's hidden layer.
  public var encoderHidden: Int { parameters[0].cols }
  /// Width of the decoder's latent hidden layer.
  public var decoderHidden: Int { parameters[4].cols }
  /// Width of the MADE hidden layer.
  public var autoregressiveHidden: Int { parameters[9].cols }

  /// A model whose every parameter is drawn from U(−`scale`, `scale`) (He et al. initialize
  /// their LSTM VAEs with U(−0.01, 0.01)): the encoder starts near q = 𝒩(0, 1) for every x and
  /// the decoder near ignoring z.
  /// - Throws: ``ModelError/invalidArgument(model:message:)`` for d < 2, a width below 1 or a
  ///   scale that is not positive and finite.
  public init(
    dataDimension d: Int, encoderHidden hE: Int = 32, decoderHidden hD: Int = 32, autoregressiveHidden hA: Int = 64,
    scale: Double = 0.01, using rng: inout SeededGenerator
  ) throws {
    guard d >= 2, hE >= 1, hD >= 1, hA >= 1, scale > 0, scale.isFinite else {
      throw ModelError.invalidArgument(
        model: "AutoregressiveVAE",
        message:
          "data dimension \(d), widths \(hE), \(hD), \(hA), scale \(scale); needs d ≥ 2, widths ≥ 1, a positive scale")
    }
    let shapes = [
      (d, hE), (1, hE), (hE, 2), (1, 2), (1, hD), (1, hD), (hD, d), (1, d), (d, d), (d, hA), (1, hA), (hA, d),
    ]
    parameters = shapes.map { r, c in Matrix(rows: r, cols: c) { _, _ in rng.uniform(in: -scale..<scale) } }
    let masks = Self.masks(d, hA)
    parameters[8] = parameters[8] ⊙ masks.linear
    parameters[9] = parameters[9] ⊙ masks.input
    parameters[11] = parameters[11] ⊙ masks.output
  }

  /// The autoregressive masks: U (d × d, Uᵢⱼ = 1 when i < j), Mₚ (d × hA, 1 when i ≤ mₖ) and
  /// M_Q (hA × d, 1 when mₖ < j), with degrees mₖ = 1 + (k mod (d − 1)) (1-based bits).
  public static func masks(_ d: Int, _ hA: Int) -> (linear: Matrix, input: Matrix, output: Matrix) {
    let degree = (0..<hA).map { 1 + $0 % (d - 1) }
    return (
      Matrix(rows: d, cols: d) { i, j in i < j ? 1 : 0 },
      Matrix(rows: d, cols: hA) { i, k in i + 1 <= degree[k] ? 1 : 0 },
      Matrix(rows: hA, cols: d) { k, j in degree[k] < j + 1 ? 1 : 0 }
    )
  }

  func checkData(_ x: Matrix, _ operation: String) throws {
    guard x.cols == dataDimension else {
      throw ModelError.featureCountMismatch(
        model: "AutoregressiveVAE.\(operation)", expected: dataDimension, got: x.cols)
    }
  }

  /// μ(x) and log σ²(x) of q(z | x) for each row of x.
  /// - Throws: ``ModelError/featureCountMismatch(model:expected:got:)`` unless x has d columns.
  public func encode(_ x: Matrix) throws -> (mean: [Double], logVariance: [Double]) {
    try checkData(x, "encode")
    var h = x * parameters[0]
    for i in 0..<h.rows { for j in 0..<h.cols { h[i, j] = Foundation.tanh(h[i, j] + parameters[1][0, j]) } }
    let out = h * parameters[2]
    return (
      (0..<x.rows).map { out[$0, 0] + parameters[3][0, 0] }, (0..<x.rows).map { out[$0, 1] + parameters[3][0, 1] }
    )
  }

  /// The logits' part that depends on the earlier bits only, x (R ⊙ U) + tanh(x (P ⊙ Mₚ) + e) (Q ⊙ M_Q), n × d.
  func autoregressiveLogits(_ x: Matrix) -> Matrix {
    var h = x * parameters[9]
    for i in 0..<h.rows { for k in 0..<h.cols { h[i, k] = Foundation.tanh(h[i, k] + parameters[10][0, k]) } }
    return x * parameters[8] + h * parameters[11]
  }

  /// The logits' latent part tanh(z V₁ + d₁) V₂ + d₂ at each point of z, G × d.
  func latentLogits(_ z: [Double]) -> Matrix {
    var h = Matrix(rows: z.count, cols: decoderHidden) { g, k in
      Foundation.tanh(z[g] * parameters[4][0, k] + parameters[5][0, k])
    }
    h = h * parameters[6]
    for g in 0..<h.rows { for j in 0..<h.cols { h[g, j] += parameters[7][0, j] } }
    return h
  }

  /// log p(xₙ | z_g) = Σⱼ [xₙⱼ ℓⱼ − softplus(ℓⱼ)] for every row xₙ of x (rows of the result) and
  /// every latent value z_g (columns), n × G; the two parts of the logits are computed once
  /// each and added inside the sum.
  /// - Throws: ``ModelError/featureCountMismatch(model:expected:got:)`` unless x has d columns.
  public func logLikelihoods(_ x: Matrix, at z: [Double]) throws -> Matrix {
    try checkData(x, "logLikelihoods")
    let lx = autoregressiveLogits(x), lz = latentLogits(z), d = dataDimension
    var out = Matrix(rows: x.rows, cols: z.count)
    for n in 0..<x.rows {
      for g in 0..<z.count {
        var s = 0.0
        for j in 0..<d {
          let l = lx.scalars[n * d + j] + lz.scalars[g * d + j]
          s += x.scalars[n * d + j] * l - softplus(l)
        }
        out.scalars[n * z.count + g] = s
      }
    }
    return out
  }

  /// The SGVB estimate of the negative ELBO averaged over the rows of x,
  ///
  ///     −(1/n) Σₙ [log p(xₙ | zₙ) − KL(q(z | xₙ) ‖ 𝒩(0, 1))],   zₙ = μ(xₙ) + σ(xₙ) εₙ,
  ///
  /// recorded on `tape`, with ε = `noise` (n × 1). Returns the loss and the parameters as tape
  /// variables, in ``parameters`` order, for ``Tape/gradients(of:)``.
  /// - Throws: ``ModelError/featureCountMismatch(model:expected:got:)`` for data of the wrong
  ///   width, ``ModelError/invalidArgument(model:message:)`` for noise of the wrong shape.
  public func negativeELBO(_ x: Matrix, noise: Matrix, on tape: Tape<Matrix>) throws
    -> (loss: Variable<Matrix>, parameters: [Variable<Matrix>])
  {
    try checkData(x, "negativeELBO")
    guard noise.rows == x.rows, noise.cols == 1 else {
      throw ModelError.invalidArgument(
        model: "AutoregressiveVAE.negativeELBO",
        message: "noise \(noise.shapeDescription) for data \(x.shapeDescription); needs \(x.rows)x1")
    }
    let p = parameters.map { tape.parameter($0) }
    let masks = Self.masks(dataDimension, autoregressiveHidden)
    let data = tape.constant(x)
    let gaussian = try Variable.affine(Variable.dense(data, p[0], p[1], activation: .tanh), p[2], p[3])
    let mean = try gaussian.columns(0..<1), logVariance = try gaussian.columns(1..<2)
    let z = try reparameterize(mean: mean, logVariance: logVariance, noise: noise)
    let latentPart = try Variable.affine(Variable.dense(z, p[4], p[5], activation: .tanh), p[6], p[7])
    let linearPart = try data * (p[8] ⊙ tape.constant(masks.linear))
    let hidden = try Variable.dense(data, p[9] ⊙ tape.constant(masks.input), p[10], activation: .tanh)
    let madePart = try hidden * (p[11] ⊙ tape.constant(masks.output))
    let logits = try latentPart + linearPart + madePart
    let elbo = try bernoulliLogLikelihood(logits: logits, targets: x) - gaussianKL(mean: mean, logVariance: logVariance)
    return ((-elbo).mean(), p)
  }
}
