import Foundation

/// A mixture of K Gaussians with full covariances: a latent-variable model whose latent
/// variable is discrete.
///
/// **Model.** Each observation x ∈ ℝᵈ first draws a component, then a point from it:
///
///     zₙ ~ Categorical(π₁, …, π_K),   xₙ | zₙ = k ~ 𝒩(μₖ, Σₖ),
///     p(xₙ) = Σₖ πₖ 𝒩(xₙ; μₖ, Σₖ).
///
/// **EM.** The E-step sets q(zₙ) to the exact posterior, the *responsibilities*
///
///     rₙₖ = p(zₙ = k | xₙ) = πₖ 𝒩(xₙ; μₖ, Σₖ) / Σⱼ πⱼ 𝒩(xₙ; μⱼ, Σⱼ),
///
/// and the M-step maximizes the expected complete-data log-likelihood in closed form, with
/// Nₖ = Σₙ rₙₖ:
///
///     πₖ = Nₖ / N,   μₖ = (1/Nₖ) Σₙ rₙₖ xₙ,   Σₖ = (1/Nₖ) Σₙ rₙₖ (xₙ − μₖ)(xₙ − μₖ)ᵀ + εI.
///
/// The bound the two steps ascend is the ELBO of chapter 01 with a sum in place of the
/// integral, ELBO(q, θ) = Σₙ Σₖ rₙₖ [log πₖ + log 𝒩(xₙ; μₖ, Σₖ) − log rₙₖ] = log p(X) − Σₙ KL(qₙ ‖ p(zₙ | xₙ)).
///
/// **Numerics.**
/// - Responsibilities and log p(xₙ) are computed from log πₖ + log 𝒩(xₙ; μₖ, Σₖ) by
///   log-sum-exp over k, so a point far from every component (all densities below the
///   smallest Double) still gets finite responsibilities and a finite log-density.
/// - Each covariance is kept as its Cholesky factor Σₖ = LₖLₖᵀ: log det Σₖ = 2 Σᵢ log (Lₖ)ᵢᵢ
///   and the Mahalanobis term ‖Lₖ⁻¹(x − μₖ)‖² come from one triangular solve for all rows;
///   Σₖ⁻¹ is never formed.
/// - The likelihood of a mixture is unbounded: a component that shrinks onto fewer than
///   d + 1 points has a singular covariance and an infinite density there. The M-step adds a
///   small ridge ε = ``ridge`` (default 10⁻⁶, scikit-learn's `reg_covar`) to the diagonal of
///   every covariance, which keeps each Σₖ positive definite (its eigenvalues are at least ε)
///   and the likelihood finite. With ε > 0 the M-step is no longer the exact maximizer of the
///   expected complete-data log-likelihood, so EM's monotonicity holds up to terms of order ε².
/// - Nₖ is taken as Σₙ rₙₖ + 10·ε_machine (as scikit-learn does), so a component that no
///   point claims keeps finite parameters.
///
/// ```swift
/// var gmm = try GaussianMixture(data: X, components: 3, using: &rng)   // random rows as means
/// let history = try gmm.fit(X)                                        // average log p per iteration
/// let clusters = try gmm.assignments(X)                               // argmaxₖ rₙₖ
/// ```
public struct GaussianMixture: Sendable, Codable {
  /// π, the mixing weights (positive, summing to 1).
  public var weights: Vector
  /// Row k is the mean μₖ of component k (K×d).
  public var means: Matrix
  /// The Cholesky factors Lₖ of the covariances Σₖ = LₖLₖᵀ.
  public var choleskyFactors: [Cholesky]
  /// The ridge ε the M-step adds to the diagonal of every covariance.
  public var ridge: Double

  /// The ridge scikit-learn's `GaussianMixture` uses by default (`reg_covar`).
  public static let defaultRidge = 1e-6

  /// The name errors give the model.
  static let modelName = "GaussianMixture"

  /// A mixture with the given parameters.
  ///
  /// - Throws: ``ModelError`` unless there is one weight, one row of `means` and one d×d
  ///   covariance per component, the weights are positive and sum to 1 (within 10⁻⁹), every
  ///   entry is finite, every covariance is positive definite and the ridge is non-negative.
  public init(weights: Vector, means: Matrix, covariances: [Matrix], ridge: Double = GaussianMixture.defaultRidge)
    throws
  {
    let k = weights.count, d = means.cols
    guard means.rows == k, covariances.count == k else {
      throw ModelError.invalidArgument(
        model: Self.modelName,
        message: "\(k) weights, means \(means.shapeDescription) and \(covariances.count) covariances; "
          + "a mixture needs one weight, one row of means and one covariance per component")
    }
    var factors: [Cholesky] = []
    for (index, sigma) in covariances.enumerated() {
      guard sigma.rows == d, sigma.cols == d else {
        throw ModelError.invalidArgument(
          model: Self.modelName,
          message: "covariance \(index) is \(sigma.shapeDescription), but means \(means.shapeDescription) "
            + "need \(d)x\(d) covariances")
      }
      try validateFinite(sigma, parameter: "covariance \(index)", model: Self.modelName)
      do {
        factors.append(try sigma.cholesky())
      } catch let error as LinearAlgebraError {
        throw ModelError.factorizationFailed(
          model: Self.modelName, matrix: "covariance \(index) (\(sigma.shapeDescription))", underlying: error)
      }
    }
    self.weights = weights
    self.means = means
    self.choleskyFactors = factors
    self.ridge = ridge
    try validateParameters()
  }

