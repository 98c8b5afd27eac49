import Foundation

/// Minibatch AEVB for a ``ConditionalVAE``: each step binarizes a minibatch afresh (dynamic
/// binarization), draws ε ~ 𝒩(0, I), records −Σ ELBO(x | y) over the batch on a ``Tape``, and
/// takes one ``Adam`` step on the five layers with the tape's gradients.
///
/// The loss is summed over the batch, as in PyTorch's VAE example. The trainer is `Codable`
/// (model, optimizer moments, counters), so a chapter checkpoint restores it mid-training.
///
/// ```swift
/// let trainer = try ConditionalVAETrainer(model: cvae, optimizer: Adam(learningRate: 1e-3), batchSize: 128)
/// for _ in 1...5 { try trainer.trainEpoch(on: images, labels: labels, using: &rng) }
/// let trained = trainer.model
/// ```
public final class ConditionalVAETrainer: Codable {
  /// The model being trained (updated in place by every step).
  public private(set) var model: ConditionalVAE
  /// The optimizer and its moment estimates (slots 2i and 2i + 1: layer i's weight and bias).
  public private(set) var optimizer: Adam
  /// Rows per minibatch (the last batch of an epoch may be smaller).
  public let batchSize: Int
  /// Epochs completed.
  public private(set) var epoch = 0
  /// Steps taken over all epochs.
  public private(set) var step = 0

  /// Starts training `model` with `optimizer`.
  ///
  /// - Throws: ``ModelError/invalidArgument(model:message:)`` for a batch size below 1.
  public init(model: ConditionalVAE, optimizer: Adam = Adam(), batchSize: Int = 128) throws {
    guard batchSize > 0 else {
      throw ModelError.invalidArgument(
        model: "ConditionalVAETrainer", message: "batch size \(batchSize); it must be positive")
    }
    self.model = model; self.optimizer = optimizer; self.batchSize = batchSize
  }

  /// One step on binary data `bits` with their labels and noise ε (rows × latent): returns
  /// −Σ ELBO(x | y) over the rows before the update.
  ///
  /// - Throws: ``ModelError/invalidArgument(model:message:)`` naming the shapes when the data,
  ///   labels or noise do not fit the model, and ``AutodiffError/nonFiniteLoss(value:)`` (with
  ///   the model untouched) when the loss is NaN or infinite.
  @discardableResult
  public func step(bits: FloatMatrix, labels: [Int], noise: FloatMatrix) throws -> Double {
    var gradients: [Dense.Gradient] = [], loss = 0.0
    do {  // the tape is released before the update, so Adam changes the layers in place
      let tape = Tape<FloatMatrix>()
      let layers = try model.onTape(tape, trainable: true)
      let terms = try model.record(bits, labels: labels, noise: noise, layers: layers)
      let objective = try (terms.kl - terms.reconstruction).sum()
      loss = objective.scalar
      let tapeGradients = try tape.gradients(of: objective)
      gradients = try layers.map { try tapeGradients.gradient(of: $0) }
    }
    optimizer.nextStep()
    step += 1
    optimizer.update(&model.encoderHidden, gradient: gradients[0], slot: 0)
    optimizer.update(&model.encoderGaussian, gradient: gradients[1], slot: 1)
    optimizer.update(&model.prior, gradient: gradients[2], slot: 2)
    optimizer.update(&model.decoderHidden, gradient: gradients[3], slot: 3)
    optimizer.update(&model.decoderLogits, gradient: gradients[4], slot: 4)
    return loss
  }

  /// One pass over `images` (intensities in [0, 1]) in a random order of minibatches drawn
  /// from `rng`, each binarized afresh with new noise: returns the mean −ELBO per image over
  /// the epoch's steps (the model changes while it is measured).
  ///
  /// - Throws: ``ModelError/invalidArgument(model:message:)`` when the images and labels do
  ///   not fit the model or each other, and the errors of ``step(bits:labels:noise:)``.
  @discardableResult
  public func trainEpoch(on images: FloatMatrix, labels: [Int], using rng: inout SeededGenerator) throws -> Double {
    try model.checkData(images, labels: labels, "trainEpoch")
    var total = 0.0
    for rows in rng.minibatches(count: images.rows, batchSize: batchSize) {
      let bits = images.rows(at: rows).binarized(using: &rng)
      let noise = rng.normalFloatMatrix(rows: rows.count, cols: model.latentDimension)
      total += try step(bits: bits, labels: rows.map { labels[$0] }, noise: noise)
    }
    epoch += 1
    return total / Double(Swift.max(images.rows, 1))
  }
}
