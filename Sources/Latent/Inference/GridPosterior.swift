import Foundation

/// The exact posterior of one data point x under a model with a 2-D latent z and prior
/// p(z) = 𝒩(0, I), tabulated on a ``LatentGrid``:
///
///     log p(x, z_g) = log p(x | z_g) − log 2π − ½‖z_g‖²          (stored, one per cell)
///     log p(x)      ≈ log Σ_g exp(log p(x, z_g)) + log ΔA         (the midpoint rule)
///     P_g           = exp(log p(x, z_g) − log p(x)) ΔA            (cell masses, Σ_g P_g = 1)
///
/// The sum is a log-sum-exp, so it never underflows although p(x, z) of a binary image is
/// about e⁻²⁵⁰. Everything else here is an expectation under the cell masses or under a
/// Gaussian q evaluated at the same cell centres: the posterior's moments, the ELBO of any
/// Gaussian q (``elbo(of:)``), the best Gaussian (``bestGaussian(diagonal:from:tolerance:maximumIterations:)``),
/// and the expected importance-weighted bound of q for any number of samples
/// (``expectedImportanceWeightedBounds(of:samples:)``).
///
/// Build one with ``EvidenceQuadrature``, which chooses a grid for each data point, or from a
/// grid and log-joint values of your own.
public struct GridPosterior: Sendable, Codable {
  /// The cells.
  public let grid: LatentGrid
  /// log p(x, z_g), one per cell, in cell order.
  public let logJoint: [Double]
  /// log p(x) by the midpoint rule.
  public let logEvidence: Double

  /// The posterior given log p(x, z_g) at every cell centre of `grid`.
  /// - Throws: ``QuadratureError`` when the counts differ, a value is NaN or +∞, or every value is −∞.
  public init(grid: LatentGrid, logJoint: [Double]) throws {
    guard logJoint.count == grid.count else {
      throw QuadratureError.shapeMismatch(
        "GridPosterior: \(logJoint.count) log-joint values for a \(grid.counts[0])x\(grid.counts[1]) grid of \(grid.count) cells"
      )
    }
    if let g = logJoint.firstIndex(where: { $0.isNaN || $0 == .infinity }) {
      throw QuadratureError.invalidValue("GridPosterior: log p(x, z) is \(logJoint[g]) at cell \(g)")
    }
    let total = logSumExp(logJoint)
    guard total > -.infinity else {
      throw QuadratureError.invalidValue("GridPosterior: p(x, z) is 0 at every one of the \(grid.count) cells")
    }
    self.grid = grid
    self.logJoint = logJoint
    self.logEvidence = total + log(grid.cellArea)
  }

  /// P_g = p(z_g | x) ΔA, the posterior mass of each cell (they sum to 1).
  public var cellMasses: [Double] {
    let offset = logEvidence - log(grid.cellArea)
    return logJoint.map { exp($0 - offset) }
  }

  /// E[z | x] = Σ_g P_g z_g.
  public var mean: Vector {
    let p = cellMasses, x = grid.coordinates(axis: 0), y = grid.coordinates(axis: 1), n = grid.counts[0]
    var m = [0.0, 0.0]
    for g in p.indices {
      m[0] += p[g] * x[g % n]
      m[1] += p[g] * y[g / n]
    }
    return Vector(m)
  }

  /// Cov[z | x] = Σ_g P_g (z_g − E[z])(z_g − E[z])ᵀ (2 × 2).
  public var covariance: Matrix {
    let p = cellMasses, x = grid.coordinates(axis: 0), y = grid.coordinates(axis: 1), n = grid.counts[0]
    let m = mean
    var (s11, s12, s22) = (0.0, 0.0, 0.0)
    for g in p.indices {
      let a = x[g % n] - m[0], b = y[g / n] - m[1]
      s11 += p[g] * a * a
      s12 += p[g] * a * b
      s22 += p[g] * b * b
    }
    return Matrix([[s11, s12], [s12, s22]])
  }

