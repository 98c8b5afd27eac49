import XCTest

@testable import Latent

/// Binarization, the mean reduction, per-dimension KL, log importance weights and training
/// recipes, each against an independent computation.
final class VAETrainingRunTests: XCTestCase {
  /// Each intensity becomes a bit, 1 with probability equal to the intensity: frequencies over
  /// many entries within four binomial standard deviations, 0 and 1 kept exactly.
  func testBinarizedFrequenciesMatchTheIntensities() {
    let levels: [Float] = [0, 1 / 255, 0.1, 0.25, 0.5, 200 / 255, 1]
    let copies = 20_000
    let x = FloatMatrix(rows: copies, cols: levels.count, scalars: (0..<copies).flatMap { _ in levels })
    var rng = SeededGenerator(seed: 31)
    let bits = x.binarized(using: &rng)
    XCTAssert(bits.scalars.allSatisfy { $0 == 0 || $0 == 1 })
    let ones = bits.columnSums
    for (j, p) in levels.enumerated() {
      let frequency = Double(ones[j]) / Double(copies)
      let sd = (Double(p) * (1 - Double(p)) / Double(copies)).squareRoot()
      if p == 0 || p == 1 {
        XCTAssertEqual(frequency, Double(p), "level \(p)")
      } else {
        XCTAssertLessThan(abs(frequency - Double(p)), 4 * sd, "level \(p): frequency \(frequency)")
      }
    }
  }

  /// The same draws as the definition 1{U < x} with one uniform per entry, row by row.
  func testBinarizedUsesOneUniformPerEntryInRowMajorOrder() {
    var rng = SeededGenerator(seed: 32)
    let x = FloatMatrix(rows: 5, cols: 9, scalars: (0..<45).map { _ in Float(rng.uniform()) })
    var a = SeededGenerator(seed: 33), b = a
    let bits = x.binarized(using: &a)
    let reference = x.scalars.map { p -> Float in b.bernoulli(Double(p)) ? 1 : 0 }
    XCTAssertEqual(bits.scalars, reference)
    XCTAssertEqual(a.next(), b.next(), "both generators advanced by the same number of draws")
  }

  /// Under dynamic binarization a step's loss is the −ELBO of the batch binarized with the
  /// trainer's generator, then ε from the same generator, as the public forward API computes it.
  func testDynamicBinarizationStepSeesFreshBits() throws {
    var rng = SeededGenerator(seed: 34)
    let grey = FloatMatrix(rows: 12, cols: 10, scalars: (0..<120).map { _ in Float(rng.uniform()) })
    let model = VariationalAutoencoder(inputDimension: 10, hiddenDimension: 8, latentDimension: 3, using: &rng)
    let trainer = AEVBTrainer(model: model, batchSize: 6, binarization: .dynamic)
    trainer.reportsProgress = false
    let rows = [7, 2, 11, 0]
    var copy = rng
    let report = try trainer.step(on: grey, rows: rows, using: &rng)
    let bits = grey.rows(at: rows).binarized(using: &copy)
    let noise = copy.normalFloatMatrix(rows: 4, cols: 3)
    let reference = model.elbo(bits, noise: noise)
    XCTAssertEqual(report.negativeELBO, -reference.perExample.reduce(0, +), accuracy: 1e-4)
    XCTAssertEqual(rng.next(), copy.next())
    // Without binarization the grey batch itself is used.
    let plain = AEVBTrainer(model: model, batchSize: 6)
    var again = SeededGenerator(seed: 35), copy2 = again
    let greyReport = try plain.step(on: grey, rows: rows, using: &again)
    let greyReference = model.elbo(grey.rows(at: rows), noise: copy2.normalFloatMatrix(rows: 4, cols: 3))
    XCTAssertEqual(greyReport.negativeELBO, -greyReference.perExample.reduce(0, +), accuracy: 1e-4)
  }

  func testDynamicBinarizationRejectsDataOutsideTheUnitInterval() {
    var rng = SeededGenerator(seed: 36)
    let model = VariationalAutoencoder(inputDimension: 4, hiddenDimension: 3, latentDimension: 2, using: &rng)
    let trainer = AEVBTrainer(model: model, batchSize: 2, binarization: .dynamic)
    let bad = FloatMatrix([[0, 0.5, 1.5, 1], [0, 0, 0, 0]])
    let before = trainer.model
    XCTAssertThrowsError(try trainer.step(on: bad, rows: [0, 1], using: &rng)) {
      XCTAssert("\($0)".contains("[0, 1]"), "\($0)")
    }
    XCTAssertEqual(trainer.model, before)
  }