  /// The number of components K.
  public var componentCount: Int { weights.count }
  /// The number of features d.
  public var featureCount: Int { means.cols }
  /// The covariances Σₖ = LₖLₖᵀ.
  public var covariances: [Matrix] { choleskyFactors.map(\.matrix) }
  /// Component k as a ``Gaussian``.
  public func component(_ k: Int) -> Gaussian { Gaussian(mean: means.row(k), choleskyFactor: choleskyFactors[k].L) }
  /// The number of free parameters: K − 1 weights, Kd mean entries and Kd(d + 1)/2 covariance entries.
  public var parameterCount: Int {
    let k = componentCount, d = featureCount
    return (k - 1) + k * d + k * d * (d + 1) / 2
  }

  // MARK: - Densities

  /// log πₖ + log 𝒩(xₙ; μₖ, Σₖ) for every row n and component k (N×K): the log-joint
  /// log p(xₙ, zₙ = k). Each column costs one triangular solve Lₖ⁻¹(X − μₖ)ᵀ.
  ///
  /// - Throws: ``ModelError`` if X does not have one column per feature, has a NaN or
  ///   infinite entry, or the parameters are invalid.
  public func logJointDensities(_ X: Matrix) throws -> Matrix {
    try validate(X)
    let n = X.rows, k = componentCount, d = featureCount
    var out = Matrix(rows: n, cols: k)
    let constant = Double(d) * Foundation.log(2 * Double.pi)
    for c in 0..<k {
      let L = choleskyFactors[c].L
      let centred = (X - means.row(c)).transposed  // d×N
      let whitened: Matrix
      do {
        whitened = try L.solveTriangular(centred, lower: true)
      } catch let error as LinearAlgebraError {
        throw ModelError.factorizationFailed(
          model: Self.modelName, matrix: "covariance \(c) (\(d)x\(d))", underlying: error)
      }
      let squares = (whitened ⊙ whitened).columnSums
      let base = Foundation.log(weights[c]) - 0.5 * (constant + choleskyFactors[c].logDeterminant)
      for i in 0..<n { out.scalars[i * k + c] = base - 0.5 * squares[i] }
    }
    return out
  }

  /// log p(xₙ) = log Σₖ exp(log πₖ + log 𝒩(xₙ; μₖ, Σₖ)) for every row, by log-sum-exp.
  ///
  /// - Throws: ``ModelError``, as ``logJointDensities(_:)``.
  public func logDensities(_ X: Matrix) throws -> Vector {
    let joint = try logJointDensities(X)
    return Vector((0..<joint.rows).map { i in rowLogSumExp(joint, i) })
  }

  /// The log-likelihood log p(X) = Σₙ log p(xₙ).
  ///
  /// - Throws: ``ModelError``, as ``logJointDensities(_:)``.
  public func logLikelihood(_ X: Matrix) throws -> Double { try logDensities(X).sum }

  /// (1/N) log p(X), the average log-likelihood per observation (scikit-learn's `score`).
  ///
  /// - Throws: ``ModelError``, as ``logJointDensities(_:)``, and for a matrix with no rows.
  public func averageLogLikelihood(_ X: Matrix) throws -> Double {
    guard X.rows > 0 else {
      throw ModelError.invalidArgument(model: Self.modelName, message: "the data has no rows to average over")
    }
    return try logLikelihood(X) / Double(X.rows)
  }

  // MARK: - EM

  /// The E-step: the responsibilities rₙₖ = p(zₙ = k | xₙ), N×K, each row summing to 1,
  /// computed as exp(log p(xₙ, k) − log Σⱼ p(xₙ, j)) with the log-sum-exp taken around the
  /// largest term.
  ///
  /// - Throws: ``ModelError``, as ``logJointDensities(_:)``.
  public func eStep(_ X: Matrix) throws -> Matrix { try posterior(X).responsibilities }

