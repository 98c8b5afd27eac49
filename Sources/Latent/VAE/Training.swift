import Foundation

/// Minibatch AEVB (Kingma & Welling 2014, Algorithm 1) for a ``VariationalAutoencoder``:
/// for each minibatch, draw ε, evaluate the SGVB estimate of the ELBO, backpropagate through
/// the reparameterisation z = μ + σ ⊙ ε, and take an ``Adam`` step.
///
/// The trainer owns the parameters while it trains (in one flat array, updated by one fused
/// Adam pass) and every per-step buffer, allocated once for `batchSize` rows: a step
/// allocates nothing. Read the current model with ``model``.
///
/// ```swift
/// let trainer = AEVBTrainer(model: vae, optimizer: Adam(learningRate: 1e-3), batchSize: 128)
/// for _ in 1...10 { try trainer.trainEpoch(on: train.images, using: &rng) }
/// let trained = trainer.model
/// ```
///
/// Progress (epoch, −ELBO per image) goes to stderr unless ``reportsProgress`` is false.
public final class AEVBTrainer {
  /// Rows per minibatch (the last batch of an epoch may be smaller).
  public let batchSize: Int
  /// The optimiser and its moment estimates.
  public var optimizer: Adam
  /// β, KL annealing and free bits.
  public var objective: VAEObjective
  /// Whether each minibatch is binarized afresh before the step (``Binarization/dynamic``).
  public var binarization: Binarization
  /// Print one line per epoch to stderr.
  public var reportsProgress = true
  /// Epochs begun so far.
  public private(set) var epoch = 0
  /// Steps taken so far, over all epochs.
  public private(set) var step = 0
  /// Steps taken in the current epoch.
  public private(set) var stepInEpoch = 0

  let inputs: Int, hidden: Int, latent: Int
  let layout: VAELayout
  /// θ and ∂L/∂θ, flat, in ``VAELayout`` order.
  var parameters: [Float]
  var gradient: [Float]
  let buffers: Buffers
  /// Worker threads for the step (`LATENT_THREADS`, default 2).
  let threads: Int

  /// Starts training `model` (its parameters are copied). With `binarization: .dynamic` every
  /// minibatch is drawn as Bernoulli(pixel intensity) from the generator passed to each step,
  /// so the data must lie in [0, 1].
  public init(
    model: VariationalAutoencoder, optimizer: Adam = Adam(), objective: VAEObjective = .elbo,
    batchSize: Int = 128, binarization: Binarization = .none
  ) {
    require(batchSize > 0, "AEVBTrainer: batch size must be positive, got \(batchSize)")
    self.batchSize = batchSize
    self.optimizer = optimizer
    self.objective = objective
    self.binarization = binarization
    inputs = model.inputDimension; hidden = model.hiddenDimension; latent = model.latentDimension
    layout = VAELayout(inputs: inputs, hidden: hidden, latent: latent)
    parameters = layout.flatten(model)
    gradient = [Float](repeating: 0, count: parameters.count)
    buffers = Buffers(batch: batchSize, inputs: inputs, hidden: hidden, latent: latent)
    threads = BLAS.environmentThreadCount()
  }

  /// The model with the current parameters (a copy).
  public var model: VariationalAutoencoder { layout.unflatten(parameters) }

  /// What one step computed, summed over its minibatch.
  public struct StepReport: Sendable, Codable {
    /// Examples in the minibatch.
    public var count: Int
    /// Σ −log p(x | z) (binary cross-entropy) over the batch.
    public var reconstructionLoss: Double
    /// Σ KL(q(z | x) ‖ p(z)) over the batch.
    public var kl: Double
    /// The minimised objective (the negative ELBO summed over the batch for
    /// ``VAEObjective/elbo``; divided by ``count`` when the objective averages).
    public var objective: Double
    /// The KL weight wₜ used.
    public var klWeight: Float
    /// −ELBO summed over the batch.
    public var negativeELBO: Double { reconstructionLoss + kl }
  }

  /// What an epoch computed, averaged per example (nats per image).
  public struct EpochReport: Sendable, Codable {
    public var epoch: Int
    /// Mean −ELBO per example over the epoch's steps (the model changes while it is measured).
    public var negativeELBO: Double
    /// Mean −log p(x | z).
    public var reconstructionLoss: Double
    /// Mean KL, the rate.
    public var kl: Double
    /// Wall-clock seconds.
    public var seconds: Double
  }

