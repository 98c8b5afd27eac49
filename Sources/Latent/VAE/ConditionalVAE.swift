import Foundation

/// A conditional VAE (Sohn, Lee & Yan 2015) for binary data x ∈ {0, 1}ᵈ with a class label
/// y ∈ {0, …, C − 1}, seen by every part of the model as its one-hot vector e_y:
///
/// - the prior p(z | y) = 𝒩(m(y), diag s²(y)), a linear map e_y → [m | log s²] (one learned
///   Gaussian per class; it starts at 𝒩(0, I));
/// - the encoder q(z | x, y) = 𝒩(μ(x, y), diag σ²(x, y)), an MLP [x | e_y] → ReLU → [μ | log σ²];
/// - the decoder p(x | z, y) = Πᵢ Bernoulli(xᵢ; σ(ℓᵢ(z, y))), an MLP [z | e_y] → ReLU → logits ℓ;
/// - the bound on log p(x | y),
///   ELBO(x | y) = E_q[log p(x | z, y)] − KL(q(z | x, y) ‖ p(z | y)),
///   estimated with one reparameterized z = μ + σ ⊙ ε and the KL in closed form.
///
/// The forward pass is written on a ``Tape`` (reverse-mode autodiff); training lives in
/// ``ConditionalVAETrainer``, the bound for every class in ``classBounds(_:samples:using:)``.
///
/// ```swift
/// var rng = SeededGenerator(seed: 11)
/// let cvae = ConditionalVAE(inputDimension: 784, hiddenDimension: 256, latentDimension: 10, classCount: 10, using: &rng)
/// let bound = try cvae.elbo(bits, labels: labels, noise: rng.normalFloatMatrix(rows: bits.rows, cols: 10))
/// ```
public struct ConditionalVAE: Sendable, Hashable, Codable {
  /// [x | e_y] → h = ReLU([x | e_y] W₁ + b₁).
  public var encoderHidden: Dense
  /// h → [μ | log σ²] = h W₂ + b₂ (2·latent outputs: means first).
  public var encoderGaussian: Dense
  /// e_y → [m | log s²] = e_y W + b: row y of W (plus b) is class y's prior.
  public var prior: Dense
  /// [z | e_y] → h = ReLU([z | e_y] W₃ + b₃).
  public var decoderHidden: Dense
  /// h → ℓ = h W₄ + b₄, the Bernoulli logits.
  public var decoderLogits: Dense

  /// d, the data dimension.
  public var inputDimension: Int { decoderLogits.outputCount }
  /// Width of both hidden layers.
  public var hiddenDimension: Int { encoderHidden.outputCount }
  /// The dimension of z.
  public var latentDimension: Int { prior.outputCount / 2 }
  /// C, the number of classes.
  public var classCount: Int { prior.inputCount }
  /// Number of trainable scalars.
  public var parameterCount: Int { layers.reduce(0) { $0 + $1.parameterCount } }
  /// The five layers in order: encoder hidden, encoder Gaussian, prior, decoder hidden, decoder logits.
  public var layers: [Dense] { [encoderHidden, encoderGaussian, prior, decoderHidden, decoderLogits] }

  /// A conditional VAE d-h-z-h-d with C classes; the networks initialised like PyTorch's
  /// `nn.Linear`, the prior at 𝒩(0, I) for every class (zero weights and bias).
  public init(
    inputDimension: Int = 784, hiddenDimension: Int = 256, latentDimension: Int = 10, classCount: Int = 10,
    using rng: inout SeededGenerator
  ) {
    let (d, h, k, c) = (inputDimension, hiddenDimension, latentDimension, classCount)
    encoderHidden = Dense(inputs: d + c, outputs: h, activation: .relu, using: &rng)
    encoderGaussian = Dense(inputs: h, outputs: 2 * k, using: &rng)
    prior = Dense(weight: FloatMatrix(rows: c, cols: 2 * k), bias: [Float](repeating: 0, count: 2 * k))
    decoderHidden = Dense(inputs: k + c, outputs: h, activation: .relu, using: &rng)
    decoderLogits = Dense(inputs: h, outputs: d, using: &rng)
  }