  /// Σ_g P_g v_g: the posterior expectation of a quantity given at every cell, e.g. another
  /// model's log p(x, z_g) on the same grid (EM's Q function).
  public func expectation(_ values: [Double]) throws -> Double {
    guard values.count == grid.count else {
      throw QuadratureError.shapeMismatch(
        "GridPosterior.expectation: \(values.count) values for a grid of \(grid.count) cells")
    }
    return zip(cellMasses, values).reduce(0.0) { $1.0 == 0 ? $0 : $0 + $1.0 * $1.1 }
  }

  /// The posterior mass in the outermost ring of cells: near 0 when the box holds the posterior.
  public var edgeMass: Double {
    let p = cellMasses
    return p.indices.reduce(0.0) { grid.isOnEdge($1) ? $0 + p[$1] : $0 }
  }

  /// The posterior density p(z | x) at the cell centres: row j holds z₂ = the j-th centre
  /// along coordinate 2 (increasing, so row 0 is the bottom of a plot), column i the i-th
  /// centre along coordinate 1 (n₂ × n₁). For ``Plot/addContourLines(_:x:y:levels:label:color:dashed:)``.
  public var density: Matrix {
    let offset = logEvidence
    return Matrix(rows: grid.counts[1], cols: grid.counts[0], scalars: logJoint.map { exp($0 - offset) })
  }

  /// The centre of the cell with the largest log p(x, z): the posterior's mode, to within a cell.
  public var mode: Vector {
    let g = logJoint.indices.max { logJoint[$0] < logJoint[$1] }!
    return Vector(grid.centre(of: g))
  }

  /// How many separate pieces the highest-density region holding `mass` of the posterior
  /// falls into: the cells at or above its level (``highestDensityLevels(masses:)``), joined
  /// through shared edges. One for a unimodal posterior; two when it has two separated modes.
  public func highestDensityRegionPieces(mass: Double) throws -> Int {
    let level = try highestDensityLevels(masses: [mass])[0]
    let threshold = log(level) + logEvidence
    let (n1, n2) = (grid.counts[0], grid.counts[1])
    var inside = logJoint.map { $0 >= threshold }
    var pieces = 0
    for start in inside.indices where inside[start] {
      pieces += 1
      inside[start] = false
      var stack = [start]
      while let g = stack.popLast() {
        let i = g % n1, j = g / n1
        for (a, b) in [(i - 1, j), (i + 1, j), (i, j - 1), (i, j + 1)] where a >= 0 && a < n1 && b >= 0 && b < n2 {
          let h = b * n1 + a
          if inside[h] {
            inside[h] = false
            stack.append(h)
          }
        }
      }
    }
    return pieces
  }

  /// For each mass m in (0, 1), the density c whose region {z : p(z | x) ≥ c} holds posterior
  /// mass m (the highest-density region): cells sorted by density, masses accumulated.
  public func highestDensityLevels(masses: [Double]) throws -> [Double] {
    guard masses.allSatisfy({ $0 > 0 && $0 < 1 }) else {
      throw QuadratureError.invalidValue("GridPosterior.highestDensityLevels: masses \(masses) must lie in (0, 1)")
    }
    let order = logJoint.indices.sorted { logJoint[$0] > logJoint[$1] }
    let p = cellMasses
    return masses.map { m in
      var total = 0.0
      for g in order {
        total += p[g]
        if total >= m { return exp(logJoint[g] - logEvidence) }
      }
      return exp(logJoint[order.last!] - logEvidence)
    }
  }

  // MARK: A Gaussian q on the same cells

  /// log q(z_g) for every cell.
  func logDensities(of q: Gaussian, _ caller: String) throws -> [Double] {
    guard q.dimension == 2 else {
      throw QuadratureError.shapeMismatch(
        "GridPosterior.\(caller): a \(q.dimension)-dimensional Gaussian for a 2-D latent grid")
    }
    let L = q.cholesky.L
    let form = GaussianForm(mean: [q.mean[0], q.mean[1]], l11: L[0, 0], l21: L[1, 0], l22: L[1, 1])
    let x = grid.coordinates(axis: 0), y = grid.coordinates(axis: 1), n = grid.counts[0]
    return (0..<grid.count).map { g in form.logDensity(x[g % n], y[g / n]) }
  }