  /// One pass over `data` in a random order of minibatches drawn from `rng`.
  @discardableResult
  public func trainEpoch(on data: FloatMatrix, using rng: inout SeededGenerator) throws -> EpochReport {
    guard data.cols == inputs else {
      throw TrainingError.badInput("trainEpoch: data \(data.shapeDescription) for a \(inputs)-dimensional VAE")
    }
    epoch += 1
    stepInEpoch = 0
    let start = Date()
    var rec = 0.0, kl = 0.0, count = 0
    // OpenBLAS single-threaded for the whole epoch (the steps split work themselves); each
    // step's own request then finds it so and changes nothing.
    try BLAS.singleThreaded {
      for batch in rng.minibatches(count: data.rows, batchSize: batchSize) {
        let r = try self.step(on: data, rows: batch, using: &rng)
        rec += r.reconstructionLoss; kl += r.kl; count += r.count
      }
    }
    let n = Double(Swift.max(count, 1))
    let report = EpochReport(
      epoch: epoch, negativeELBO: (rec + kl) / n, reconstructionLoss: rec / n, kl: kl / n,
      seconds: Date().timeIntervalSince(start))
    if reportsProgress {
      let line = String(
        format: "epoch %d: -ELBO %.2f nats/image (reconstruction %.2f, KL %.2f), %.1f s, %.0f images/s\n",
        report.epoch, report.negativeELBO, report.reconstructionLoss, report.kl, report.seconds,
        n / Swift.max(report.seconds, 1e-9))
      FileHandle.standardError.write(Data(line.utf8))
    }
    return report
  }

  /// One AEVB step on the rows `rows` of `data`: binarize them (under ``Binarization/dynamic``),
  /// sample ε, forward, backward, Adam update. Throws
  /// ``TrainingError/nonFinite(quantity:epoch:step:)`` (and leaves the parameters untouched)
  /// when the loss is NaN or infinite, and ``TrainingError/badInput(_:)`` when dynamic
  /// binarization meets a value outside [0, 1].
  @discardableResult
  public func step(on data: FloatMatrix, rows: [Int], using rng: inout SeededGenerator) throws -> StepReport {
    guard data.cols == inputs else {
      throw TrainingError.badInput("step: data \(data.shapeDescription) for a \(inputs)-dimensional VAE")
    }
    guard rows.count <= batchSize, !rows.isEmpty else {
      throw TrainingError.badInput("step: \(rows.count) rows for a trainer with batch size \(batchSize)")
    }
    if epoch == 0 { epoch = 1 }
    stepInEpoch += 1
    step += 1
    let n = rows.count
    // Gather (or binarize) the minibatch, then draw ε.
    let x = buffers.x, d = inputs
    let dynamic = binarization == .dynamic
    let inRange = data.scalars.withUnsafeBufferPointer { src in
      var inRange = true
      for (k, i) in rows.enumerated() {
        require(i >= 0 && i < data.rows, "step: row \(i) out of range for \(data.shapeDescription) data")
        if dynamic {
          let valid = BinarizationKernel.sample(src.baseAddress! + i * d, into: x + k * d, count: d, using: &rng)
          inRange = inRange && valid
        } else {
          (x + k * d).update(from: src.baseAddress! + i * d, count: d)
        }
      }
      return inRange
    }
    guard inRange else {
      throw TrainingError.badInput(
        "step: dynamic binarization needs data in [0, 1] (epoch \(epoch), step \(stepInEpoch))")
    }
    let eps = buffers.epsilon
    if objective.stochastic {
      for k in 0..<(n * latent) { eps[k] = Float(rng.normal()) }
    } else {
      eps.update(repeating: 0, count: n * latent)
    }
    let report = forwardBackward(rows: n, klWeight: objective.klWeight(atStep: step))
    guard report.objective.isFinite else {
      throw TrainingError.nonFinite(quantity: "loss", epoch: epoch, step: stepInEpoch)
    }
    optimizer.nextStep()
    let count = parameters.count
    let par = parallelism
    parameters.withUnsafeMutableBufferPointer { p in
      gradient.withUnsafeBufferPointer { g in
        optimizer.update(p.baseAddress!, gradient: g.baseAddress!, count: count, slot: 0, parallelism: par)
      }
    }
    return report
  }

  /// Loss and gradient for the batch already in `buffers.x` (first `n` rows) with the noise
  /// in `buffers.epsilon`; the gradient lands in `gradient`.
  func forwardBackward(rows n: Int, klWeight: Float) -> StepReport {
    BLAS.singleThreaded { forwardBackwardKernels(rows: n, klWeight: klWeight) }
  }

  /// How the step's products and Adam update are split: `LATENT_THREADS` (default 2) blocks.
  var parallelism: Parallelism { Parallelism(parts: threads) }