  /// The mean reduction: loss and every gradient entry are the sum's divided by the batch size
  /// (the sum's gradient is checked against finite differences in VAETests).
  func testMeanReductionDividesLossAndGradientByTheBatchSize() {
    var rng = SeededGenerator(seed: 37)
    let model = VariationalAutoencoder(inputDimension: 9, hiddenDimension: 7, latentDimension: 3, using: &rng)
    let x = FloatMatrix(rows: 5, cols: 9, scalars: (0..<45).map { _ in rng.uniform() < 0.4 ? 1 : 0 })
    let noise = rng.normalFloatMatrix(rows: 5, cols: 3)
    for objective in [VAEObjective.elbo, VAEObjective(beta: 3, freeBits: 0.2)] {
      var mean = objective
      mean.reduction = .mean
      let s = model.lossAndGradient(x, noise: noise, objective: objective)
      let m = model.lossAndGradient(x, noise: noise, objective: mean)
      XCTAssertEqual(m.loss, s.loss / 5, accuracy: 1e-9 * abs(s.loss))
      let layout = VAELayout(inputs: 9, hidden: 7, latent: 3)
      for (a, b) in zip(layout.flatten(m.gradient), layout.flatten(s.gradient)) {
        XCTAssertEqual(a, b / 5, accuracy: 1e-6 * max(1, abs(b)))
      }
    }
  }

  /// Adam is invariant to the scale of the loss up to ε: averaging over batches of n with ε/n
  /// follows the same path as summing with ε (1/n a power of two, so the scaling is exact).
  func testAdamMakesSumAndMeanTheSameUpToEpsilon() throws {
    var rng = SeededGenerator(seed: 38)
    let x = FloatMatrix(rows: 64, cols: 16, scalars: (0..<1024).map { _ in Float(rng.uniform()) })
    let model = VariationalAutoencoder(inputDimension: 16, hiddenDimension: 12, latentDimension: 4, using: &rng)
    func train(_ reduction: VAEObjective.Reduction, epsilon: Float) throws -> [Float] {
      var r = SeededGenerator(seed: 39)
      let trainer = AEVBTrainer(
        model: model, optimizer: Adam(learningRate: 1e-2, epsilon: epsilon),
        objective: VAEObjective(reduction: reduction), batchSize: 16, binarization: .dynamic)
      trainer.reportsProgress = false
      for _ in 0..<5 { try trainer.trainEpoch(on: x, using: &r) }
      return trainer.parameters
    }
    let sum = try train(.sum, epsilon: 1e-8)
    let meanScaled = try train(.mean, epsilon: 1e-8 / 16)
    let mean = try train(.mean, epsilon: 1e-8)
    let moved = zip(sum, VAELayout(inputs: 16, hidden: 12, latent: 4).flatten(model)).map { abs($0 - $1) }.max()!
    XCTAssertGreaterThan(moved, 1e-2, "training moved the parameters")
    XCTAssertLessThanOrEqual(zip(sum, meanScaled).map { abs($0 - $1) }.max()!, 1e-6)
    XCTAssertGreaterThan(zip(sum, mean).map { abs($0 - $1) }.max()!, 0, "ε alone makes a difference")
  }

  /// Per-dimension KL against DiagonalGaussian's closed form in Double, and the mean KL.
  func testKLPerDimension() {
    var rng = SeededGenerator(seed: 40)
    let model = VariationalAutoencoder(inputDimension: 6, hiddenDimension: 5, latentDimension: 3, using: &rng)
    let x = FloatMatrix(rows: 7, cols: 6, scalars: (0..<42).map { _ in Float(rng.uniform()) })
    let perDimension = model.klPerDimension(x)
    let (mean, logVariance) = model.encode(x)
    for j in 0..<3 {
      let reference =
        (0..<7).map { i in
          DiagonalGaussian(mean: [Double(mean[i, j])], logVariance: [Double(logVariance[i, j])])
            .klDivergence(to: .standardNormal)
        }.reduce(0, +) / 7
      XCTAssertEqual(perDimension[j], reference, accuracy: 1e-6)
    }
    let elbo = model.elbo(x, noise: rng.normalFloatMatrix(rows: 7, cols: 3))
    XCTAssertEqual(perDimension.reduce(0, +), elbo.meanKL, accuracy: 1e-5)
  }