  /// A conditional VAE from its five layers.
  ///
  /// - Throws: ``ModelError/invalidArgument(model:message:)`` naming the shapes when they do not chain.
  public init(encoderHidden: Dense, encoderGaussian: Dense, prior: Dense, decoderHidden: Dense, decoderLogits: Dense)
    throws
  {
    let (c, k2) = (prior.inputCount, prior.outputCount)
    let d = decoderLogits.outputCount
    guard k2 % 2 == 0, encoderHidden.inputCount == d + c, encoderGaussian.inputCount == encoderHidden.outputCount,
      encoderGaussian.outputCount == k2, decoderHidden.inputCount == k2 / 2 + c,
      decoderLogits.inputCount == decoderHidden.outputCount
    else {
      let shapes = [encoderHidden, encoderGaussian, prior, decoderHidden, decoderLogits].map {
        "\($0.inputCount)x\($0.outputCount)"
      }
      throw ModelError.invalidArgument(
        model: "ConditionalVAE",
        message: "layers \(shapes.joined(separator: ", ")) do not chain as (d+C)xh, hx2k, Cx2k, (k+C)xh, hxd")
    }
    self.encoderHidden = encoderHidden; self.encoderGaussian = encoderGaussian; self.prior = prior
    self.decoderHidden = decoderHidden; self.decoderLogits = decoderLogits
  }

  // MARK: The model

  /// The one-hot rows e_y of `labels` (n × C).
  ///
  /// - Throws: ``ModelError/invalidArgument(model:message:)`` for a label outside 0..<C.
  public func oneHotLabels(_ labels: [Int]) throws -> FloatMatrix {
    if let bad = labels.firstIndex(where: { $0 < 0 || $0 >= classCount }) {
      throw ModelError.invalidArgument(
        model: "ConditionalVAE", message: "label \(labels[bad]) at position \(bad) is outside 0..<\(classCount)")
    }
    return try oneHot(labels, categories: classCount)
  }

  /// The prior p(z | y) of each label: its mean m(y) and log-variance log s²(y), n × latent each.
  public func priorGaussian(_ labels: [Int]) throws -> (mean: FloatMatrix, logVariance: FloatMatrix) {
    let tape = Tape<FloatMatrix>()
    let p = try onTape(tape, trainable: false)[2](tape.constant(oneHotLabels(labels)))
    return (try p.columns(0..<latentDimension).value, try p.columns(latentDimension..<(2 * latentDimension)).value)
  }

  /// q(z | x, y): the mean μ and log-variance log σ² for each row of x with its label.
  public func encode(_ x: FloatMatrix, labels: [Int]) throws -> (mean: FloatMatrix, logVariance: FloatMatrix) {
    try checkData(x, labels: labels, "encode")
    let tape = Tape<FloatMatrix>()
    let layers = try onTape(tape, trainable: false)
    let y = tape.constant(try oneHotLabels(labels))
    let g = try layers[1](layers[0](Variable.concatenatingColumns([tape.constant(x), y])))
    return (try g.columns(0..<latentDimension).value, try g.columns(latentDimension..<(2 * latentDimension)).value)
  }

  /// p(x | z, y): the Bernoulli logits ℓ(z, y), one row per latent row and label.
  public func decode(_ z: FloatMatrix, labels: [Int]) throws -> FloatMatrix {
    guard z.cols == latentDimension, z.rows == labels.count else {
      throw ModelError.invalidArgument(
        model: "ConditionalVAE",
        message:
          "decode: latents \(z.shapeDescription) and \(labels.count) labels for a \(latentDimension)-dimensional latent space"
      )
    }
    let tape = Tape<FloatMatrix>()
    let layers = try onTape(tape, trainable: false)
    let y = tape.constant(try oneHotLabels(labels))
    return try layers[4](layers[3](Variable.concatenatingColumns([tape.constant(z), y]))).value
  }

  /// Samples of the generative model for given standard-normal noise ε (n × latent): the codes
  /// z = m(y) + s(y) ⊙ ε of the class priors, decoded to pixel probabilities σ(ℓ(z, y)). The
  /// same row of ε under two labels is the same point of each prior in standardized units.
  public func generate(noise: FloatMatrix, labels: [Int]) throws -> FloatMatrix {
    let (m, logS2) = try priorGaussian(labels)
    guard noise.rows == m.rows, noise.cols == m.cols else {
      throw ModelError.invalidArgument(
        model: "ConditionalVAE",
        message: "generate: noise \(noise.shapeDescription) for \(labels.count) labels and \(latentDimension) latents")
    }
    return try decode(VariationalAutoencoder.reparameterize(mean: m, logVariance: logS2, noise: noise), labels: labels)
      .sigmoid
  }

