import Foundation

extension VariationalAutoencoder {
  /// The importance-weighted bound (Burda, Grosse & Salakhutdinov 2016) of each row of x,
  ///
  ///     L_k(x) = log (1/k) Σᵢ p(x | zᵢ) p(zᵢ) / q(zᵢ | x),   zᵢ ~ q(z | x) independently,
  ///
  /// estimated with one draw of the k samples per image. E[L₁] is the ELBO, E[L_k] does not
  /// decrease with k, and L_k → log p(x) as k → ∞. With zᵢ = μ + σ ⊙ εᵢ the log-weight is
  /// log p(x | zᵢ) − ½‖zᵢ‖² + ½‖εᵢ‖² + ½ Σⱼ log σⱼ² (the 2π terms cancel).
  /// Images are processed `batchSize` at a time (k·batchSize decoder rows at once).
  public func importanceWeightedBound(
    _ x: FloatMatrix, samples k: Int, using rng: inout SeededGenerator,
    batchSize: Int = 200
  ) -> [Double] {
    let w = logImportanceWeights(x, samples: k, using: &rng, batchSize: batchSize)
    return (0..<w.rows).map { i in logMeanExp(w.row(i)) }
  }

  /// The log importance weights log wᵢₛ = log p(xᵢ | zᵢₛ) + log p(zᵢₛ) − log q(zᵢₛ | xᵢ) of k
  /// independent draws zᵢₛ ~ q(z | xᵢ) for each row xᵢ of x: an n × k matrix, one row per image.
  /// The log-mean-exp of a row is that image's estimate of L_k; the mean of a row estimates the
  /// ELBO. Draws as ``importanceWeightedBound(_:samples:using:batchSize:)`` does.
  public func logImportanceWeights(
    _ x: FloatMatrix, samples k: Int, using rng: inout SeededGenerator,
    batchSize: Int = 200
  ) -> Matrix {
    requireInput(x, "logImportanceWeights")
    require(k >= 1 && batchSize >= 1, "logImportanceWeights: needs k ≥ 1 and a positive batch size")
    let (d, zd) = (inputDimension, latentDimension)
    var weights = [Double]()
    weights.reserveCapacity(x.rows * k)
    for start in stride(from: 0, to: x.rows, by: batchSize) {
      let end = Swift.min(start + batchSize, x.rows), n = end - start
      let chunk = x.rows(start..<end)
      let (mean, logVariance) = encode(chunk)
      // Row i·k + s holds sample s of image i.
      let eps = rng.normalFloatMatrix(rows: n * k, cols: zd)
      var z = FloatMatrix(rows: n * k, cols: zd)
      var targets = FloatMatrix(rows: n * k, cols: d)
      var priorTerm = [Double](repeating: 0, count: n * k)
      for i in 0..<n {
        var halfLogDet = 0.0
        for j in 0..<zd { halfLogDet += 0.5 * Double(logVariance[i, j]) }
        for s in 0..<k {
          let r = i * k + s
          var e2 = 0.0, z2 = 0.0
          for j in 0..<zd {
            let e = eps.scalars[r * zd + j]
            let v = mean.scalars[i * zd + j] + Foundation.exp(0.5 * logVariance.scalars[i * zd + j]) * e
            z.scalars[r * zd + j] = v
            e2 += Double(e * e); z2 += Double(v * v)
          }
          priorTerm[r] = -0.5 * z2 + 0.5 * e2 + halfLogDet
          targets.scalars.withUnsafeMutableBufferPointer { t in
            chunk.scalars.withUnsafeBufferPointer { c in
              (t.baseAddress! + r * d).update(from: c.baseAddress! + i * d, count: d)
            }
          }
        }
      }
      let crossEntropy = Self.binaryCrossEntropy(logits: decode(z), targets: targets)
      for r in 0..<(n * k) { weights.append(-crossEntropy[r] + priorTerm[r]) }
    }
    return Matrix(rows: x.rows, cols: k, scalars: weights)
  }

  /// The objective an ``AEVBTrainer`` step minimises on the batch x with noise ε (summed over
  /// the rows), and its gradient with respect to every parameter, shaped like the model.
  /// `step` sets the KL weight under annealing. This is the trainer's own backward pass, exposed
  /// for gradient checks.
  public func lossAndGradient(
    _ x: FloatMatrix, noise: FloatMatrix, objective: VAEObjective = .elbo,
    step: Int = 1
  ) -> (loss: Double, gradient: VariationalAutoencoder) {
    requireInput(x, "lossAndGradient")
    require(
      noise.rows == x.rows && noise.cols == latentDimension,
      "lossAndGradient: noise \(noise.shapeDescription) for \(x.rows) rows and \(latentDimension) latents")
    let trainer = AEVBTrainer(model: self, objective: objective, batchSize: Swift.max(x.rows, 1))
    x.scalars.withUnsafeBufferPointer { trainer.buffers.x.update(from: $0.baseAddress!, count: x.count) }
    noise.scalars.withUnsafeBufferPointer { trainer.buffers.epsilon.update(from: $0.baseAddress!, count: noise.count) }
    let report = trainer.forwardBackward(rows: x.rows, klWeight: objective.klWeight(atStep: step))
    return (report.objective, trainer.layout.unflatten(trainer.gradient))
  }
}
