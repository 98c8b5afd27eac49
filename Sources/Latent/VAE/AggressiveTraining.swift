import Foundation

/// Training an ``AutoregressiveVAE``, basic or aggressive (He et al. 2019, Algorithm 1).
///
/// - **Basic**: each minibatch's SGVB gradient updates encoder and decoder together.
/// - **Aggressive**: before each decoder update, the encoder alone takes steps on fresh random
///   minibatches until the bound stops improving — the loss summed over the last
///   ``innerWindow`` encoder steps is no lower than over the window before, or
///   ``maximumInnerSteps`` were taken — then the decoder takes one step on the epoch's
///   minibatch. After each epoch the encoder's mutual information I_q
///   (``PosteriorCollapse/mutualInformation(mean:logVariance:points:)``) is computed on held-out
///   data, and when it has not risen above its best for ``patience`` epochs in a row
///   aggressive training ends and the basic steps take over. He et al. stop at the first epoch
///   whose I_q is no higher than the last one's (``patience`` 1); with small epochs, where I_q
///   near 0 is mostly noise, a longer patience keeps one unlucky epoch from ending it.
///
/// This is variational EM with a partial E-step: the inner loop moves q toward the posterior of
/// the current decoder (E), the decoder step raises the bound with q held (M). Encoder and
/// decoder each have their own ``Adam``.
public struct AggressiveTrainer: Sendable, Codable {
  /// The model being trained.
  public var model: AutoregressiveVAE
  /// Adam for the encoder's parameters.
  public var encoderOptimizer: Adam
  /// Adam for the decoder's parameters.
  public var decoderOptimizer: Adam
  /// Rows per minibatch.
  public let batchSize: Int
  /// Whether the next epoch runs aggressive steps.
  public var aggressive: Bool
  /// Encoder steps per window of the inner loop's stopping test.
  public var innerWindow = 10
  /// The most encoder steps before one decoder step.
  public var maximumInnerSteps = 100
  /// The grid for I_q on held-out data.
  public var informationGrid: [Double]
  /// Aggressive epochs in a row without a new highest I_q that end aggressive training.
  public var patience = 1
  /// The highest I_q on held-out data after an aggressive epoch so far.
  public private(set) var bestInformation = -Double.infinity
  /// Aggressive epochs since I_q last reached a new high.
  public private(set) var epochsWithoutRise = 0
  /// Encoder and decoder updates taken so far.
  public private(set) var encoderSteps = 0, decoderSteps = 0

  /// What one epoch did.
  public struct EpochReport: Sendable, Codable {
    /// Whether the epoch's steps were aggressive.
    public var aggressive: Bool
    /// The SGVB negative ELBO per data point, averaged over the epoch's minibatches (before each update).
    public var negativeELBO: Double
    /// Encoder updates and decoder updates in the epoch.
    public var encoderSteps: Int, decoderSteps: Int
    /// I_q on the held-out data at the epoch's end.
    public var heldOutInformation: Double
  }

  /// A trainer for `model`, aggressive at first when `aggressive` is true.
  /// - Throws: ``ModelError/invalidArgument(model:message:)`` for a batch size below 1.
  public init(
    model: AutoregressiveVAE, aggressive: Bool, batchSize: Int = 50, learningRate: Float = 1e-3,
    informationGrid: [Double]? = nil
  ) throws {
    guard batchSize >= 1 else {
      throw ModelError.invalidArgument(model: "AggressiveTrainer", message: "batch size \(batchSize); needs ≥ 1")
    }
    self.model = model
    self.aggressive = aggressive
    self.batchSize = batchSize
    encoderOptimizer = Adam(learningRate: learningRate)
    decoderOptimizer = Adam(learningRate: learningRate)
    self.informationGrid = try informationGrid ?? LinePosterior.grid(-8...8, cells: 1600)
  }

  /// The negative ELBO of `x` and its gradient for every parameter (``AutoregressiveVAE/parameters`` order).
  func lossAndGradients(_ x: Matrix, using rng: inout SeededGenerator) throws -> (Double, [Matrix]) {
    let tape = Tape<Matrix>()
    let (loss, p) = try model.negativeELBO(x, noise: rng.normalMatrix(rows: x.rows, cols: 1), on: tape)
    let g = try tape.gradients(of: loss)
    return (loss.scalar, try p.map { try g[$0] })
  }

