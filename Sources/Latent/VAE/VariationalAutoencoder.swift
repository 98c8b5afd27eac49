import Foundation

/// A variational autoencoder (Kingma & Welling 2014) for data in [0, 1]ᵈ, named after its math:
///
/// - the encoder q(z | x) = 𝒩(μ(x), diag σ²(x)), an MLP x → ReLU hidden → (μ, log σ²);
/// - the prior p(z) = 𝒩(0, I);
/// - the decoder p(x | z) = Πᵢ Bernoulli(xᵢ; σ(ℓᵢ(z))), an MLP z → ReLU hidden → logits ℓ;
/// - the evidence lower bound
///   ELBO(x) = E_q[log p(x | z)] − KL(q(z | x) ‖ p(z)) ≤ log p(x),
///   estimated by SGVB: one reparameterised sample z = μ + σ ⊙ ε, ε ~ 𝒩(0, I), for the first
///   term and the closed form ½ Σⱼ (σⱼ² + μⱼ² − 1 − log σⱼ²) for the second.
///
/// Batches are matrices with one example per row. Training lives in ``AEVBTrainer``.
///
/// ```swift
/// var rng = SeededGenerator(seed: 6)
/// let vae = VariationalAutoencoder(inputDimension: 784, hiddenDimension: 400, latentDimension: 20, using: &rng)
/// let (mean, logVariance) = vae.encode(images)
/// let z = VariationalAutoencoder.reparameterize(mean: mean, logVariance: logVariance, using: &rng)
/// let logits = vae.decode(z)
/// ```
public struct VariationalAutoencoder: Sendable, Hashable, Codable {
  /// x → h = ReLU(x W₁ + b₁).
  public var encoderHidden: Dense
  /// h → [μ | log σ²] = h W₂ + b₂ (2·latent outputs: means first, then log-variances).
  public var encoderGaussian: Dense
  /// z → h = ReLU(z W₃ + b₃).
  public var decoderHidden: Dense
  /// h → ℓ = h W₄ + b₄, the Bernoulli logits.
  public var decoderLogits: Dense

  /// d, the data dimension (784 for Fashion-MNIST).
  public var inputDimension: Int { encoderHidden.inputCount }
  /// Width of both hidden layers.
  public var hiddenDimension: Int { encoderHidden.outputCount }
  /// The dimension of z.
  public var latentDimension: Int { decoderHidden.inputCount }
  /// Number of trainable scalars.
  public var parameterCount: Int { layers.reduce(0) { $0 + $1.parameterCount } }
  /// The four layers in order (encoder hidden, encoder Gaussian, decoder hidden, decoder logits).
  public var layers: [Dense] { [encoderHidden, encoderGaussian, decoderHidden, decoderLogits] }

  /// A VAE d-h-z-h-d initialised like PyTorch's `nn.Linear` (see ``Dense/init(inputs:outputs:activation:using:)``).
  public init(
    inputDimension: Int = 784, hiddenDimension: Int = 400, latentDimension: Int = 20,
    using rng: inout SeededGenerator
  ) {
    encoderHidden = Dense(inputs: inputDimension, outputs: hiddenDimension, activation: .relu, using: &rng)
    encoderGaussian = Dense(inputs: hiddenDimension, outputs: 2 * latentDimension, using: &rng)
    decoderHidden = Dense(inputs: latentDimension, outputs: hiddenDimension, activation: .relu, using: &rng)
    decoderLogits = Dense(inputs: hiddenDimension, outputs: inputDimension, using: &rng)
  }

  /// A VAE from its four layers (shapes must chain).
  public init(encoderHidden: Dense, encoderGaussian: Dense, decoderHidden: Dense, decoderLogits: Dense) {
    require(
      encoderGaussian.inputCount == encoderHidden.outputCount && encoderGaussian.outputCount % 2 == 0
        && decoderHidden.inputCount * 2 == encoderGaussian.outputCount
        && decoderLogits.inputCount == decoderHidden.outputCount
        && decoderLogits.outputCount == encoderHidden.inputCount,
      "VariationalAutoencoder: layer shapes do not chain")
    self.encoderHidden = encoderHidden; self.encoderGaussian = encoderGaussian
    self.decoderHidden = decoderHidden; self.decoderLogits = decoderLogits
  }

  // MARK: The model

