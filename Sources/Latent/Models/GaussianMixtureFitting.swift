import Foundation

// Fitting a Gaussian mixture: a random starting point, EM to convergence, and the best of
// several restarts (the likelihood has many local maxima).

extension GaussianMixture {
  /// A random starting point for EM: the means are K distinct rows of X chosen uniformly at
  /// random (the first K entries of a random permutation), every covariance is the data's
  /// covariance (1/N) Σₙ (xₙ − x̄)(xₙ − x̄)ᵀ plus the ridge, and the weights are equal.
  ///
  /// - Throws: ``ModelError`` unless 1 ≤ K ≤ N, X is finite with at least 2 rows, and the
  ///   ridge is non-negative; or if the data's covariance plus the ridge is not positive
  ///   definite (a constant column with `ridge: 0`).
  public init(
    data X: Matrix, components k: Int, ridge: Double = GaussianMixture.defaultRidge,
    using rng: inout SeededGenerator
  ) throws {
    guard X.rows >= 2 else { throw ModelError.notEnoughSamples(model: Self.modelName, samples: X.rows) }
    guard k >= 1 && k <= X.rows else {
      throw ModelError.invalidArgument(
        model: Self.modelName,
        message:
          "cannot start \(k) components on \(X.rows) rows; the number of components must satisfy 1 ≤ K ≤ \(X.rows)")
    }
    guard ridge >= 0 && ridge.isFinite else {
      throw ModelError.invalidArgument(
        model: Self.modelName, message: "the ridge is \(formatScalar(ridge)); it must be non-negative and finite")
    }
    if let index = X.scalars.firstIndex(where: { !$0.isFinite }) {
      throw ModelError.notFinite(
        model: Self.modelName, row: index / X.cols, column: index % X.cols, value: X.scalars[index])
    }
    let rows = Array(rng.permutation(X.rows).prefix(k))
    var sigma = X.covariance()
    for j in 0..<X.cols { sigma[j, j] += ridge }
    try self.init(
      weights: Vector(repeating: 1 / Double(k), count: k), means: X.rows(at: rows),
      covariances: [Matrix](repeating: sigma, count: k), ridge: ridge)
  }

  /// Runs EM from the current parameters until the average log-likelihood rises by less than
  /// `tolerance` in one iteration, or for `iterations` iterations (`tolerance: 0` disables
  /// the test).
  ///
  /// Returns the history of (1/N) log p(X): element 0 belongs to the starting parameters,
  /// element k to those after k iterations, and the last to the returned parameters. Each
  /// iteration is one ``eStep(_:)`` (which yields the log-likelihood of the parameters it
  /// starts from) and one ``mStep(_:_:)``. The history never decreases, up to the ridge's
  /// effect (of order ridge²) and rounding.
  ///
  /// - Throws: ``ModelError`` for invalid parameters, data that do not fit the model, a
  ///   negative `iterations` or `tolerance`, or a covariance that cannot be factored.
  @discardableResult
  public mutating func fit(_ X: Matrix, iterations: Int = 1_000, tolerance: Double = 1e-10) throws -> [Double] {
    guard iterations >= 0, tolerance >= 0 else {
      throw ModelError.invalidArgument(
        model: Self.modelName,
        message: "iterations and tolerance must be non-negative, got \(iterations) and \(tolerance)")
    }
    var (responsibilities, current) = try posterior(X)
    var history = [current]
    for _ in 0..<iterations {
      try mStep(X, responsibilities)
      let previous = current
      (responsibilities, current) = try posterior(X)
      history.append(current)
      if tolerance > 0 && current - previous < tolerance { break }
    }
    return history
  }

  /// EM from several random starting points (``init(data:components:ridge:using:)``), keeping
  /// the run that ends with the highest average log-likelihood.
  ///
  /// - Throws: ``ModelError`` for `restarts` < 1, or as ``init(data:components:ridge:using:)``
  ///   and ``fit(_:iterations:tolerance:)``.
  public static func bestOfRestarts(
    _ X: Matrix, components k: Int, restarts: Int, iterations: Int = 1_000, tolerance: Double = 1e-10,
    ridge: Double = GaussianMixture.defaultRidge, using rng: inout SeededGenerator
  ) throws -> Restarts {
    guard restarts >= 1 else {
      throw ModelError.invalidArgument(model: modelName, message: "restarts must be at least 1, got \(restarts)")
    }
    var best: (model: GaussianMixture, history: [Double])?
    var finals: [Double] = []
    var models: [GaussianMixture] = []
    for _ in 0..<restarts {
      var model = try GaussianMixture(data: X, components: k, ridge: ridge, using: &rng)
      let history = try model.fit(X, iterations: iterations, tolerance: tolerance)
      finals.append(history.last!)
      models.append(model)
      if best == nil || history.last! > best!.history.last! { best = (model, history) }
    }
    return Restarts(
      best: best!.model, history: best!.history, finalAverageLogLikelihoods: finals, finalModels: models)
  }

  /// The outcome of ``bestOfRestarts(_:components:restarts:iterations:tolerance:ridge:using:)``.
  public struct Restarts: Sendable, Codable {
    /// The fitted mixture with the highest final average log-likelihood.
    public var best: GaussianMixture
    /// Its EM history, (1/N) log p(X) per iteration.
    public var history: [Double]
    /// Every restart's final (1/N) log p(X), in the order they ran.
    public var finalAverageLogLikelihoods: [Double]
    /// Every restart's fitted mixture, in the same order (to look at the maxima other than the best).
    public var finalModels: [GaussianMixture]
  }
}
