import Foundation

// Fitting: the deterministic starting point, EM to convergence, and the benchmark hook.

extension FactorAnalysis {
  /// The deterministic starting point for EM: the closed-form maximum-likelihood
  /// probabilistic PCA solution (Ψ = σ²I) with q components, μ = x̄.
  ///
  /// - Throws: ``ModelError`` for q ∉ [1, d), fewer than 2 rows, NaN/∞ entries or a constant column.
  public init(data X: Matrix, factors q: Int) throws {
    try validateLatentDimension(q, features: X.cols, model: Self.modelName)
    try validateData(X, model: Self.modelName)
    let ppca = try ProbabilisticPCA.maximumLikelihood(X, components: q)
    try self.init(
      mean: ppca.mean, loadings: ppca.loadings,
      uniquenesses: Vector(repeating: ppca.noiseVariance, count: X.cols))
  }

  /// Runs EM from the current parameters until the average log-likelihood rises by less
  /// than `tolerance` in one iteration, or for `iterations` iterations (`tolerance: 0`
  /// disables the convergence test).
  ///
  /// μ is first set to its ML estimate x̄. Returns the history of the average log-likelihood
  /// per observation, (1/N) log p(X): element 0 is that of the starting parameters and
  /// element k that after k iterations (so `history.count − 1` iterations ran, and the last
  /// element belongs to the returned parameters). The history never decreases (up to rounding).
  ///
  /// Cost: one O(Nd²) pass over X for S, then O(d²q + q³) per iteration. For timing EM,
  /// `fit(X, iterations: k, tolerance: 0)` on a fresh copy runs exactly k iterations
  /// (see also ``emIterationsPerSecond(_:factors:iterations:)``).
  ///
  /// - Throws: ``ModelError`` for invalid parameters (see ``init(mean:loadings:uniquenesses:)``),
  ///   a feature-count mismatch, bad data (NaN/∞, constant column, fewer than 2 rows) or a
  ///   negative `iterations`/`tolerance`.
  @discardableResult
  public mutating func fit(_ X: Matrix, iterations: Int = 10_000, tolerance: Double = 1e-10) throws -> [Double] {
    try validateParameters(as: Self.modelName)
    let S: Matrix
    (mean, S) = try validatedMoments(
      X, model: Self.modelName, featureCount: featureCount, iterations: iterations, tolerance: tolerance)
    return try FactorAnalysis.runEM(
      W: &loadings, psi: &uniquenesses, S: S, noise: .perFeature,
      iterations: iterations, tolerance: tolerance, model: Self.modelName)
  }

  // MARK: - Benchmark hook

  /// EM iterations per second of ``fit(_:iterations:tolerance:)`` on X with q factors:
  /// the model is initialised once (outside the timing), then runs exactly
  /// `iterations` iterations (`tolerance: 0`). The measurement includes the O(Nd²) pass that
  /// forms S and the input validation, as a real call would.
  ///
  /// - Throws: ``ModelError`` for a non-positive `iterations`, or as ``init(data:factors:)``.
  public static func emIterationsPerSecond(_ X: Matrix, factors q: Int, iterations: Int = 1_000) throws -> Double {
    guard iterations > 0 else {
      throw ModelError.invalidArgument(
        model: modelName, message: "iterations must be positive, got \(iterations)")
    }
    var model = try FactorAnalysis(data: X, factors: q)
    let clock = ContinuousClock()
    var ran = 0
    let elapsed = try clock.measure { ran = try model.fit(X, iterations: iterations, tolerance: 0).count - 1 }
    let seconds = Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) * 1e-18
    return Double(ran) / Swift.max(seconds, 1e-9)
  }
}
