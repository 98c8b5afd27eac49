import Foundation

/// Synthetic binary data from a fixed, randomly drawn MLP decoder with a low-dimensional latent
/// (the kind of generator He et al. 2019 use to study posterior collapse, with an MLP for
/// their LSTM):
///
///     z ~ 𝒩(0, I_k),   h = tanh(z A + a),   xⱼ | z ~ Bernoulli(σ(h B + b)ⱼ),   j = 1…d,
///
/// with A (k × m) ~ 𝒩(0, s²), a ~ 𝒩(0, 1), B (m × d) ~ 𝒩(0, 4s²/m), b ~ 𝒩(0, 1) drawn once
/// from the generator passed to the initializer (s = `scale`, default 2). Large A saturates the
/// tanh units, so the data gather in clusters along a curved 2-D family of bit patterns.
public struct RandomDecoderData: Sendable, Hashable, Codable {
  /// A, latent × hidden.
  public let latentWeight: Matrix
  /// a, one per hidden unit.
  public let latentBias: [Double]
  /// B, hidden × data dimension.
  public let outputWeight: Matrix
  /// b, one per bit.
  public let outputBias: [Double]

  /// k, the generator's latent dimension.
  public var latentDimension: Int { latentWeight.rows }
  /// d, bits per data point.
  public var dataDimension: Int { outputWeight.cols }

  /// Draws a generator with `latentDimension` latents, `hiddenDimension` tanh units and
  /// `dataDimension` bits.
  /// - Throws: ``ModelError/invalidArgument(model:message:)`` for a dimension below 1 or a
  ///   scale that is not positive and finite.
  public init(
    latentDimension k: Int = 2, hiddenDimension m: Int = 16, dataDimension d: Int = 16, scale s: Double = 2,
    using rng: inout SeededGenerator
  ) throws {
    guard k >= 1, m >= 1, d >= 1, s > 0, s.isFinite else {
      throw ModelError.invalidArgument(
        model: "RandomDecoderData",
        message: "latent \(k), hidden \(m), data dimension \(d), scale \(s); needs dimensions ≥ 1 and a positive scale")
    }
    latentWeight = Matrix(rows: k, cols: m) { _, _ in s * rng.normal() }
    latentBias = (0..<m).map { _ in rng.normal() }
    let outputScale = 2 * s / Double(m).squareRoot()
    outputWeight = Matrix(rows: m, cols: d) { _, _ in outputScale * rng.normal() }
    outputBias = (0..<d).map { _ in rng.normal() }
  }

  /// σ(tanh(z A + a) B + b) for each row of z: the bits' probabilities, n × d.
  public func probabilities(_ z: Matrix) throws -> Matrix {
    guard z.cols == latentDimension else {
      throw ModelError.featureCountMismatch(model: "RandomDecoderData", expected: latentDimension, got: z.cols)
    }
    var h = z * latentWeight
    for i in 0..<h.rows { for j in 0..<h.cols { h[i, j] = Foundation.tanh(h[i, j] + latentBias[j]) } }
    var logits = h * outputWeight
    for i in 0..<logits.rows { for j in 0..<logits.cols { logits[i, j] = sigmoid(logits[i, j] + outputBias[j]) } }
    return logits
  }

  /// `count` data points, one per row (n × d, entries 0 or 1): z from 𝒩(0, I) (row by row), then
  /// each bit as 1 when U < its probability, U = `rng.uniform()` in row-major order.
  public func sample(count n: Int, using rng: inout SeededGenerator) throws -> Matrix {
    guard n >= 0 else {
      throw ModelError.invalidArgument(model: "RandomDecoderData", message: "sample count \(n); needs ≥ 0")
    }
    let p = try probabilities(rng.normalMatrix(rows: n, cols: latentDimension))
    return p.map { rng.uniform() < $0 ? 1 : 0 }
  }
}