  /// log w = log p(x | z) + log p(z) − log q(z | x) from the library's distributions in Double,
  /// with the same ε; the bound is each row's log-mean-exp.
  func testLogImportanceWeightsAgainstTheDistributions() {
    var rng = SeededGenerator(seed: 41)
    let model = VariationalAutoencoder(inputDimension: 12, hiddenDimension: 9, latentDimension: 3, using: &rng)
    let x = FloatMatrix(rows: 5, cols: 12, scalars: (0..<60).map { _ in rng.uniform() < 0.3 ? 1 : 0 })
    var a = SeededGenerator(seed: 42), b = a, c = a
    let w = model.logImportanceWeights(x, samples: 4, using: &a, batchSize: 2)
    XCTAssertEqual(w.rows, 5)
    XCTAssertEqual(w.cols, 4)
    let (mean, logVariance) = model.encode(x)
    let prior = DiagonalGaussian.standardNormal(dimension: 3)
    for start in stride(from: 0, to: 5, by: 2) {
      let n = min(2, 5 - start)
      let eps = b.normalFloatMatrix(rows: n * 4, cols: 3)
      for i in 0..<n {
        let row = start + i
        let q = DiagonalGaussian(
          mean: Vector((0..<3).map { Double(mean[row, $0]) }),
          logVariance: Vector((0..<3).map { Double(logVariance[row, $0]) }))
        for s in 0..<4 {
          let z = Vector((0..<3).map { j in q.mean[j] + q.standardDeviation[j] * Double(eps[i * 4 + s, j]) })
          let logits = model.decode(FloatMatrix(rows: 1, cols: 3, scalars: z.scalars.map(Float.init)))
          let likelihood = Bernoulli(logits: Vector(logits.row(0).map(Double.init)))
          let reference =
            likelihood.logDensity(Vector(x.row(row).map(Double.init))) + prior.logDensity(z) - q.logDensity(z)
          XCTAssertEqual(w[row, s], reference, accuracy: 2e-4 * max(1, abs(reference)), "image \(row), sample \(s)")
        }
      }
    }
    let bounds = model.importanceWeightedBound(x, samples: 4, using: &c, batchSize: 2)
    for i in 0..<5 { XCTAssertEqual(bounds[i], logMeanExp(w.row(i)), accuracy: 1e-12) }
  }

  /// A recipe is its trainer: the same seed gives the model a hand-built trainer gives; another
  /// seed gives another model.
  func testRecipeIsReproducibleAndMatchesTheTrainer() throws {
    var rng = SeededGenerator(seed: 43)
    let data = FloatMatrix(rows: 40, cols: 10, scalars: (0..<400).map { _ in Float(rng.uniform()) })
    let objective = VAEObjective(beta: 2, klWarmupSteps: 3)
    let recipe = VAETrainingRecipe(
      hiddenDimension: 6, latentDimension: 2, objective: objective, learningRate: 3e-3, batchSize: 8, epochs: 2)
    XCTAssertEqual(recipe.stepsPerEpoch(rows: 40), 5)
    XCTAssertEqual(recipe.stepsPerEpoch(rows: 41), 6)
    let once = try recipe.train(on: data, seed: 5)
    XCTAssertEqual(try recipe.train(on: data, seed: 5), once)
    XCTAssertNotEqual(try recipe.train(on: data, seed: 6), once)
    var r = SeededGenerator(seed: 5)
    let model = VariationalAutoencoder(inputDimension: 10, hiddenDimension: 6, latentDimension: 2, using: &r)
    let trainer = AEVBTrainer(
      model: model, optimizer: Adam(learningRate: 3e-3), objective: objective, batchSize: 8, binarization: .dynamic)
    trainer.reportsProgress = false
    for _ in 0..<2 { try trainer.trainEpoch(on: data, using: &r) }
    XCTAssertEqual(trainer.model, once)
  }
}