  /// q(z | x): the mean μ and log-variance log σ² of the Gaussian posterior of each row of x.
  public func encode(_ x: FloatMatrix) -> (mean: FloatMatrix, logVariance: FloatMatrix) {
    requireInput(x, "encode")
    let g = encoderGaussian(encoderHidden(x))
    let d = latentDimension
    var mean = FloatMatrix(rows: x.rows, cols: d), logVariance = FloatMatrix(rows: x.rows, cols: d)
    for i in 0..<x.rows {
      for j in 0..<d {
        mean.scalars[i * d + j] = g.scalars[i * 2 * d + j]
        logVariance.scalars[i * d + j] = g.scalars[i * 2 * d + d + j]
      }
    }
    return (mean, logVariance)
  }

  /// The reparameterisation z = μ + exp(½ log σ²) ⊙ ε for given noise ε (same shape).
  public static func reparameterize(mean: FloatMatrix, logVariance: FloatMatrix, noise: FloatMatrix) -> FloatMatrix {
    require(
      mean.rows == logVariance.rows && mean.cols == logVariance.cols && noise.rows == mean.rows
        && noise.cols == mean.cols,
      "reparameterize: mean \(mean.shapeDescription), log-variance \(logVariance.shapeDescription), noise \(noise.shapeDescription)"
    )
    var z = mean
    for i in 0..<z.count { z.scalars[i] += Foundation.exp(0.5 * logVariance.scalars[i]) * noise.scalars[i] }
    return z
  }

  /// z = μ + σ ⊙ ε with fresh ε ~ 𝒩(0, I) from `rng`.
  public static func reparameterize(
    mean: FloatMatrix, logVariance: FloatMatrix,
    using rng: inout SeededGenerator
  ) -> FloatMatrix {
    reparameterize(
      mean: mean, logVariance: logVariance,
      noise: rng.normalFloatMatrix(rows: mean.rows, cols: mean.cols))
  }

  /// p(x | z): the Bernoulli logits ℓ(z), one row of d logits per latent row.
  public func decode(_ z: FloatMatrix) -> FloatMatrix {
    require(
      z.cols == latentDimension,
      "decode: latents \(z.shapeDescription) for a \(latentDimension)-dimensional latent space")
    return decoderLogits(decoderHidden(z))
  }

  /// E[x | z] = σ(ℓ(z)): decoded images with pixel values in (0, 1).
  public func generate(from z: FloatMatrix) -> FloatMatrix { decode(z).sigmoid }

  /// The decoded posterior means σ(ℓ(μ(x))): the usual "reconstruction" of x.
  public func reconstruct(_ x: FloatMatrix) -> FloatMatrix { generate(from: encode(x).mean) }

  // MARK: The bound

  /// −log p(x | ℓ) per row: the binary cross-entropy Σᵢ [softplus(ℓᵢ) − xᵢ ℓᵢ], evaluated
  /// stably for any logits (never log 0) and accumulated in Double.
  public static func binaryCrossEntropy(logits: FloatMatrix, targets x: FloatMatrix) -> [Double] {
    require(
      logits.rows == x.rows && logits.cols == x.cols,
      "binaryCrossEntropy: logits \(logits.shapeDescription), targets \(x.shapeDescription)")
    let n = x.cols
    return logits.scalars.withUnsafeBufferPointer { pl in
      x.scalars.withUnsafeBufferPointer { px in
        (0..<x.rows).map { i in
          var s: Float = 0, total = 0.0
          for j in 0..<n {
            let l = pl[i * n + j]
            s += Swift.max(l, 0) - px[i * n + j] * l + FastMath.log1pUnit(FastMath.exp(-Swift.abs(l)))
            if j % 64 == 63 { total += Double(s); s = 0 }
          }
          return total + Double(s)
        }
      }
    }
  }

  /// KL(𝒩(μ, diag σ²) ‖ 𝒩(0, I)) per row, ½ Σⱼ (σⱼ² + μⱼ² − 1 − log σⱼ²).
  public static func klDivergence(mean: FloatMatrix, logVariance: FloatMatrix) -> [Double] {
    let perDimension = klDivergencePerDimension(mean: mean, logVariance: logVariance)
    return (0..<mean.rows).map { i in perDimension.row(i).reduce(0.0) { $0 + Double($1) } }
  }

