import XCTest

@testable import Latent

/// The VAE: its bound against a Double re-implementation, the trainer's gradient against
/// central differences of it, IWAE, training behaviour and failures.
final class VAETests: XCTestCase {
  /// The objective of ``VAEObjective`` in Double, from scratch: layers, reparameterisation,
  /// stable binary cross-entropy, analytic KL, β, free bits.
  func referenceLoss(
    _ p: [Double], layout L: VAELayout, x: [Double], noise: [Double], rows n: Int,
    klWeight: Double, freeBits: Double
  ) -> (loss: Double, klPerDimension: [Double]) {
    let (d, h, z) = (L.inputs, L.hidden, L.latent)
    func dense(_ input: [Double], _ i: Int, _ o: Int, _ w: Int, _ b: Int, relu: Bool) -> [Double] {
      var out = [Double](repeating: 0, count: n * o)
      for r in 0..<n {
        for j in 0..<o {
          var a = p[b + j]
          for k in 0..<i { a += input[r * i + k] * p[w + k * o + j] }
          out[r * o + j] = relu ? max(a, 0) : a
        }
      }
      return out
    }
    let h1 = dense(x, d, h, L.w1, L.b1, relu: true)
    let g = dense(h1, h, 2 * z, L.w2, L.b2, relu: false)
    var zs = [Double](repeating: 0, count: n * z), kl = [Double](repeating: 0, count: z)
    for r in 0..<n {
      for j in 0..<z {
        let mu = g[r * 2 * z + j], lv = g[r * 2 * z + z + j]
        zs[r * z + j] = mu + exp(0.5 * lv) * noise[r * z + j]
        kl[j] += 0.5 * (exp(lv) + mu * mu - 1 - lv)
      }
    }
    let h2 = dense(zs, z, h, L.w3, L.b3, relu: true)
    let logits = dense(h2, h, d, L.w4, L.b4, relu: false)
    var bce = 0.0
    for k in logits.indices { let l = logits[k]; bce += max(l, 0) + log1p(exp(-abs(l))) - x[k] * l }
    var klTerm = 0.0
    for j in 0..<z {
      klTerm += klWeight * (freeBits > 0 && kl[j] < freeBits * Double(n) ? freeBits * Double(n) : kl[j])
    }
    return (bce + klTerm, kl)
  }

  struct Setup {
    var model: VariationalAutoencoder
    var x: FloatMatrix
    var noise: FloatMatrix
  }

  func smallSetup(seed: UInt64, rows: Int = 4, d: Int = 7, h: Int = 6, z: Int = 3) -> Setup {
    var rng = SeededGenerator(seed: seed)
    let model = VariationalAutoencoder(inputDimension: d, hiddenDimension: h, latentDimension: z, using: &rng)
    let x = FloatMatrix(rows: rows, cols: d, scalars: (0..<(rows * d)).map { _ in Float(rng.uniform()) })
    return Setup(model: model, x: x, noise: rng.normalFloatMatrix(rows: rows, cols: z))
  }

  func checkGradient(
    _ s: Setup, objective: VAEObjective, step: Int = 1, file: StaticString = #filePath, line: UInt = #line
  ) {
    let L = VAELayout(inputs: s.model.inputDimension, hidden: s.model.hiddenDimension, latent: s.model.latentDimension)
    var p = L.flatten(s.model).map(Double.init)
    let x = s.x.scalars.map(Double.init), e = s.noise.scalars.map(Double.init)
    let w = Double(objective.klWeight(atStep: step)), fb = Double(objective.freeBits)
    let (loss, gradient) = s.model.lossAndGradient(s.x, noise: s.noise, objective: objective, step: step)
    let ref = referenceLoss(p, layout: L, x: x, noise: e, rows: s.x.rows, klWeight: w, freeBits: fb).loss
    XCTAssertEqual(loss, ref, accuracy: 1e-4 * abs(ref), "loss", file: file, line: line)
    let analytic = L.flatten(gradient)
    XCTAssertEqual(analytic.count, p.count)
    let h = 1e-6
    var worst = 0.0
    for k in p.indices {
      let old = p[k]
      p[k] = old + h
      let up = referenceLoss(p, layout: L, x: x, noise: e, rows: s.x.rows, klWeight: w, freeBits: fb).loss
      p[k] = old - h
      let down = referenceLoss(p, layout: L, x: x, noise: e, rows: s.x.rows, klWeight: w, freeBits: fb).loss
      p[k] = old
      let fd = (up - down) / (2 * h)
      let err = abs(Double(analytic[k]) - fd) / max(1, abs(fd))
      worst = max(worst, err)
      XCTAssertLessThan(
        err, 1e-4, "parameter \(k): analytic \(analytic[k]) vs finite difference \(fd)", file: file, line: line)
    }
    XCTAssertGreaterThan(analytic.map { abs($0) }.max()!, 1e-3, "gradient is not all zero", file: file, line: line)
  }