  // MARK: The bound

  /// The SGVB estimate of ELBO(x | y) for each row of x with its label and the noise ε
  /// (n × latent): log p(x | z, y) at z = μ + σ ⊙ ε, and KL(q(z | x, y) ‖ p(z | y)) in closed form.
  public func elbo(_ x: FloatMatrix, labels: [Int], noise: FloatMatrix) throws -> ELBO {
    let tape = Tape<FloatMatrix>()
    let terms = try record(x, labels: labels, noise: noise, layers: onTape(tape, trainable: false))
    return ELBO(
      reconstruction: terms.reconstruction.value.scalars.map(Double.init), kl: terms.kl.value.scalars.map(Double.init))
  }

  /// The same estimate with fresh noise for every row, in chunks of `batchSize` rows.
  public func elbo(_ x: FloatMatrix, labels: [Int], using rng: inout SeededGenerator, batchSize: Int = 1000) throws
    -> ELBO
  {
    try checkData(x, labels: labels, "elbo")
    var total = ELBO(reconstruction: [], kl: [])
    for start in stride(from: 0, to: x.rows, by: Swift.max(batchSize, 1)) {
      let end = Swift.min(start + Swift.max(batchSize, 1), x.rows)
      let part = try elbo(
        x.rows(start..<end), labels: Array(labels[start..<end]),
        noise: rng.normalFloatMatrix(rows: end - start, cols: latentDimension))
      total.reconstruction += part.reconstruction
      total.kl += part.kl
    }
    return total
  }

  /// The two terms of the bound recorded on a tape: log p(x | z, y) and KL(q ‖ p(z | y)), m×1 each.
  struct Terms {
    let reconstruction: Variable<FloatMatrix>
    let kl: Variable<FloatMatrix>
  }

  /// The forward pass on the tape of `layers` (from ``onTape(_:trainable:)``).
  func record(_ x: FloatMatrix, labels: [Int], noise: FloatMatrix, layers: [Dense.OnTape]) throws -> Terms {
    try checkData(x, labels: labels, "elbo")
    guard noise.rows == x.rows, noise.cols == latentDimension else {
      throw ModelError.invalidArgument(
        model: "ConditionalVAE",
        message: "elbo: noise \(noise.shapeDescription) for data \(x.shapeDescription) and \(latentDimension) latents")
    }
    let tape = layers[0].weight.tape, k = latentDimension
    let y = tape.constant(try oneHotLabels(labels))
    // q(z | x, y) and p(z | y).
    let posterior = try layers[1](layers[0](Variable.concatenatingColumns([tape.constant(x), y])))
    let mean = try posterior.columns(0..<k), logVariance = try posterior.columns(k..<(2 * k))
    let classPrior = try layers[2](y)
    let priorMean = try classPrior.columns(0..<k), priorLogVariance = try classPrior.columns(k..<(2 * k))
    // z = μ + σ ⊙ ε, decoded with its label.
    let z = try reparameterize(mean: mean, logVariance: logVariance, noise: noise)
    let logits = try layers[4](layers[3](Variable.concatenatingColumns([z, y])))
    return Terms(
      reconstruction: try bernoulliLogLikelihood(logits: logits, targets: x),
      kl: try gaussianKL(
        mean: mean, logVariance: logVariance, priorMean: priorMean, priorLogVariance: priorLogVariance))
  }

  /// The five layers on `tape`: as parameters (for training) or as constants (for evaluation).
  func onTape(_ tape: Tape<FloatMatrix>, trainable: Bool) throws -> [Dense.OnTape] {
    layers.map { layer in
      if trainable { return layer.parameters(on: tape) }
      return Dense.OnTape(
        weight: tape.constant(layer.weight),
        bias: tape.constant(FloatMatrix(rows: 1, cols: layer.bias.count, scalars: layer.bias)),
        activation: layer.activation)
    }
  }

  func checkData(_ x: FloatMatrix, labels: [Int], _ operation: String) throws {
    guard x.cols == inputDimension, x.rows == labels.count else {
      throw ModelError.invalidArgument(
        model: "ConditionalVAE",
        message:
          "\(operation): data \(x.shapeDescription) with \(labels.count) labels for a \(inputDimension)-dimensional model"
      )
    }
  }
}