  /// Σ_g q(z_g) ΔA: the mass of q the grid holds (1 when q lies inside the box and the cells resolve it).
  public func massOnGrid(of q: Gaussian) throws -> Double {
    let area = grid.cellArea
    return try logDensities(of: q, "massOnGrid").reduce(0.0) { $0 + exp($1) * area }
  }

  /// The ELBO of q by the midpoint rule on these cells,
  ///
  ///     ELBO(q) = E_q[log p(x, z)] + H[q] ≈ ΔA Σ_g q(z_g) log p(x, z_g) + H[q],
  ///
  /// with the entropy H[q] = log 2πe + ½ log det Σ in closed form. It equals
  /// log p(x) − KL(q ‖ p(z | x)). Meaningful when q's mass lies on the grid (``massOnGrid(of:)``)
  /// and the cells are narrower than q.
  public func elbo(of q: Gaussian) throws -> Double {
    let area = grid.cellArea
    var expected = 0.0
    for (g, lq) in try logDensities(of: q, "elbo").enumerated() {
      let w = exp(lq) * area
      if w > 0 { expected += w * logJoint[g] }
    }
    return expected + q.entropy
  }

  /// The moments of the normalised importance weight W = p(z | x)/q(z), z ~ q, that govern the
  /// importance-weighted bound: Var W = χ²(p(z | x) ‖ q) = E_q[W²] − 1 and E_q[(W − 1)³], both
  /// as sums over the cells (with q normalised on the grid, so that E_q[W] = 1 exactly).
  public func importanceWeightMoments(of q: Gaussian) throws -> ImportanceWeightMoments {
    let (logPi, logW) = try discreteWeights(of: q, "importanceWeightMoments")
    var second = 0.0, third = 0.0
    for g in logPi.indices where logPi[g] > -.infinity {
      second += exp(logPi[g] + 2 * logW[g])
      third += exp(logPi[g] + 3 * logW[g])
    }
    return ImportanceWeightMoments(variance: second - 1, thirdCentralMoment: third - 3 * second + 2)
  }

  /// log π_g (q's cell masses normalised over the grid) and log W_g = log P_g − log π_g.
  func discreteWeights(of q: Gaussian, _ caller: String) throws -> (logPi: [Double], logW: [Double]) {
    let lq = try logDensities(of: q, caller)
    let norm = logSumExp(lq)
    guard norm > -.infinity else {
      throw QuadratureError.invalidValue("GridPosterior.\(caller): q puts no mass on any cell of the grid")
    }
    let logPi = lq.map { $0 - norm }
    let offset = logEvidence - log(grid.cellArea)
    let logW = logJoint.indices.map { logJoint[$0] - offset - logPi[$0] }
    return (logPi, logW)
  }

  /// E[L_k] for each k in `samples`: the expected importance-weighted bound
  ///
  ///     L_k = log (1/k) Σᵢ p(x, zᵢ)/q(zᵢ),   z₁ … z_k ~ q independently,
  ///
  /// computed without sampling for z drawn from q's masses on the cells. With S_k the mean of
  /// k weights W = p(z | x)/q(z) (so that L_k = log p(x) + log S_k) and Frullani's integral
  /// log s = ∫₀^∞ (e^{−t} − e^{−ts}) dt/t,
  ///
  ///     E[log S_k] = ∫ (exp(−eᵘ) − φ(eᵘ/k)ᵏ) du,   φ(s) = E_q[e^{−sW}] = Σ_g π_g e^{−sW_g},
  ///
  /// a smooth integrand in u = log t, summed by the trapezoid rule at 4 nodes per factor of 2 in t
  /// (k a power of two reuses one table of φ). E[L₁] is the ELBO of q normalised on the grid;
  /// E[L_k] increases to log p(x) with k. Cells with π_g < 10⁻¹⁶ are left out (they change φ
  /// by less than that), and weights below e⁻⁵⁰ are raised to it for k ≥ 2 (an error below
  /// k·m^{k−1}·Σ π_g |log W_g + 50| over those cells, m their total mass). Accurate to about
  /// 10⁻¹⁰ nats plus the error of the cells as a quadrature of q.
  public func expectedImportanceWeightedBounds(of q: Gaussian, samples: [Int]) throws -> [Double] {
    try expectedImportanceWeightedBounds(of: q, samples: samples, nodesPerOctave: 4)
  }

