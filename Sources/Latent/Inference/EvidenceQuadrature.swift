import Dispatch
import Foundation

/// log p(x | z) of a batch of data points at any points z of a two-dimensional latent space:
/// what ``EvidenceQuadrature`` needs from a model. The prior is 𝒩(0, I).
///
/// Conformers: ``VariationalAutoencoder/BernoulliLikelihood`` (a VAE's decoder) and
/// ``ProbabilisticPCA/GaussianLikelihood`` (whose evidence has a closed form, for checking the
/// quadrature).
public protocol LatentLikelihood: Sendable {
  /// The number of data points.
  var count: Int { get }
  /// log p(xₙ | z_g) for every data point n (rows) and every row z_g of `z` (columns): count × G.
  func logLikelihoods(at z: Matrix) -> Matrix
  /// log p(xₙ | z_g) for the one data point n at every row z_g of `z`.
  func logLikelihoods(of n: Int, at z: Matrix) -> [Double]
}

/// log p(x) = log ∫ p(x | z) 𝒩(z; 0, I) dz for every data point of a model with a 2-D latent
/// space, by the midpoint rule on a grid chosen for each point (``GridPosterior``).
///
/// A posterior in two dimensions can be tens of times narrower than the prior, and it sits
/// somewhere different for every data point, so one grid cannot serve all. Two stages:
///
/// 1. **Where the mass is.** log p(x, z) on the coarse grid of ``coarseCells``² cells over
///    ``coarseRange``², shared by every data point (for a VAE: the cells decoded once, and one
///    matrix product of the data with their logits). The *support* of a data point is the box
///    of coarse cells whose log-joint is within ``supportDepth`` nats of the largest, widened
///    by one cell on each side.
/// 2. **The posterior, resolved.** A grid of ``firstCells``² cells for each data point over its
///    support; then, as long as it falls short, a new grid
///    over the support joined with the posterior mean ± ``halfWidth`` posterior standard
///    deviations (and a given Gaussian's mean ± ``halfWidth`` of its standard deviations), with
///    cells no wider than 1/``cellsPerStandardDeviation`` of the smaller of those deviations
///    (between ``minimumCells`` and ``maximumCells`` per coordinate). A grid falls short when
///    more than ``edgeTolerance`` of the posterior mass lies in its outermost ring (the box is
///    widened by half on every side), or when its cells are wider than the target or its box
///    does not cover the target box.
///
/// The result for each point is a ``GridPosterior`` whose cells resolve the posterior (after
/// ``maximumPasses`` grids the last one is returned as it is: its ``GridPosterior/edgeMass``
/// says whether it holds the posterior). Check a result by evaluating the same boxes with halved
/// cells (``posteriors(_:on:)`` with ``LatentGrid/refined(by:)``) and comparing log p(x).
public struct EvidenceQuadrature: Sendable, Hashable, Codable {
  /// The square searched in the first stage, [−6, 6]² by default (prior density there: e⁻¹⁸ of its peak).
  public var coarseRange: ClosedRange<Double>
  /// Cells per coordinate of the coarse grid (120: cells of 0.1 over [−6, 6]).
  public var coarseCells: Int
  /// How far below its largest value the coarse log-joint still counts as support, in nats.
  public var supportDepth: Double
  /// Half the width of a posterior's box, in posterior standard deviations.
  public var halfWidth: Double
  /// How many cells each posterior standard deviation is cut into (at least).
  public var cellsPerStandardDeviation: Double
  /// Fewest cells per coordinate of a posterior's grid.
  public var minimumCells: Int
  /// Most cells per coordinate of a posterior's grid.
  public var maximumCells: Int
  /// The largest posterior mass allowed in the outermost ring of cells.
  public var edgeTolerance: Double
  /// How many grids may be tried for one data point.
  public var maximumPasses: Int
  /// Cells per coordinate of the first grid over a data point's support.
  public var firstCells: Int

  public init(
    coarseRange: ClosedRange<Double> = -6...6, coarseCells: Int = 120, supportDepth: Double = 20,
    halfWidth: Double = 6.5, cellsPerStandardDeviation: Double = 2, minimumCells: Int = 16,
    maximumCells: Int = 160, edgeTolerance: Double = 1e-9, maximumPasses: Int = 6, firstCells: Int = 16
  ) {
    self.coarseRange = coarseRange; self.coarseCells = coarseCells; self.supportDepth = supportDepth
    self.halfWidth = halfWidth; self.cellsPerStandardDeviation = cellsPerStandardDeviation
    self.minimumCells = minimumCells; self.maximumCells = maximumCells; self.edgeTolerance = edgeTolerance
    self.maximumPasses = maximumPasses; self.firstCells = firstCells
  }

