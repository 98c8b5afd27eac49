import Foundation

/// Why a latent-variable model could not be fitted to (or evaluated on) a data matrix.
///
/// The `description` is the message a student sees, so it names the model, the
/// offending row or column (0-based, as in code) and what to do about it.
public enum ModelError: Error, CustomStringConvertible, Equatable {
  /// The number of latent dimensions must satisfy 1 ≤ q < d.
  case invalidLatentDimension(model: String, latent: Int, features: Int)
  /// At least two observations (rows) are needed to estimate a covariance.
  case notEnoughSamples(model: String, samples: Int)
  /// A column whose entries are all equal: its variance is zero.
  case constantColumn(model: String, column: Int, value: Double)
  /// A NaN or ±∞ entry in the data.
  case notFinite(model: String, row: Int, column: Int, value: Double)
  /// The data has a different number of columns than the model has features.
  case featureCountMismatch(model: String, expected: Int, got: Int)
  /// An argument outside its allowed range (e.g. a negative iteration count).
  case invalidArgument(model: String, message: String)
  /// The parameters disagree on the number of features d: the mean has `meanLength` entries,
  /// the loadings are `loadingsRows`×`loadingsColumns`, and there are `noiseCount` noise
  /// variances (nil for a model with one shared noise variance).
  case parameterShapeMismatch(model: String, meanLength: Int, loadingsRows: Int, loadingsColumns: Int, noiseCount: Int?)
  /// A noise variance that is not positive and finite: uniqueness `index`, or the shared
  /// noise variance when `index` is nil.
  case invalidNoiseVariance(model: String, index: Int?, value: Double)
  /// A NaN or ±∞ entry in a parameter (`column` is nil for a vector such as the mean).
  case notFiniteParameter(model: String, parameter: String, row: Int, column: Int?, value: Double)
  /// A posterior whose shapes do not fit the data and the model: its means are `means` and its
  /// covariance `covariance` (as `rows`x`cols`), where `samples` rows and `latent` dimensions
  /// need means `samples`×`latent` and a `latent`×`latent` covariance.
  case posteriorShapeMismatch(
    model: String, operation: String, means: String, covariance: String, samples: Int, latent: Int)
  /// A Cholesky factorization inside the model failed (e.g. because the parameters overflow).
  case factorizationFailed(model: String, matrix: String, underlying: LinearAlgebraError)

  public var description: String {
    switch self {
    case .invalidLatentDimension(let model, let q, let d):
      let noun = model == "FactorAnalysis" ? "factors" : "components"
      return "\(model): cannot fit \(q) \(noun) to \(d) features; the number of \(noun) must satisfy 1 ≤ q < \(d)"
    case .notEnoughSamples(let model, let n):
      return "\(model): needs at least 2 observations (rows) to estimate a covariance, got \(n)"
    case .constantColumn(let model, let j, let v):
      return "\(model): column \(j) of the data is constant (every entry is \(formatScalar(v))); its variance is 0, "
        + "so its noise variance would collapse to 0 and the likelihood is unbounded. Remove the column before fitting."
    case .notFinite(let model, let i, let j, let v):
      let what = v.isNaN ? "NaN" : "an infinite value"
      return
        "\(model): the data contains \(what) at row \(i), column \(j); remove or impute missing values before fitting"
    case .featureCountMismatch(let model, let e, let g):
      return "\(model): the model has \(e) features but the data has \(g) columns"
    case .invalidArgument(let model, let m):
      return "\(model): \(m)"
    case .parameterShapeMismatch(let model, let d, let r, let c, let u):
      return "\(model): " + parameterShapes(meanLength: d, loadingsRows: r, loadingsColumns: c, noiseCount: u)
    case .invalidNoiseVariance(let model, let i, let v):
      let what = i.map { "uniqueness \($0)" } ?? "the noise variance"
      return "\(model): \(what) is \(formatScalar(v)), but a noise variance must be positive and finite"
    case .notFiniteParameter(let model, let parameter, let i, let j, let v):
      let entry = j.map { "\(parameter)[\(i), \($0)]" } ?? "\(parameter)[\(i)]"
      return "\(model): \(entry) is \(formatScalar(v)); every parameter must be finite"
    case .posteriorShapeMismatch(let model, let operation, let means, let covariance, let n, let q):
      return "\(model).\(operation): the posterior has means \(means) and covariance \(covariance), but \(n) rows of "
        + "data and \(q) latent dimensions need means \(n)x\(q) and covariance \(q)x\(q); pass the posterior that "
        + "eStep returned for the same data"
    case .factorizationFailed(let model, let matrix, let underlying):
      return "\(model): could not factor \(matrix) (\(underlying)); are the parameters finite and of moderate size?"
    }
  }
}