  func expectedImportanceWeightedBounds(of q: Gaussian, samples: [Int], nodesPerOctave: Int) throws -> [Double] {
    guard samples.allSatisfy({ $0 >= 1 }) else {
      throw QuadratureError.invalidValue(
        "GridPosterior.expectedImportanceWeightedBounds: sample counts \(samples) must be ≥ 1")
    }
    let (logPiAll, logWAll) = try discreteWeights(of: q, "expectedImportanceWeightedBounds")
    var pi = [Double](), logW = [Double]()
    var exactFirst = 0.0
    for g in logPiAll.indices where logPiAll[g] > log(1e-16) {
      pi.append(exp(logPiAll[g]))
      logW.append(logWAll[g])
    }
    let kept = pi.reduce(0, +)
    pi = pi.map { $0 / kept }
    for g in pi.indices { exactFirst += pi[g] * logW[g] }
    let floor = -50.0
    let w = logW.map { exp(Swift.max($0, floor)) }
    let logWMax = logW.max()!, logWMin = Swift.max(logW.min()!, floor)
    let perOctave = Double(nodesPerOctave)
    let step = log(2.0) / perOctave
    // Nodes u_i = uLow + i·step. Below uLow every s·W < e⁻¹⁸ and the integrand is below
    // e^{2u} W²_max/(2k) < 10⁻¹⁶; above uHigh, exp(−eᵘ) < e⁻⁴⁰ and φ(eᵘ/k)ᵏ ≤ exp(−eᵘ W_min) < e⁻⁴⁰.
    let uLow = -18 - logWMax
    let largest = Double(samples.max()!)
    let uHigh = Swift.max(3.7, log(40.0) - logWMin) + step
    let nodes = Int(((uHigh - uLow) / step).rounded(.up)) + 1
    // 1 − φ(s) = Σ π_g (1 − e^{−sW_g}), accurate for small s through expm1.
    func oneMinusPhi(_ s: Double) -> Double {
      var total = 0.0
      for g in pi.indices { total -= pi[g] * expm1(-s * w[g]) }
      return Swift.min(total, 1)
    }
    // φ at s = e^{v_j}, v_j = uLow − log₂(kmax)·log 2 + j·step, for the powers of two.
    let octaves = Int(log2(largest).rounded(.up))
    let vLow = uLow - Double(octaves) * log(2.0)
    var table = [Double?](repeating: nil, count: nodes + octaves * Int(perOctave))
    func tabulated(_ j: Int) -> Double {
      if let v = table[j] { return v }
      let v = oneMinusPhi(exp(vLow + Double(j) * step))
      table[j] = v
      return v
    }
    return samples.map { k in
      if k == 1 { return logEvidence + exactFirst }
      let power = k & (k - 1) == 0
      let shift = power ? Int(log2(Double(k)).rounded()) : 0
      var integral = 0.0
      for i in 0..<nodes {
        let u = uLow + Double(i) * step
        let c = power ? tabulated(i + (octaves - shift) * Int(perOctave)) : oneMinusPhi(exp(u) / Double(k))
        let a = -exp(u)
        let b = c >= 1 ? -Double.infinity : Double(k) * log1p(-c)
        if b == -.infinity {
          integral += exp(a)
        } else if a - b > 1 {
          integral += exp(a) - exp(b)
        } else {
          integral += exp(b) * expm1(a - b)
        }
      }
      return logEvidence + integral * step
    }
  }

  /// ``expectedImportanceWeightedBounds(of:samples:)`` of each posterior with its own
  /// proposal, computed in parallel (`LATENT_THREADS`, default 2): one row per posterior.
  public static func expectedImportanceWeightedBounds(
    _ posteriors: [GridPosterior], proposals: [Gaussian], samples: [Int]
  ) throws -> [[Double]] {
    guard posteriors.count == proposals.count else {
      throw QuadratureError.shapeMismatch(
        "GridPosterior.expectedImportanceWeightedBounds: \(posteriors.count) posteriors, \(proposals.count) proposals")
    }
    return try concurrentMap(posteriors.count) { i in
      try posteriors[i].expectedImportanceWeightedBounds(of: proposals[i], samples: samples)
    }
  }