  func testELBOGradientAgainstFiniteDifferences() {
    checkGradient(smallSetup(seed: 11), objective: .elbo)
  }

  func testBetaAndAnnealedGradientAgainstFiniteDifferences() {
    checkGradient(smallSetup(seed: 12), objective: VAEObjective(beta: 4))
    checkGradient(smallSetup(seed: 13), objective: VAEObjective(beta: 2, klWarmupSteps: 10), step: 3)
  }

  func testFreeBitsGradientAgainstFiniteDifferences() {
    let s = smallSetup(seed: 14)
    // A floor between the dimensions' KLs, so some are free and some are not.
    let L = VAELayout(inputs: 7, hidden: 6, latent: 3)
    let kl = referenceLoss(
      L.flatten(s.model).map(Double.init), layout: L, x: s.x.scalars.map(Double.init),
      noise: s.noise.scalars.map(Double.init), rows: 4, klWeight: 1, freeBits: 0
    ).klPerDimension
    let sorted = kl.sorted().map { $0 / 4 }
    let floor = Float((sorted[0] + sorted[1]) / 2)
    checkGradient(s, objective: VAEObjective(freeBits: floor))
  }

  func testAnnealingWeights() {
    let o = VAEObjective(beta: 2, klWarmupSteps: 4)
    XCTAssertEqual([1, 2, 4, 100].map { o.klWeight(atStep: $0) }, [0.5, 1, 2, 2])
    XCTAssertEqual(VAEObjective.elbo.klWeight(atStep: 1), 1)
  }

  /// The public forward API (encode, reparameterize, decode, BCE, KL) computes the same bound.
  func testELBOMatchesLossAndPieces() {
    let s = smallSetup(seed: 15, rows: 5)
    let elbo = s.model.elbo(s.x, noise: s.noise)
    let (loss, _) = s.model.lossAndGradient(s.x, noise: s.noise)
    XCTAssertEqual(-elbo.perExample.reduce(0, +), loss, accuracy: 1e-4 * abs(loss))
    let (mean, logVariance) = s.model.encode(s.x)
    let z = VariationalAutoencoder.reparameterize(mean: mean, logVariance: logVariance, noise: s.noise)
    XCTAssertEqual(z[1, 2], mean[1, 2] + exp(0.5 * logVariance[1, 2]) * s.noise[1, 2], accuracy: 1e-6)
    let kl = VariationalAutoencoder.klDivergence(mean: mean, logVariance: logVariance)
    let q = DiagonalGaussian(
      mean: Vector(mean.row(0).map(Double.init)),
      variance: Vector(logVariance.row(0).map { exp(Double($0)) }))
    XCTAssertEqual(kl[0], q.klDivergence(to: .standardNormal), accuracy: 1e-5)
    // The reconstruction term against the Double-precision Bernoulli density, row by row.
    let logits = s.model.decode(z)
    let bernoulli = Bernoulli(logits: Vector(logits.row(0).map(Double.init)))
    XCTAssertEqual(elbo.reconstruction[0], bernoulli.logDensity(Vector(s.x.row(0).map(Double.init))), accuracy: 1e-4)
    XCTAssertEqual(elbo.mean, zip(elbo.reconstruction, elbo.kl).map { $0 - $1 }.reduce(0, +) / 5, accuracy: 1e-9)
  }

  func testBinaryCrossEntropyIsStableForExtremeLogits() {
    let logits = FloatMatrix([[-100, 100, 0, 30, -30]])
    let x = FloatMatrix([[0, 1, 0.5, 0, 1]])
    let bce = VariationalAutoencoder.binaryCrossEntropy(logits: logits, targets: x)[0]
    XCTAssertEqual(bce, log(2) + 30 + 30, accuracy: 1e-4)
    XCTAssert(bce.isFinite)
  }

  /// E[L₁] = ELBO; L_k grows with k; L_k ≤ log p(x) is not checked (unknown).
  func testImportanceWeightedBound() {
    var rng = SeededGenerator(seed: 16)
    let model = VariationalAutoencoder(inputDimension: 20, hiddenDimension: 16, latentDimension: 4, using: &rng)
    let x = FloatMatrix(rows: 400, cols: 20, scalars: (0..<8000).map { _ in rng.uniform() < 0.3 ? 1 : 0 })
    let l1 = model.importanceWeightedBound(x, samples: 1, using: &rng, batchSize: 64)
    let elbo = model.elbo(x, using: &rng).perExample
    let diff = zip(l1, elbo).map { $0 - $1 }
    let meanDiff = diff.reduce(0, +) / 400
    let sd = (diff.map { ($0 - meanDiff) * ($0 - meanDiff) }.reduce(0, +) / 399).squareRoot()
    XCTAssertLessThan(abs(meanDiff), 4 * sd / 20, "L₁ and the ELBO estimate the same number")
    let means = [1, 5, 50].map { k in
      model.importanceWeightedBound(x, samples: k, using: &rng, batchSize: 64).reduce(0, +) / 400
    }
    XCTAssertLessThan(means[0], means[1])
    XCTAssertLessThan(means[1], means[2])
  }