  func validate() throws {
    guard coarseCells >= 2, supportDepth > 0, halfWidth > 0, cellsPerStandardDeviation > 0, minimumCells >= 2,
      maximumCells >= minimumCells, edgeTolerance > 0, maximumPasses >= 1, firstCells >= 2
    else {
      throw QuadratureError.invalidValue(
        "EvidenceQuadrature: needs ≥ 2 coarse cells, positive depth, width, cells per deviation and edge tolerance, 2 ≤ minimum ≤ maximum cells and ≥ 1 pass; got \(self)"
      )
    }
  }

  /// log 𝒩(z; 0, I) for a 2-D z.
  static func logPrior(_ z1: Double, _ z2: Double) -> Double { -logTwoPi - 0.5 * (z1 * z1 + z2 * z2) }

  /// The coarse grid of stage 1.
  public var coarseGrid: LatentGrid {
    get throws { try LatentGrid(square: coarseRange, cells: coarseCells) }
  }

  /// The posterior of every data point of `likelihood` on a grid chosen for it (stages 1 and 2
  /// above). `covering`, one Gaussian per data point (e.g. an encoder's q(z | x)), makes each
  /// grid also cover and resolve that Gaussian, so that its ELBO can be computed on the grid.
  /// Data points are processed in parallel (`LATENT_THREADS`, default 2).
  /// - Throws: ``QuadratureError`` for a wrong number of Gaussians or bad settings.
  public func posteriors(_ likelihood: some LatentLikelihood, covering: [Gaussian]? = nil) throws -> [GridPosterior] {
    try validate()
    let n = likelihood.count
    if let covering {
      guard covering.count == n, covering.allSatisfy({ $0.dimension == 2 }) else {
        throw QuadratureError.shapeMismatch(
          "EvidenceQuadrature.posteriors: \(covering.count) Gaussians of dimensions \(Set(covering.map(\.dimension)).sorted()) for \(n) data points in a 2-D latent space"
        )
      }
    }
    let coarse = try coarseGrid
    let points = coarse.points
    let likelihoods = likelihood.logLikelihoods(at: points)
    guard likelihoods.rows == n, likelihoods.cols == coarse.count else {
      throw QuadratureError.shapeMismatch(
        "EvidenceQuadrature.posteriors: the likelihood returned \(likelihoods.shapeDescription) for \(n) data points at \(coarse.count) points"
      )
    }
    let prior = (0..<coarse.count).map { Self.logPrior(points[$0, 0], points[$0, 1]) }
    return try concurrentMap(n) { i in
      let row = (0..<coarse.count).map { likelihoods[i, $0] + prior[$0] }
      return try resolve(i, coarseLogJoint: row, coarse: coarse, likelihood: likelihood, covering: covering?[i])
    }
  }

  /// The posterior of every data point on the grid given for it (one grid per data point):
  /// for refinement studies (``LatentGrid/refined(by:)``), or to follow one set of points while
  /// a model changes.
  public func posteriors(_ likelihood: some LatentLikelihood, on grids: [LatentGrid]) throws -> [GridPosterior] {
    guard grids.count == likelihood.count else {
      throw QuadratureError.shapeMismatch(
        "EvidenceQuadrature.posteriors: \(grids.count) grids for \(likelihood.count) data points")
    }
    return try concurrentMap(grids.count) { i in try evaluate(i, on: grids[i], likelihood: likelihood) }
  }

  /// log p(xᵢ, z_g) at every cell of `grid`.
  func evaluate(_ i: Int, on grid: LatentGrid, likelihood: some LatentLikelihood) throws -> GridPosterior {
    let z = grid.points
    let ll = likelihood.logLikelihoods(of: i, at: z)
    guard ll.count == grid.count else {
      throw QuadratureError.shapeMismatch(
        "EvidenceQuadrature: the likelihood returned \(ll.count) values for \(grid.count) points")
    }
    return try GridPosterior(grid: grid, logJoint: (0..<grid.count).map { ll[$0] + Self.logPrior(z[$0, 0], z[$0, 1]) })
  }