  func forwardBackwardKernels(rows n: Int, klWeight: Float) -> StepReport {
    let (d, h, z) = (inputs, hidden, latent)
    let b = buffers, L = layout
    var report = StepReport(count: n, reconstructionLoss: 0, kl: 0, objective: 0, klWeight: klWeight)
    let freeBits = objective.freeBits
    let par = parallelism
    parameters.withUnsafeMutableBufferPointer { pp in
      gradient.withUnsafeMutableBufferPointer { gp in
        let p = pp.baseAddress!, g = gp.baseAddress!
        // Encoder: h₁ = ReLU(x W₁ + b₁), [μ | log σ²] = h₁ W₂ + b₂.
        DenseKernel.forward(
          x: b.x, rows: n, inputs: d, outputs: h, weight: p + L.w1, bias: p + L.b1, activation: .relu,
          into: b.h1, parallelism: par)
        DenseKernel.forward(
          x: b.h1, rows: n, inputs: h, outputs: 2 * z, weight: p + L.w2, bias: p + L.b2,
          activation: .identity, into: b.gaussian)
        // Reparameterise: z = μ + σ ⊙ ε, σ = exp(½ log σ²); KL per dimension summed over the batch.
        let klSums = b.klPerDimension
        klSums.update(repeating: 0, count: z)
        for i in 0..<n {
          let row = b.gaussian + i * 2 * z
          for j in 0..<z {
            let mu = row[j], lv = row[z + j]
            let s = Foundation.exp(0.5 * lv)
            b.sigma[i * z + j] = s
            b.z[i * z + j] = mu + s * b.epsilon[i * z + j]
            klSums[j] += Double(0.5 * (s * s + mu * mu - 1 - lv))
          }
        }
        // Decoder: h₂ = ReLU(z W₃ + b₃), ℓ = h₂ W₄ + b₄.
        DenseKernel.forward(
          x: b.z, rows: n, inputs: z, outputs: h, weight: p + L.w3, bias: p + L.b3, activation: .relu,
          into: b.h2)
        DenseKernel.forward(
          x: b.h2, rows: n, inputs: h, outputs: d, weight: p + L.w4, bias: p + L.b4,
          activation: .identity, into: b.logits, parallelism: par)
        // Loss and its gradient in one pass: BCE = softplus(ℓ) − xℓ, ∂BCE/∂ℓ = σ(ℓ) − x,
        // overwriting the logits; bias gradient and per-column loss sums accumulated alongside.
        report.reconstructionLoss = VAEKernels.bernoulliLossAndGradient(
          logits: b.logits, targets: b.x, rows: n, cols: d, biasGradient: g + L.b4, columnLoss: b.columnLoss)
        // Backward through the decoder.
        DenseKernel.weightGradient(
          x: b.h2, delta: b.logits, rows: n, inputs: h, outputs: d, into: g + L.w4,
          accumulate: false, parallelism: par)
        DenseKernel.inputGradient(
          delta: b.logits, weight: p + L.w4, rows: n, inputs: h, outputs: d, into: b.dh2,
          parallelism: par)
        DenseKernel.activationBackward(
          output: b.h2, gradient: b.dh2, rows: n, cols: h, activation: .relu,
          biasGradient: g + L.b3, accumulate: false)
        DenseKernel.weightGradient(
          x: b.z, delta: b.dh2, rows: n, inputs: z, outputs: h, into: g + L.w3, accumulate: false)
        DenseKernel.inputGradient(delta: b.dh2, weight: p + L.w3, rows: n, inputs: z, outputs: h, into: b.dz)
        // Through z = μ + σ ⊙ ε and the weighted KL: ∂/∂μ = δz + w μ, ∂/∂log σ² = ½ δz ε σ + ½ w (σ² − 1).
        var kl = 0.0, objectiveKL = 0.0
        for j in 0..<z {
          kl += klSums[j]
          let free = freeBits > 0 && klSums[j] < Double(freeBits) * Double(n)
          b.klWeights[j] = free ? 0 : klWeight
          objectiveKL += Double(klWeight) * (free ? Double(freeBits) * Double(n) : klSums[j])
        }
        report.kl = kl
        report.objective = report.reconstructionLoss + objectiveKL
        for i in 0..<n {
          let row = b.gaussian + i * 2 * z, drow = b.dGaussian + i * 2 * z
          for j in 0..<z {
            let dz = b.dz[i * z + j], s = b.sigma[i * z + j], w = b.klWeights[j]
            drow[j] = dz + w * row[j]
            drow[z + j] = 0.5 * dz * b.epsilon[i * z + j] * s + 0.5 * w * (s * s - 1)
          }
        }
        // Backward through the encoder (no gradient with respect to the data).
        DenseKernel.activationBackward(
          output: b.gaussian, gradient: b.dGaussian, rows: n, cols: 2 * z,
          activation: .identity, biasGradient: g + L.b2, accumulate: false)
        DenseKernel.weightGradient(
          x: b.h1, delta: b.dGaussian, rows: n, inputs: h, outputs: 2 * z, into: g + L.w2,
          accumulate: false)
        DenseKernel.inputGradient(delta: b.dGaussian, weight: p + L.w2, rows: n, inputs: h, outputs: 2 * z, into: b.dh1)
        DenseKernel.activationBackward(
          output: b.h1, gradient: b.dh1, rows: n, cols: h, activation: .relu,
          biasGradient: g + L.b1, accumulate: false)
        DenseKernel.weightGradient(
          x: b.x, delta: b.dh1, rows: n, inputs: d, outputs: h, into: g + L.w1, accumulate: false,
          parallelism: par)
      }
    }
    // The batch mean instead of the sum: loss and gradient scaled by 1/n.
    if objective.reduction == .mean {
      report.objective /= Double(n)
      let scale = 1 / Float(n)
      gradient.withUnsafeMutableBufferPointer { g in
        for i in g.indices { g[i] *= scale }
      }
    }
    return report
  }