  mutating func update(_ gradients: [Matrix], _ indices: Range<Int>, encoder: Bool) {
    if encoder {
      encoderOptimizer.nextStep(); encoderSteps += 1
    } else {
      decoderOptimizer.nextStep(); decoderSteps += 1
    }
    for i in indices {
      if encoder {
        encoderOptimizer.update(&model.parameters[i].scalars, gradient: gradients[i].scalars, slot: i)
      } else {
        decoderOptimizer.update(&model.parameters[i].scalars, gradient: gradients[i].scalars, slot: i)
      }
    }
  }

  /// One basic step on `x`: encoder and decoder updated from the same gradient. Returns the loss before it.
  @discardableResult
  public mutating func basicStep(on x: Matrix, using rng: inout SeededGenerator) throws -> Double {
    let (loss, g) = try lossAndGradients(x, using: &rng)
    update(g, AutoregressiveVAE.encoderParameters, encoder: true)
    update(g, AutoregressiveVAE.decoderParameters, encoder: false)
    return loss
  }

  /// One aggressive step: the inner loop of encoder updates on minibatches drawn from `data`,
  /// then one decoder update on `x`. Returns the loss of `x` before the decoder's update.
  @discardableResult
  public mutating func aggressiveStep(on x: Matrix, data: Matrix, using rng: inout SeededGenerator) throws -> Double {
    var previousWindow = Double.infinity, window = 0.0, steps = 0
    while steps < maximumInnerSteps {
      let rows = (0..<batchSize).map { _ in rng.integer(below: data.rows) }
      let (loss, g) = try lossAndGradients(data.rows(at: rows), using: &rng)
      update(g, AutoregressiveVAE.encoderParameters, encoder: true)
      window += loss
      steps += 1
      if steps % innerWindow == 0 {
        if window >= previousWindow { break }
        previousWindow = window
        window = 0
      }
    }
    let (loss, g) = try lossAndGradients(x, using: &rng)
    update(g, AutoregressiveVAE.decoderParameters, encoder: false)
    return loss
  }

  /// The stopping rule after an aggressive epoch whose held-out I_q is `information`: a new
  /// high resets the count, anything else adds one, and ``patience`` of them end aggressive training.
  mutating func recordInformation(_ information: Double) {
    if information > bestInformation {
      bestInformation = information
      epochsWithoutRise = 0
    } else {
      epochsWithoutRise += 1
      if epochsWithoutRise >= patience { aggressive = false }
    }
  }

  /// One pass over `data` in a random order, in minibatches of ``batchSize`` (the last partial
  /// one dropped), aggressive or basic as ``aggressive`` says; then I_q on `heldOut`, which ends
  /// aggressive training when it has not reached a new high for ``patience`` epochs.
  /// - Throws: ``ModelError/featureCountMismatch(model:expected:got:)`` for data of the wrong
  ///   width, ``ModelError/notEnoughSamples(model:samples:)`` for fewer rows than a minibatch.
  public mutating func trainEpoch(on data: Matrix, heldOut: Matrix, using rng: inout SeededGenerator) throws
    -> EpochReport
  {
    guard data.rows >= batchSize else {
      throw ModelError.notEnoughSamples(
        model: "AggressiveTrainer.trainEpoch (batch size \(batchSize))", samples: data.rows)
    }
    let wasAggressive = aggressive, before = (encoderSteps, decoderSteps)
    let order = rng.permutation(data.rows)
    var total = 0.0, batches = 0
    for start in stride(from: 0, through: data.rows - batchSize, by: batchSize) {
      let x = data.rows(at: Array(order[start..<(start + batchSize)]))
      total += try aggressive ? aggressiveStep(on: x, data: data, using: &rng) : basicStep(on: x, using: &rng)
      batches += 1
    }
    let q = try model.encode(heldOut)
    let information = try PosteriorCollapse.mutualInformation(
      mean: q.mean, logVariance: q.logVariance, points: informationGrid)
    if aggressive { recordInformation(information) }
    return EpochReport(
      aggressive: wasAggressive, negativeELBO: total / Double(batches), encoderSteps: encoderSteps - before.0,
      decoderSteps: decoderSteps - before.1, heldOutInformation: information)
  }
}
