import Foundation

extension ProbabilisticPCA {
  /// The Gaussian likelihood of fixed data at any latent points of a PPCA with q = 2,
  ///
  ///     log p(x | z) = −(d/2) log 2πσ² − ‖x − μ − Wz‖²/(2σ²),
  ///
  /// expanded as ‖r‖² − 2 (rᵀW) z + zᵀ (WᵀW) z with r = x − μ, so a data point costs O(d)
  /// once and O(1) per point. Its evidence has the closed form p(x) = 𝒩(μ, WWᵀ + σ²I)
  /// (``logLikelihood(_:)``), which is what makes it the check of ``EvidenceQuadrature``.
  public struct GaussianLikelihood: LatentLikelihood {
    /// The model.
    public let model: ProbabilisticPCA
    /// The data, one observation per row.
    public let data: Matrix
    /// ‖xₙ − μ‖², rᵀW (n × 2) and WᵀW (2 × 2), precomputed.
    let squaredNorms: [Double], projections: Matrix, gram: Matrix
    /// −(d/2) log 2πσ² and 2σ², the same for every point and cell.
    let logNormaliser: Double, twiceNoiseVariance: Double

    init(model: ProbabilisticPCA, data: Matrix) {
      self.model = model
      self.data = data
      let r = data - model.mean
      squaredNorms = (r ⊙ r).rowSums.scalars
      projections = r * model.loadings
      gram = model.loadings.transposeTimes(model.loadings)
      logNormaliser = -0.5 * Double(data.cols) * log(2 * Double.pi * model.noiseVariance)
      twiceNoiseVariance = 2 * model.noiseVariance
    }

    public var count: Int { data.rows }

    public func logLikelihoods(at z: Matrix) -> Matrix {
      Matrix(rows: data.rows, cols: z.rows) { i, g in value(i, z[g, 0], z[g, 1]) }
    }

    public func logLikelihoods(of n: Int, at z: Matrix) -> [Double] {
      require(n >= 0 && n < data.rows, "GaussianLikelihood.logLikelihoods: data point \(n) of \(data.rows)")
      return (0..<z.rows).map { value(n, z[$0, 0], z[$0, 1]) }
    }

    func value(_ i: Int, _ z1: Double, _ z2: Double) -> Double {
      let cross = projections[i, 0] * z1 + projections[i, 1] * z2
      let quadratic = gram[0, 0] * z1 * z1 + 2 * gram[0, 1] * z1 * z2 + gram[1, 1] * z2 * z2
      return logNormaliser - (squaredNorms[i] - 2 * cross + quadratic) / twiceNoiseVariance
    }
  }

  /// The likelihood of the rows of X for ``EvidenceQuadrature``.
  /// - Throws: the model's own ``ModelError`` when its parameters are invalid (they are mutable),
  ///   ``QuadratureError/shapeMismatch(_:)`` unless the model has 2 components and X has
  ///   ``featureCount`` columns.
  public func likelihood(of X: Matrix) throws -> GaussianLikelihood {
    try validateParameters()
    guard componentCount == 2 else {
      throw QuadratureError.shapeMismatch(
        "ProbabilisticPCA.likelihood: \(componentCount) components; grid quadrature needs a 2-D latent space")
    }
    guard X.cols == featureCount else {
      throw QuadratureError.shapeMismatch(
        "ProbabilisticPCA.likelihood: data \(X.shapeDescription) for a model with \(featureCount) features")
    }
    return GaussianLikelihood(model: self, data: X)
  }
}