  /// Every per-step buffer, allocated once.
  final class Buffers {
    let storage: UnsafeMutablePointer<Float>
    let x, h1, gaussian, sigma, epsilon, z, h2, logits, dh2, dz, dGaussian, dh1, columnLoss,
      klWeights: UnsafeMutablePointer<Float>
    let klPerDimension: UnsafeMutablePointer<Double>

    init(batch m: Int, inputs d: Int, hidden h: Int, latent z: Int) {
      let sizes = [m * d, m * h, m * 2 * z, m * z, m * z, m * z, m * h, m * d, m * h, m * z, m * 2 * z, m * h, d, z]
      // Each buffer starts on a 64-byte boundary.
      let padded = sizes.map { ($0 + 15) / 16 * 16 }
      let total = padded.reduce(0, +)
      let raw = UnsafeMutableRawPointer.allocate(byteCount: total * 4, alignment: 64)
      storage = raw.bindMemory(to: Float.self, capacity: total)
      storage.initialize(repeating: 0, count: total)
      var offsets = [Int](), o = 0
      for s in padded { offsets.append(o); o += s }
      x = storage + offsets[0]; h1 = storage + offsets[1]; gaussian = storage + offsets[2]; sigma = storage + offsets[3]
      epsilon = storage + offsets[4]; self.z = storage + offsets[5]; h2 = storage + offsets[6]
      logits = storage + offsets[7]; dh2 = storage + offsets[8]; dz = storage + offsets[9]
      dGaussian = storage + offsets[10]; dh1 = storage + offsets[11]; columnLoss = storage + offsets[12]
      klWeights = storage + offsets[13]
      klPerDimension = UnsafeMutablePointer<Double>.allocate(capacity: z)
      klPerDimension.initialize(repeating: 0, count: z)
    }
    deinit {
      UnsafeMutableRawPointer(storage).deallocate()
      klPerDimension.deallocate()
    }
  }
}

/// Where each parameter array of a VAE sits in the trainer's flat vector:
/// W₁, b₁, W₂, b₂, W₃, b₃, W₄, b₄.
struct VAELayout {
  let inputs: Int, hidden: Int, latent: Int
  let w1: Int, b1: Int, w2: Int, b2: Int, w3: Int, b3: Int, w4: Int, b4: Int, count: Int

  init(inputs d: Int, hidden h: Int, latent z: Int) {
    inputs = d; hidden = h; latent = z
    w1 = 0; b1 = w1 + d * h; w2 = b1 + h; b2 = w2 + h * 2 * z; w3 = b2 + 2 * z; b3 = w3 + z * h
    w4 = b3 + h; b4 = w4 + h * d; count = b4 + d
  }

  func flatten(_ m: VariationalAutoencoder) -> [Float] {
    var out = [Float](); out.reserveCapacity(count)
    for layer in m.layers { out += layer.weight.scalars; out += layer.bias }
    return out
  }