  // MARK: The best Gaussian

  /// The Gaussian q that maximises ``elbo(of:)`` on these cells, found by preconditioned
  /// gradient ascent from `start`; with `diagonal` (the VAE encoder's family) q's covariance
  /// stays diagonal.
  ///
  /// q = 𝒩(μ, LLᵀ) with L = [[e^{a}, 0], [c, e^{b}]] (c = 0 when diagonal). The objective
  /// F = ΔA Σ_g q(z_g) log p(x, z_g) + a + b + log 2πe is deterministic, and its gradient is
  /// exact: ∇F = ΔA Σ_g q(z_g) log p(x, z_g) ∇log q(z_g) + ∇H. Each step moves along the
  /// gradient scaled by an approximate inverse Fisher information (Σ for μ, ½ for a and b,
  /// e^{2b} for c), halving the step until F rises by at least 10⁻⁴ of the predicted increase
  /// and q keeps at least 1 − 10⁻⁶ of its mass on the grid (a q that leaves the grid would
  /// look better than it is). It stops when the predicted increase is below `tolerance`.
  /// Started from the encoder's q, the result is never worse than it.
  public func bestGaussian(
    diagonal: Bool = true, from start: Gaussian, tolerance: Double = 1e-10, maximumIterations: Int = 2000
  ) throws -> GaussianFit {
    guard start.dimension == 2 else {
      throw QuadratureError.shapeMismatch(
        "GridPosterior.bestGaussian: a \(start.dimension)-dimensional start for a 2-D latent grid")
    }
    let L = start.cholesky.L
    var theta: [Double]
    if diagonal {
      let s = start.covariance
      theta = [start.mean[0], start.mean[1], 0.5 * log(s[0, 0]), 0.5 * log(s[1, 1]), 0]
    } else {
      theta = [start.mean[0], start.mean[1], log(L[0, 0]), log(L[1, 1]), L[1, 0]]
    }
    let x = grid.coordinates(axis: 0), y = grid.coordinates(axis: 1), n = grid.counts[0], area = grid.cellArea
    let entropyConstant = 1 + logTwoPi
    /// F, ∇F and q's mass on the grid at θ.
    func evaluate(_ t: [Double]) -> (value: Double, gradient: [Double], mass: Double) {
      let l11 = exp(t[2]), l22 = exp(t[3]), c = t[4]
      let form = GaussianForm(mean: [t[0], t[1]], l11: l11, l21: c, l22: l22)
      var value = 0.0, mass = 0.0
      var grad = [Double](repeating: 0, count: 5)
      for g in 0..<grid.count {
        let e1 = (x[g % n] - t[0]) / l11
        let e2 = (y[g / n] - t[1] - c * e1) / l22
        let w = exp(form.logNormaliser - 0.5 * (e1 * e1 + e2 * e2)) * area
        if w == 0 { continue }
        mass += w
        let f = w * logJoint[g]
        value += f
        grad[0] += f * (e1 / l11 - e2 * c / (l11 * l22))
        grad[1] += f * (e2 / l22)
        grad[2] += f * (-1 + e1 * e1 - e2 * c * e1 / l22)
        grad[3] += f * (-1 + e2 * e2)
        grad[4] += f * (e1 * e2 / l22)
      }
      grad[2] += 1
      grad[3] += 1
      if diagonal { grad[4] = 0 }
      return (value + t[2] + t[3] + entropyConstant, grad, mass)
    }
    var current = evaluate(theta)
    var iterations = 0, eta = 1.0, predicted = Double.infinity
    while iterations < maximumIterations {
      iterations += 1
      let l11 = exp(theta[2]), l22 = exp(theta[3]), c = theta[4]
      let s11 = l11 * l11, s12 = l11 * c, s22 = c * c + l22 * l22
      let g = current.gradient
      let direction = [
        s11 * g[0] + s12 * g[1], s12 * g[0] + s22 * g[1], 0.5 * g[2], 0.5 * g[3], diagonal ? 0 : l22 * l22 * g[4],
      ]
      predicted = zip(direction, g).reduce(0) { $0 + $1.0 * $1.1 }
      if predicted < tolerance { break }
      eta = Swift.min(1, 2 * eta)
      var accepted = false
      while eta > 1e-12 {
        let trial = zip(theta, direction).map { $0 + eta * $1 }
        let next = evaluate(trial)
        if next.mass >= 1 - 1e-6 && next.value >= current.value + 1e-4 * eta * predicted {
          theta = trial
          current = next
          accepted = true
          break
        }
        eta /= 2
      }
      if !accepted { break }
    }
    let l11 = exp(theta[2]), l22 = exp(theta[3]), c = theta[4]
    let q = Gaussian(mean: Vector([theta[0], theta[1]]), choleskyFactor: Matrix([[l11, 0], [c, l22]]))
    return GaussianFit(gaussian: q, elbo: current.value, iterations: iterations, predictedIncrease: predicted)
  }
}