  /// Stage 2 for data point i.
  func resolve(
    _ i: Int, coarseLogJoint row: [Double], coarse: LatentGrid, likelihood: some LatentLikelihood,
    covering q: Gaussian?
  ) throws -> GridPosterior {
    let nc = coarse.counts[0], h0 = coarse.spacing[0]
    let top = row.max()!
    guard top.isFinite else {
      throw QuadratureError.invalidValue(
        "EvidenceQuadrature: log p(x, z) of data point \(i) is \(top) on the coarse grid")
    }
    var (iLow, iHigh, jLow, jHigh) = (nc, -1, nc, -1)
    for g in row.indices where row[g] >= top - supportDepth {
      let a = g % nc, b = g / nc
      iLow = Swift.min(iLow, a); iHigh = Swift.max(iHigh, a)
      jLow = Swift.min(jLow, b); jHigh = Swift.max(jHigh, b)
    }
    let support = QuadratureBox(
      lower: [coarse.lower[0] + Double(iLow - 1) * h0, coarse.lower[1] + Double(jLow - 1) * h0],
      upper: [coarse.lower[0] + Double(iHigh + 2) * h0, coarse.lower[1] + Double(jHigh + 2) * h0])
    var qBox: QuadratureBox? = nil
    var qDeviation = [Double.infinity, Double.infinity]
    if let q {
      let s = q.covariance
      qDeviation = [s[0, 0].squareRoot(), s[1, 1].squareRoot()]
      qBox = QuadratureBox(
        lower: [q.mean[0] - halfWidth * qDeviation[0], q.mean[1] - halfWidth * qDeviation[1]],
        upper: [q.mean[0] + halfWidth * qDeviation[0], q.mean[1] + halfWidth * qDeviation[1]])
    }
    var box = qBox.map { support.union($0) } ?? support
    var cells = [firstCells, firstCells]
    var result = try evaluate(
      i, on: LatentGrid(lower: box.lower, upper: box.upper, counts: cells), likelihood: likelihood)
    for _ in 1..<maximumPasses {
      if result.edgeMass > edgeTolerance {
        // Mass at the edge: the same cells over a box half as wide again on every side.
        let spacing = result.grid.spacing
        box = box.widened(by: 0.5)
        cells = (0..<2).map { clampCells(box.width($0) / spacing[$0]) }
      } else {
        let m = result.mean, s = result.covariance
        let deviation = [s[0, 0].squareRoot(), s[1, 1].squareRoot()]
        var target = support.union(
          QuadratureBox(
            lower: [m[0] - halfWidth * deviation[0], m[1] - halfWidth * deviation[1]],
            upper: [m[0] + halfWidth * deviation[0], m[1] + halfWidth * deviation[1]]))
        if let qBox { target = target.union(qBox) }
        let wantedSpacing = (0..<2).map { Swift.min(deviation[$0], qDeviation[$0]) / cellsPerStandardDeviation }
        let spacing = result.grid.spacing
        let resolved = (0..<2).allSatisfy { k in
          spacing[k] <= wantedSpacing[k] * 1.0001 || result.grid.counts[k] >= maximumCells
        }
        if resolved && box.contains(target) { break }
        if !box.contains(target) { box = target }
        cells = (0..<2).map { clampCells(box.width($0) / wantedSpacing[$0]) }
      }
      result = try evaluate(
        i, on: LatentGrid(lower: box.lower, upper: box.upper, counts: cells), likelihood: likelihood)
    }
    return result
  }

  func clampCells(_ x: Double) -> Int {
    guard x.isFinite else { return maximumCells }
    return Swift.min(maximumCells, Swift.max(minimumCells, Int(x.rounded(.up))))
  }

}

/// `body(i)` for i in 0..<n on `LATENT_THREADS` threads (default 2), each calling OpenBLAS
/// single-threaded; the first error thrown is rethrown.
func concurrentMap<T>(_ n: Int, _ body: (Int) throws -> T) throws -> [T] {
  let parts = Swift.max(1, Swift.min(BLAS.environmentThreadCount(), n))
  var results = [T?](repeating: nil, count: n)
  var firstError: Error? = nil
  let lock = NSLock()
  BLAS.singleThreaded {
    results.withUnsafeMutableBufferPointer { out in
      let out = out
      DispatchQueue.concurrentPerform(iterations: parts) { p in
        var i = p
        while i < n {
          do {
            let r = try body(i)
            out[i] = r
          } catch {
            lock.lock()
            if firstError == nil { firstError = error }
            lock.unlock()
            return
          }
          i += parts
        }
      }
    }
  }
  if let firstError { throw firstError }
  return results.map { $0! }
}

/// An axis-aligned box in the latent plane.
struct QuadratureBox {
  var lower: [Double], upper: [Double]
  func width(_ k: Int) -> Double { upper[k] - lower[k] }
  func union(_ o: QuadratureBox) -> QuadratureBox {
    QuadratureBox(
      lower: [Swift.min(lower[0], o.lower[0]), Swift.min(lower[1], o.lower[1])],
      upper: [Swift.max(upper[0], o.upper[0]), Swift.max(upper[1], o.upper[1])])
  }
  func contains(_ o: QuadratureBox) -> Bool {
    (0..<2).allSatisfy { lower[$0] <= o.lower[$0] && upper[$0] >= o.upper[$0] }
  }
  /// The box grown by `fraction` of its width on every side.
  func widened(by fraction: Double) -> QuadratureBox {
    QuadratureBox(
      lower: (0..<2).map { lower[$0] - fraction * width($0) },
      upper: (0..<2).map { upper[$0] + fraction * width($0) })
  }
}