  /// Training on one fixed batch drives its loss far down (the model can memorise it).
  func testOverfitsOneBatch() throws {
    var rng = SeededGenerator(seed: 17)
    let x = FloatMatrix(rows: 16, cols: 32, scalars: (0..<512).map { _ in rng.uniform() < 0.5 ? 1 : 0 })
    let model = VariationalAutoencoder(inputDimension: 32, hiddenDimension: 64, latentDimension: 8, using: &rng)
    let trainer = AEVBTrainer(model: model, optimizer: Adam(learningRate: 3e-3), batchSize: 16)
    trainer.reportsProgress = false
    let rows = Array(0..<16)
    let first = try trainer.step(on: x, rows: rows, using: &rng).negativeELBO / 16
    var last = first
    for _ in 0..<1500 { last = try trainer.step(on: x, rows: rows, using: &rng).negativeELBO / 16 }
    XCTAssertEqual(first, 32 * log(2), accuracy: 3)
    XCTAssertLessThan(last, 0.4 * first, "−ELBO per example: \(first) → \(last)")
    XCTAssertEqual(trainer.step, 1501)
  }

  func testTrainingEpochsReduceTheLossAndTheModelRoundTrips() throws {
    var rng = SeededGenerator(seed: 18)
    // Two prototypes with flipped bits.
    let protos = (0..<2).map { _ in (0..<24).map { _ in rng.uniform() < 0.5 } }
    let x = FloatMatrix(
      rows: 300, cols: 24,
      scalars: (0..<300).flatMap { i in
        protos[i % 2].map { b in Float((rng.uniform() < 0.1) != b ? 1 : 0) }
      })
    let model = VariationalAutoencoder(inputDimension: 24, hiddenDimension: 32, latentDimension: 2, using: &rng)
    let trainer = AEVBTrainer(model: model, batchSize: 32)
    trainer.reportsProgress = false
    XCTAssertEqual(trainer.model, model)
    var history = [Double]()
    for _ in 0..<8 { history.append(try trainer.trainEpoch(on: x, using: &rng).negativeELBO) }
    XCTAssertEqual(trainer.epoch, 8)
    XCTAssertLessThan(history.last!, history.first! - 2)
    let test = trainer.model.elbo(x, using: &rng)
    XCTAssertLessThan(test.negativeMean, history.first!)
    XCTAssertEqual(trainer.model.parameterCount, 24 * 32 + 32 + 32 * 4 + 4 + 2 * 32 + 32 + 32 * 24 + 24)
  }

  /// A NaN in the data stops training with the epoch and step where it appeared.
  func testNaNStopsTrainingWithEpochAndStep() throws {
    var rng = SeededGenerator(seed: 19)
    let model = VariationalAutoencoder(inputDimension: 10, hiddenDimension: 8, latentDimension: 2, using: &rng)
    let trainer = AEVBTrainer(model: model, batchSize: 10)
    trainer.reportsProgress = false
    let clean = FloatMatrix(rows: 30, cols: 10, repeating: 0.5)
    try trainer.trainEpoch(on: clean, using: &rng)
    var poisoned = clean
    poisoned[17, 3] = .nan
    // Row 17 is in one of the three batches of epoch 2; find which from the same permutation.
    var probe = rng
    let batches = probe.minibatches(count: 30, batchSize: 10)
    let badStep = batches.firstIndex { $0.contains(17) }! + 1
    XCTAssertThrowsError(try trainer.trainEpoch(on: poisoned, using: &rng)) { error in
      XCTAssertEqual(error as? TrainingError, .nonFinite(quantity: "loss", epoch: 2, step: badStep))
      XCTAssert("\(error)".contains("epoch 2, step \(badStep)"), "\(error)")
      XCTAssert("\(error)".contains("NaN"), "\(error)")
    }
    // The step that meets the NaN leaves the parameters as they were.
    let before = trainer.model
    XCTAssertThrowsError(try trainer.step(on: poisoned, rows: [17], using: &rng))
    XCTAssertEqual(trainer.model, before)
    XCTAssertThrowsError(try trainer.trainEpoch(on: FloatMatrix(rows: 3, cols: 4), using: &rng)) {
      XCTAssert("\($0)".contains("3x4"), "\($0)")
    }
  }

  func testMissingDatasetNamesTheDebianPackage() {
    XCTAssertThrowsError(try FashionMNIST.load(split: .train, directory: "/nonexistent/fashion")) {
      XCTAssert("\($0)".contains("dataset-fashion-mnist"), "\($0)")
    }
  }
}