extension GridPosterior {
  /// The best of ``bestGaussian(diagonal:from:tolerance:maximumIterations:)`` started from each
  /// of `starts`: the ELBO of a Gaussian over a posterior with several modes has a local
  /// maximum at each, and one ascent finds only the one it starts near.
  public func bestGaussian(diagonal: Bool = true, starts: [Gaussian]) throws -> GaussianFit {
    guard !starts.isEmpty else { throw QuadratureError.invalidValue("GridPosterior.bestGaussian: no starting points") }
    return try starts.map { try bestGaussian(diagonal: diagonal, from: $0) }.max { $0.elbo < $1.elbo }!
  }

  /// Starting points for ``bestGaussian(diagonal:starts:)`` that do not depend on an encoder:
  /// the Gaussian with the posterior's mean and covariance, and two at the posterior's mode,
  /// one with that covariance and one with a sixteenth of it (for a mode narrower than the
  /// spread between modes).
  public var gaussianStarts: [Gaussian] {
    get throws {
      let s = covariance
      return [
        try Gaussian(mean: mean, covariance: s), try Gaussian(mean: mode, covariance: s),
        try Gaussian(mean: mode, covariance: s / 16),
      ]
    }
  }
}

/// The moments of a normalised importance weight W = p(z | x)/q(z) under z ~ q (E[W] = 1).
public struct ImportanceWeightMoments: Sendable, Hashable, Codable {
  /// Var W = E[W²] − 1, the χ² divergence of the posterior from q. The bias of the
  /// importance-weighted bound is about Var W/(2k) for large k (the delta method).
  public var variance: Double
  /// E[(W − 1)³], which enters the next term: bias ≈ Var W/(2k) + (¾ (Var W)² − ⅓ E[(W − 1)³])/k².
  public var thirdCentralMoment: Double
}

/// What ``GridPosterior/bestGaussian(diagonal:from:tolerance:maximumIterations:)`` found.
public struct GaussianFit: Sendable, Codable {
  /// The best q.
  public var gaussian: Gaussian
  /// Its ELBO on the grid.
  public var elbo: Double
  /// Ascent steps taken.
  public var iterations: Int
  /// The increase of the ELBO the last preconditioned gradient step predicted (below the tolerance at convergence).
  public var predictedIncrease: Double
}

/// log 𝒩(z; μ, LLᵀ) for a 2-D lower-triangular L, evaluated cell by cell.
struct GaussianForm {
  let mean: [Double]
  let l11: Double, l21: Double, l22: Double
  let logNormaliser: Double
  init(mean: [Double], l11: Double, l21: Double, l22: Double) {
    self.mean = mean
    self.l11 = l11; self.l21 = l21; self.l22 = l22
    logNormaliser = -logTwoPi - log(l11) - log(l22)
  }
  @inline(__always) func logDensity(_ z1: Double, _ z2: Double) -> Double {
    let e1 = (z1 - mean[0]) / l11
    let e2 = (z2 - mean[1] - l21 * e1) / l22
    return logNormaliser - 0.5 * (e1 * e1 + e2 * e2)
  }
}