  /// The responsibilities and the average log-likelihood from one pass over X.
  func posterior(_ X: Matrix) throws -> (responsibilities: Matrix, averageLogLikelihood: Double) {
    var joint = try logJointDensities(X)
    let k = componentCount
    var total = 0.0
    for i in 0..<joint.rows {
      let lse = rowLogSumExp(joint, i)
      total += lse
      for c in 0..<k { joint.scalars[i * k + c] = Foundation.exp(joint.scalars[i * k + c] - lse) }
    }
    return (joint, total / Double(Swift.max(joint.rows, 1)))
  }

  /// The hard assignment of each row: argmaxₖ rₙₖ (the component most likely to have drawn it).
  ///
  /// - Throws: ``ModelError``, as ``logJointDensities(_:)``.
  public func assignments(_ X: Matrix) throws -> [Int] {
    let joint = try logJointDensities(X)
    return (0..<joint.rows).map { joint.row($0).argmax }
  }

  /// The M-step for responsibilities r (N×K, non-negative):
  ///
  ///     Nₖ = Σₙ rₙₖ + 10ε_machine,  πₖ = Nₖ / Σⱼ Nⱼ,  μₖ = Σₙ rₙₖ xₙ / Nₖ,
  ///     Σₖ = Σₙ rₙₖ (xₙ − μₖ)(xₙ − μₖ)ᵀ / Nₖ + ridge · I,
  ///
  /// each Σₖ then factored by Cholesky.
  ///
  /// - Throws: ``ModelError`` if X does not have one column per feature or a non-finite
  ///   entry, r is not N×K with non-negative finite entries, or a covariance cannot be
  ///   factored (possible only with `ridge` = 0).
  public mutating func mStep(_ X: Matrix, _ responsibilities: Matrix) throws {
    try validate(X)
    try validate(responsibilities, rows: X.rows, operation: "mStep", needsDistributions: false)
    let n = X.rows, k = componentCount, d = featureCount
    let r = responsibilities
    var counts = [Double](repeating: 10 * Double.ulpOfOne, count: k)
    for i in 0..<n { for c in 0..<k { counts[c] += r.scalars[i * k + c] } }
    let total = counts.reduce(0, +)
    var newMeans = Matrix(rows: k, cols: d)
    for i in 0..<n {
      for c in 0..<k {
        let w = r.scalars[i * k + c]
        if w == 0 { continue }
        for j in 0..<d { newMeans.scalars[c * d + j] += w * X.scalars[i * d + j] }
      }
    }
    for c in 0..<k { for j in 0..<d { newMeans.scalars[c * d + j] /= counts[c] } }
    var factors: [Cholesky] = []
    for c in 0..<k {
      // Σₖ = (√r ⊙ (X − μₖ))ᵀ (√r ⊙ (X − μₖ)) / Nₖ + εI, one BLAS product.
      var weighted = X - newMeans.row(c)
      for i in 0..<n {
        let s = r.scalars[i * k + c].squareRoot()
        for j in 0..<d { weighted.scalars[i * d + j] *= s }
      }
      var sigma = weighted.transposeTimes(weighted) / counts[c]
      for j in 0..<d { sigma.scalars[j * d + j] += ridge }
      do {
        factors.append(try sigma.cholesky())
      } catch let error as LinearAlgebraError {
        throw ModelError.factorizationFailed(
          model: Self.modelName, matrix: "the covariance of component \(c) (\(d)x\(d), ridge \(ridge))",
          underlying: error)
      }
    }
    weights = Vector(counts.map { $0 / total })
    means = newMeans
    choleskyFactors = factors
  }

  /// The evidence lower bound for the distributions q(zₙ = k) = rₙₖ (rows of r summing to 1):
  ///
  ///     ELBO(q, θ) = Σₙ Σₖ rₙₖ [log πₖ + log 𝒩(xₙ; μₖ, Σₖ) − log rₙₖ]   (0 log 0 = 0)
  ///                = log p(X) − Σₙ KL(qₙ ‖ p(zₙ | xₙ)).
  ///
  /// Right after an E-step (r the responsibilities of these parameters) the KL terms vanish and
  /// the bound equals ``logLikelihood(_:)``.
  ///
  /// - Throws: ``ModelError`` if X does not fit the model, or r is not N×K with non-negative
  ///   finite entries and rows summing to 1 (within 10⁻⁹).
  public func elbo(_ X: Matrix, _ responsibilities: Matrix) throws -> Double {
    let joint = try logJointDensities(X)
    try validate(responsibilities, rows: X.rows, operation: "elbo", needsDistributions: true)
    var total = 0.0
    for (r, logJoint) in zip(responsibilities.scalars, joint.scalars) where r > 0 {
      total += r * (logJoint - Foundation.log(r))
    }
    return total
  }