/// "loadings 13x2 but 12 uniquenesses and a mean of length 12; …": the parameter that
/// disagrees with the others first, or all of them if no two agree.
private func parameterShapes(meanLength d: Int, loadingsRows r: Int, loadingsColumns c: Int, noiseCount u: Int?)
  -> String
{
  var parts = [(text: "loadings \(r)x\(c)", count: r)]
  if let u { parts.append((text: "\(u) uniquenesses", count: u)) }
  parts.append((text: "a mean of length \(d)", count: d))
  let need =
    u == nil
    ? "one row of loadings and one entry of the mean per feature"
    : "one row of loadings, one uniqueness and one entry of the mean per feature"
  // The part whose count no other part shares, when the others all agree.
  let odd = parts.indices.first { i in
    let others = parts.indices.filter { $0 != i }.map { parts[$0].count }
    return !others.contains(parts[i].count) && Set(others).count == 1
  }
  if let odd {
    let rest = parts.indices.filter { $0 != odd }.map { parts[$0].text }
    return "\(parts[odd].text) but \(rest.joined(separator: " and ")); the model needs \(need)"
  }
  let texts = parts.map(\.text)
  return "\(texts.dropLast().joined(separator: ", ")) and \(texts.last!); the model needs \(need)"
}

/// The second moment S = (1/N) Σₙ (xₙ − c)(xₙ − c)ᵀ of the rows of X about a centre c: with
/// c = x̄, the maximum-likelihood (divide-by-N) covariance. Every likelihood and EM quantity
/// of factor analysis and PPCA depends on X only through it, so an EM iteration costs O(d²q),
/// independent of N.
func secondMoments(_ X: Matrix, about centre: Vector) -> Matrix {
  let C = X - centre
  return C.transposeTimes(C) / Double(X.rows)
}

/// Validates a data matrix for fitting: enough rows, every entry finite, no constant column.
func validateData(_ X: Matrix, model: String) throws {
  guard X.rows >= 2 else { throw ModelError.notEnoughSamples(model: model, samples: X.rows) }
  let n = X.cols
  for i in 0..<X.rows {
    for j in 0..<n where !X.scalars[i * n + j].isFinite {
      throw ModelError.notFinite(model: model, row: i, column: j, value: X.scalars[i * n + j])
    }
  }
  for j in 0..<n {
    let first = X.scalars[j]
    var constant = true
    for i in 1..<X.rows where X.scalars[i * n + j] != first { constant = false; break }
    if constant { throw ModelError.constantColumn(model: model, column: j, value: first) }
  }
}

/// Throws ``ModelError/notFiniteParameter(model:parameter:row:column:value:)`` at the first
/// NaN or ±∞ entry of a vector parameter.
func validateFinite(_ v: Vector, parameter: String, model: String) throws {
  if let i = v.scalars.firstIndex(where: { !$0.isFinite }) {
    throw ModelError.notFiniteParameter(model: model, parameter: parameter, row: i, column: nil, value: v[i])
  }
}

/// Throws ``ModelError/notFiniteParameter(model:parameter:row:column:value:)`` at the first
/// NaN or ±∞ entry (in row-major order) of a matrix parameter.
func validateFinite(_ A: Matrix, parameter: String, model: String) throws {
  if let k = A.scalars.firstIndex(where: { !$0.isFinite }) {
    throw ModelError.notFiniteParameter(
      model: model, parameter: parameter, row: k / A.cols, column: k % A.cols, value: A.scalars[k])
  }
}

/// Validates the latent dimension q against the feature count d: 1 ≤ q < d.
func validateLatentDimension(_ q: Int, features d: Int, model: String) throws {
  guard q >= 1 && q < d else { throw ModelError.invalidLatentDimension(model: model, latent: q, features: d) }
}

/// Checks what every EM `fit` needs (matching feature count, clean data, non-negative
/// `iterations` and `tolerance`) and returns the column means and the second moments about them.
func validatedMoments(
  _ X: Matrix, model: String, featureCount: Int, iterations: Int, tolerance: Double
) throws -> (mean: Vector, S: Matrix) {
  guard X.cols == featureCount else {
    throw ModelError.featureCountMismatch(model: model, expected: featureCount, got: X.cols)
  }
  try validateData(X, model: model)
  guard iterations >= 0, tolerance >= 0 else {
    throw ModelError.invalidArgument(
      model: model, message: "iterations and tolerance must be non-negative, got \(iterations) and \(tolerance)")
  }
  let mean = X.columnMeans
  return (mean, secondMoments(X, about: mean))
}