  /// The same divergence per row and latent dimension (n × latent): ½(σⱼ² + μⱼ² − 1 − log σⱼ²).
  /// Its column means show which latents carry information (KL ≈ 0: a collapsed dimension).
  public static func klDivergencePerDimension(mean: FloatMatrix, logVariance: FloatMatrix) -> FloatMatrix {
    require(
      mean.rows == logVariance.rows && mean.cols == logVariance.cols,
      "klDivergence: mean \(mean.shapeDescription), log-variance \(logVariance.shapeDescription)")
    var out = mean
    for i in 0..<out.count {
      let m = mean.scalars[i], lv = logVariance.scalars[i]
      out.scalars[i] = 0.5 * (Foundation.exp(lv) + m * m - 1 - lv)
    }
    return out
  }

  /// The average over the rows of x of each latent dimension's KL(q(zⱼ | x) ‖ 𝒩(0, 1)), in
  /// Double: how many nats each dimension carries (about 0 for a collapsed dimension).
  /// The entries sum to the mean KL of ``elbo(_:noise:)``.
  public func klPerDimension(_ x: FloatMatrix) -> [Double] {
    requireInput(x, "klPerDimension")
    let (mean, logVariance) = encode(x)
    var sums = [Double](repeating: 0, count: latentDimension)
    for i in 0..<x.rows {
      for j in 0..<latentDimension {
        let m = Double(mean[i, j]), lv = Double(logVariance[i, j])
        sums[j] += 0.5 * (Foundation.exp(lv) + m * m - 1 - lv)
      }
    }
    return sums.map { $0 / Double(Swift.max(x.rows, 1)) }
  }

  /// The SGVB estimate of the ELBO of each row of x with the given noise ε (n × latent):
  /// log p(x | z = μ + σ ⊙ ε) − KL(q(z | x) ‖ p(z)).
  public func elbo(_ x: FloatMatrix, noise: FloatMatrix) -> ELBO {
    let (mean, logVariance) = encode(x)
    let z = Self.reparameterize(mean: mean, logVariance: logVariance, noise: noise)
    let reconstruction = Self.binaryCrossEntropy(logits: decode(z), targets: x).map { -$0 }
    return ELBO(reconstruction: reconstruction, kl: Self.klDivergence(mean: mean, logVariance: logVariance))
  }

  /// The SGVB estimate of the ELBO of each row of x with one fresh ε per row, evaluated in
  /// chunks of `batchSize` rows to bound memory.
  public func elbo(_ x: FloatMatrix, using rng: inout SeededGenerator, batchSize: Int = 2000) -> ELBO {
    requireInput(x, "elbo")
    var total = ELBO(reconstruction: [], kl: [])
    for start in stride(from: 0, to: x.rows, by: batchSize) {
      let chunk = x.rows(start..<Swift.min(start + batchSize, x.rows))
      let part = elbo(chunk, noise: rng.normalFloatMatrix(rows: chunk.rows, cols: latentDimension))
      total.reconstruction += part.reconstruction
      total.kl += part.kl
    }
    return total
  }

  func requireInput(_ x: FloatMatrix, _ name: String) {
    require(x.cols == inputDimension, "\(name): data \(x.shapeDescription) for a \(inputDimension)-dimensional VAE")
  }
}

/// Per-example terms of an ELBO estimate, in nats.
public struct ELBO: Sendable, Hashable, Codable {
  /// log p(x | z) at the sampled z (the negative binary cross-entropy), one per example.
  public var reconstruction: [Double]
  /// KL(q(z | x) ‖ p(z)), one per example.
  public var kl: [Double]

  public init(reconstruction: [Double], kl: [Double]) {
    require(
      reconstruction.count == kl.count, "ELBO: \(reconstruction.count) reconstruction terms, \(kl.count) KL terms")
    self.reconstruction = reconstruction; self.kl = kl
  }
  /// The bound per example, reconstruction − KL.
  public var perExample: [Double] { zip(reconstruction, kl).map { $0 - $1 } }
  /// The mean bound per example.
  public var mean: Double { perExample.reduce(0, +) / Double(Swift.max(kl.count, 1)) }
  /// The mean negative ELBO per example (the loss usually reported, in nats per image).
  public var negativeMean: Double { -mean }
  /// Mean reconstruction term.
  public var meanReconstruction: Double { reconstruction.reduce(0, +) / Double(Swift.max(kl.count, 1)) }
  /// Mean KL term (the rate).
  public var meanKL: Double { kl.reduce(0, +) / Double(Swift.max(kl.count, 1)) }
}