  // MARK: - Validation

  /// Checks what every computation needs: shapes that agree, positive weights summing to 1,
  /// finite parameters, a non-negative ridge. (The properties are mutable and decodable, so
  /// the initializer alone cannot promise this.)
  func validateParameters() throws {
    let k = weights.count, d = means.cols
    guard k >= 1 else {
      throw ModelError.invalidArgument(model: Self.modelName, message: "a mixture needs at least one component")
    }
    guard means.rows == k, choleskyFactors.count == k else {
      throw ModelError.invalidArgument(
        model: Self.modelName,
        message: "\(k) weights, means \(means.shapeDescription) and \(choleskyFactors.count) covariances; "
          + "a mixture needs one weight, one row of means and one covariance per component")
    }
    if let c = choleskyFactors.firstIndex(where: { $0.L.rows != d || $0.L.cols != d }) {
      throw ModelError.invalidArgument(
        model: Self.modelName,
        message: "covariance \(c) is \(choleskyFactors[c].L.shapeDescription), but means "
          + "\(means.shapeDescription) need \(d)x\(d) covariances")
    }
    if let c = weights.scalars.firstIndex(where: { !($0 > 0 && $0.isFinite) }) {
      throw ModelError.invalidArgument(
        model: Self.modelName, message: "weight \(c) is \(formatScalar(weights[c])); every weight must be positive")
    }
    guard Swift.abs(weights.sum - 1) <= 1e-9 else {
      throw ModelError.invalidArgument(
        model: Self.modelName, message: "the weights sum to \(formatScalar(weights.sum)), not 1")
    }
    try validateFinite(means, parameter: "means", model: Self.modelName)
    for (c, factor) in choleskyFactors.enumerated() {
      try validateFinite(factor.L, parameter: "Cholesky factor \(c)", model: Self.modelName)
      if let i = (0..<d).first(where: { !(factor.L[$0, $0] > 0) }) {
        throw ModelError.invalidArgument(
          model: Self.modelName,
          message: "Cholesky factor \(c) has diagonal entry \(i) equal to \(formatScalar(factor.L[i, i])); "
            + "it must be positive")
      }
    }
    guard ridge >= 0 && ridge.isFinite else {
      throw ModelError.invalidArgument(
        model: Self.modelName, message: "the ridge is \(formatScalar(ridge)); it must be non-negative and finite")
    }
  }

  /// ``validateParameters()``, and X has one column per feature and finite entries.
  func validate(_ X: Matrix) throws {
    try validateParameters()
    guard X.cols == featureCount else {
      throw ModelError.featureCountMismatch(model: Self.modelName, expected: featureCount, got: X.cols)
    }
    if let index = X.scalars.firstIndex(where: { !$0.isFinite }) {
      throw ModelError.notFinite(
        model: Self.modelName, row: index / X.cols, column: index % X.cols, value: X.scalars[index])
    }
  }

  /// Responsibilities must be N×K with non-negative finite entries (and, for the bound, rows
  /// that are probability distributions).
  func validate(_ r: Matrix, rows n: Int, operation: String, needsDistributions: Bool) throws {
    let k = componentCount
    guard r.rows == n, r.cols == k else {
      throw ModelError.invalidArgument(
        model: Self.modelName,
        message: "\(operation): responsibilities \(r.shapeDescription) for \(n) rows of data and \(k) components; "
          + "they must be \(n)x\(k), one row per observation (pass what eStep returned for the same data)")
    }
    if let index = r.scalars.firstIndex(where: { !($0 >= 0 && $0.isFinite) }) {
      throw ModelError.invalidArgument(
        model: Self.modelName,
        message: "\(operation): responsibility [\(index / k), \(index % k)] is \(formatScalar(r.scalars[index])); "
          + "responsibilities must be non-negative and finite")
    }
    if needsDistributions {
      for i in 0..<n {
        let s = r.scalars[(i * k)..<((i + 1) * k)].reduce(0, +)
        if Swift.abs(s - 1) > 1e-9 {
          throw ModelError.invalidArgument(
            model: Self.modelName,
            message: "\(operation): row \(i) of the responsibilities sums to \(formatScalar(s)), not 1")
        }
      }
    }
  }
}

/// log Σⱼ exp(Aᵢⱼ) over row i, around the row's largest entry.
func rowLogSumExp(_ A: Matrix, _ i: Int) -> Double {
  let k = A.cols
  var top = -Double.infinity
  for j in 0..<k { top = Swift.max(top, A.scalars[i * k + j]) }
  if !top.isFinite { return top }
  var s = 0.0
  for j in 0..<k { s += Foundation.exp(A.scalars[i * k + j] - top) }
  return top + Foundation.log(s)
}
