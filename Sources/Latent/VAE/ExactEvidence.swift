import Foundation

extension VariationalAutoencoder {
  /// The decoder's likelihood of fixed binary data at any latent points,
  ///
  ///     log p(x | z) = Σᵢ [xᵢ ℓᵢ(z) − softplus(ℓᵢ(z))],
  ///
  /// for ``EvidenceQuadrature`` (the latent space must be 2-D). At points shared by every data
  /// point the logits L (G × d) are decoded once and all the data are scored by one matrix
  /// product, X Lᵀ − 1 (Σᵢ softplus(L_gi))ᵀ, in Float (an absolute error of about 10⁻³ nats:
  /// enough to find where a posterior lies). At one data point's own points each logit row is
  /// scored by itself: Float terms, eight at a time, summed in Double every 64 (as
  /// ``binaryCrossEntropy(logits:targets:)`` sums them, in another order).
  /// Points are decoded 2048 at a time.
  public struct BernoulliLikelihood: LatentLikelihood {
    /// The model.
    public let model: VariationalAutoencoder
    /// The data, one binary image per row.
    public let data: FloatMatrix

    public var count: Int { data.rows }

    static let chunk = 2048

    public func logLikelihoods(at z: Matrix) -> Matrix {
      require(z.cols == 2, "BernoulliLikelihood.logLikelihoods: latent points \(z.shapeDescription), needs G x 2")
      let (n, d, points) = (data.rows, data.cols, z.rows)
      var out = Matrix(rows: n, cols: points)
      for start in stride(from: 0, to: points, by: Self.chunk) {
        let end = Swift.min(start + Self.chunk, points)
        let logits = model.decode(FloatMatrix(z.rows(start..<end)))
        let softplusSums = logits.scalars.withUnsafeBufferPointer { l in
          (0..<(end - start)).map { g in Self.softplusSum(l.baseAddress! + g * d, count: d) }
        }
        let products = data.timesTranspose(logits)  // n × chunk
        for i in 0..<n {
          for g in 0..<(end - start) {
            out.scalars[i * points + start + g] = Double(products.scalars[i * (end - start) + g]) - softplusSums[g]
          }
        }
      }
      return out
    }

    public func logLikelihoods(of n: Int, at z: Matrix) -> [Double] {
      require(n >= 0 && n < data.rows, "BernoulliLikelihood.logLikelihoods: data point \(n) of \(data.rows)")
      require(z.cols == 2, "BernoulliLikelihood.logLikelihoods: latent points \(z.shapeDescription), needs G x 2")
      let d = data.cols
      var out = [Double]()
      out.reserveCapacity(z.rows)
      for start in stride(from: 0, to: z.rows, by: Self.chunk) {
        let end = Swift.min(start + Self.chunk, z.rows)
        let logits = model.decode(FloatMatrix(z.rows(start..<end)))
        logits.scalars.withUnsafeBufferPointer { l in
          data.scalars.withUnsafeBufferPointer { x in
            for g in 0..<(end - start) {
              out.append(-Self.crossEntropy(l.baseAddress! + g * d, x.baseAddress! + n * d, count: d))
            }
          }
        }
      }
      return out
    }

    /// Σᵢ [softplus(ℓᵢ) − xᵢ ℓᵢ] over one row (the row's binary cross-entropy; without targets,
    /// Σᵢ softplus(ℓᵢ)): the terms in Float, eight at a time, accumulated in Double every 64.
    @inline(__always)
    static func crossEntropy(_ l: UnsafePointer<Float>, _ x: UnsafePointer<Float>?, count d: Int) -> Double {
      let zero = Float8(repeating: 0)
      var acc = zero, total = 0.0, j = 0
      while j + 8 <= d {
        let v = l.load8(j)
        let negative = v .< zero
        var term =
          v.replacing(with: zero, where: negative)
          + FastMath.log1pUnit(FastMath.exp(v.replacing(with: -v, where: .!negative)))
        if let x { term -= x.load8(j) * v }
        acc += term
        j += 8
        if j % 64 == 0 {
          total += Double(acc.sum())
          acc = zero
        }
      }
      total += Double(acc.sum())
      while j < d {
        let v = l[j]
        total += Double(Swift.max(v, 0) - (x?[j] ?? 0) * v + FastMath.log1pUnit(FastMath.exp(-Swift.abs(v))))
        j += 1
      }
      return total
    }

    /// Σᵢ softplus(ℓᵢ) over one row.
    @inline(__always)
    static func softplusSum(_ l: UnsafePointer<Float>, count d: Int) -> Double { crossEntropy(l, nil, count: d) }
  }

  /// The decoder's likelihood of the rows of x (binary images) for ``EvidenceQuadrature``.
  /// - Throws: ``QuadratureError/shapeMismatch(_:)`` unless the latent space is 2-D and x has
  ///   ``inputDimension`` columns.
  public func likelihood(of x: FloatMatrix) throws -> BernoulliLikelihood {
    guard latentDimension == 2 else {
      throw QuadratureError.shapeMismatch(
        "VariationalAutoencoder.likelihood: a \(latentDimension)-dimensional latent space; grid quadrature needs 2")
    }
    guard x.cols == inputDimension else {
      throw QuadratureError.shapeMismatch(
        "VariationalAutoencoder.likelihood: data \(x.shapeDescription) for a \(inputDimension)-dimensional VAE")
    }
    return BernoulliLikelihood(model: self, data: x)
  }

  /// The encoder's q(z | x) = 𝒩(μ(x), diag σ²(x)) of each row of x, in Double.
  public func encoderGaussians(_ x: FloatMatrix) -> [Gaussian] {
    let (mean, logVariance) = encode(x)
    let k = latentDimension
    return (0..<x.rows).map { i in
      Gaussian(
        DiagonalGaussian(
          mean: Vector((0..<k).map { Double(mean[i, $0]) }),
          logVariance: Vector((0..<k).map { Double(logVariance[i, $0]) })))
    }
  }

  /// The exact posterior p(z | x) of each row of x (binary images) on a grid of its own, and
  /// with it log p(x) (``GridPosterior/logEvidence``), for a VAE with a 2-D latent space; see
  /// ``EvidenceQuadrature`` for how the grids are chosen. Each grid also covers the encoder's
  /// q(z | x), so that its ELBO can be computed on the grid (``GridPosterior/elbo(of:)``).
  public func gridPosteriors(_ x: FloatMatrix, quadrature: EvidenceQuadrature = EvidenceQuadrature()) throws
    -> [GridPosterior]
  {
    try quadrature.posteriors(likelihood(of: x), covering: encoderGaussians(x))
  }

  /// The posterior of each row of x on the grid given for it.
  public func gridPosteriors(_ x: FloatMatrix, on grids: [LatentGrid]) throws -> [GridPosterior] {
    try EvidenceQuadrature().posteriors(likelihood(of: x), on: grids)
  }
}
