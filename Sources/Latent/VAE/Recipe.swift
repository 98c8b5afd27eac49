import Foundation

/// One complete, reproducible training run of a ``VariationalAutoencoder``: architecture,
/// objective, optimiser, minibatches, binarization and length. ``train(on:seed:)`` initialises
/// the model and trains it with a generator of its own seeded by `seed`, so a run depends on
/// nothing but its recipe, its data and its seed, and runs with different seeds are independent
/// (the way to measure how much a result varies from run to run).
///
/// ```swift
/// let recipe = VAETrainingRecipe(epochs: 3)
/// let models = try [1, 2, 3].map { try recipe.train(on: images, seed: $0) }
/// ```
public struct VAETrainingRecipe: Sendable, Hashable, Codable {
  /// Width of both hidden layers.
  public var hiddenDimension: Int
  /// The dimension of z.
  public var latentDimension: Int
  /// β, annealing, free bits, sum or mean.
  public var objective: VAEObjective
  /// Adam's step size α.
  public var learningRate: Float
  /// Rows per minibatch.
  public var batchSize: Int
  /// Passes over the data.
  public var epochs: Int
  /// How the data meet the Bernoulli likelihood.
  public var binarization: Binarization

  /// Chapter 6's configuration by default: 400 hidden units, 20 latents, the ELBO summed over
  /// minibatches of 128, Adam with α = 10⁻³, dynamic binarization.
  public init(
    hiddenDimension: Int = 400, latentDimension: Int = 20, objective: VAEObjective = .elbo,
    learningRate: Float = 1e-3, batchSize: Int = 128, epochs: Int, binarization: Binarization = .dynamic
  ) {
    require(
      hiddenDimension > 0 && latentDimension > 0 && batchSize > 0 && epochs >= 0 && learningRate > 0,
      "VAETrainingRecipe: sizes, epochs and learning rate must be positive")
    self.hiddenDimension = hiddenDimension; self.latentDimension = latentDimension
    self.objective = objective; self.learningRate = learningRate; self.batchSize = batchSize
    self.epochs = epochs; self.binarization = binarization
  }

  /// Minibatch steps in one epoch over `rows` examples.
  public func stepsPerEpoch(rows: Int) -> Int { (rows + batchSize - 1) / batchSize }

  /// A new model, initialised from `SeededGenerator(seed: seed)` and trained by ``AEVBTrainer``
  /// for ``epochs`` epochs on `data` with the same generator (minibatch order, binarization, ε).
  public func train(on data: FloatMatrix, seed: UInt64) throws -> VariationalAutoencoder {
    var rng = SeededGenerator(seed: seed)
    let model = VariationalAutoencoder(
      inputDimension: data.cols, hiddenDimension: hiddenDimension, latentDimension: latentDimension, using: &rng)
    let trainer = AEVBTrainer(
      model: model, optimizer: Adam(learningRate: learningRate), objective: objective, batchSize: batchSize,
      binarization: binarization)
    for _ in 0..<epochs { try trainer.trainEpoch(on: data, using: &rng) }
    return trainer.model
  }
}