  func unflatten(_ p: [Float]) -> VariationalAutoencoder {
    func layer(_ w: Int, _ b: Int, _ rows: Int, _ cols: Int, _ f: Activation) -> Dense {
      Dense(
        weight: FloatMatrix(rows: rows, cols: cols, scalars: Array(p[w..<(w + rows * cols)])),
        bias: Array(p[b..<(b + cols)]), activation: f)
    }
    let (d, h, z) = (inputs, hidden, latent)
    return VariationalAutoencoder(
      encoderHidden: layer(w1, b1, d, h, .relu), encoderGaussian: layer(w2, b2, h, 2 * z, .identity),
      decoderHidden: layer(w3, b3, z, h, .relu), decoderLogits: layer(w4, b4, h, d, .identity))
  }
}

/// The fused elementwise passes of VAE training.
enum VAEKernels {
  /// For logits ℓ and targets x (m × n): returns Σ [softplus(ℓ) − xℓ] (the binary
  /// cross-entropy, in Double), overwrites ℓ with σ(ℓ) − x, and sets ∂L/∂b = column sums of
  /// that gradient. One pass; every inner loop is branch-free and vectorises.
  static func bernoulliLossAndGradient(
    logits l: UnsafeMutablePointer<Float>, targets x: UnsafePointer<Float>,
    rows m: Int, cols n: Int, biasGradient gb: UnsafeMutablePointer<Float>,
    columnLoss acc: UnsafeMutablePointer<Float>
  ) -> Double {
    gb.update(repeating: 0, count: n)
    var total = 0.0
    var i = 0
    let zero = Float8(repeating: 0), one = Float8(repeating: 1)
    while i < m {
      // Column-wise Float accumulators over at most 32 rows, then summed into Double.
      acc.update(repeating: 0, count: n)
      let end = Swift.min(i + 32, m)
      for r in i..<end {
        let lr = l + r * n, xr = x + r * n
        var j = 0
        while j + 8 <= n {
          let v = lr.load8(j), t = xr.load8(j)
          let negative = v .< zero
          let e = FastMath.exp(v.replacing(with: -v, where: .!negative))
          acc.store8(acc.load8(j) + (v.replacing(with: zero, where: negative) - t * v + FastMath.log1pUnit(e)), j)
          let s = one / (one + e)
          let g = s.replacing(with: e * s, where: negative) - t
          lr.store8(g, j)
          gb.store8(gb.load8(j) + g, j)
          j += 8
        }
        while j < n {
          let v = lr[j], t = xr[j]
          let e = FastMath.exp(-Swift.abs(v))
          acc[j] += Swift.max(v, 0) - t * v + FastMath.log1pUnit(e)
          let s = 1 / (1 + e)
          let g = (v >= 0 ? s : e * s) - t
          lr[j] = g
          gb[j] += g
          j += 1
        }
      }
      for j in 0..<n { total += Double(acc[j]) }
      i = end
    }
    return total
  }
}

/// Saved as its model, optimiser state, settings and counters: a restored trainer takes the
/// same next step as the saved one (chapter checkpoints rely on this). Scratch buffers are
/// allocated afresh.
extension AEVBTrainer: Codable {
  enum CodingKeys: String, CodingKey {
    case model, batchSize, optimizer, objective, binarization, reportsProgress, epoch, step, stepInEpoch
  }

  public convenience init(from decoder: any Decoder) throws {
    let container = try decoder.container(keyedBy: CodingKeys.self)
    self.init(
      model: try container.decode(VariationalAutoencoder.self, forKey: .model),
      optimizer: try container.decode(Adam.self, forKey: .optimizer),
      objective: try container.decode(VAEObjective.self, forKey: .objective),
      batchSize: try container.decode(Int.self, forKey: .batchSize),
      binarization: try container.decode(Binarization.self, forKey: .binarization))
    reportsProgress = try container.decode(Bool.self, forKey: .reportsProgress)
    epoch = try container.decode(Int.self, forKey: .epoch)
    step = try container.decode(Int.self, forKey: .step)
    stepInEpoch = try container.decode(Int.self, forKey: .stepInEpoch)
  }

  public func encode(to encoder: any Encoder) throws {
    var container = encoder.container(keyedBy: CodingKeys.self)
    try container.encode(model, forKey: .model)
    try container.encode(batchSize, forKey: .batchSize)
    try container.encode(optimizer, forKey: .optimizer)
    try container.encode(objective, forKey: .objective)
    try container.encode(binarization, forKey: .binarization)
    try container.encode(reportsProgress, forKey: .reportsProgress)
    try container.encode(epoch, forKey: .epoch)
    try container.encode(step, forKey: .step)
    try container.encode(stepInEpoch, forKey: .stepInEpoch)
  }
}
