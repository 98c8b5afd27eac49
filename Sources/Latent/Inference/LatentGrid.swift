import Foundation

/// Why a grid quadrature could not be set up or evaluated. The description is the message a
/// student sees: it names the grid, the shapes or the quantity at fault.
public enum QuadratureError: Error, CustomStringConvertible, Equatable {
  /// A box or cell count that does not make a grid (bounds not finite or not increasing, fewer
  /// than one cell, not two coordinates).
  case invalidGrid(String)
  /// Arrays or matrices whose shapes do not fit together.
  case shapeMismatch(String)
  /// A value that is NaN where a number is needed, or a setting outside its range.
  case invalidValue(String)

  public var description: String {
    switch self {
    case .invalidGrid(let m), .shapeMismatch(let m), .invalidValue(let m): return m
    }
  }
}

/// A box [a₁, b₁] × [a₂, b₂] of the latent plane cut into n₁ × n₂ equal cells, for the
/// midpoint rule
///
///     ∫∫_box f(z) dz ≈ ΔA Σ_g f(z_g),   ΔA = h₁h₂,   hᵢ = (bᵢ − aᵢ)/nᵢ,
///
/// with z_g the cell centres. Cell g = j·n₁ + i (z₁ runs fastest) has centre
/// (a₁ + (i + ½)h₁, a₂ + (j + ½)h₂).
///
/// **Accuracy.** For a smooth integrand that has decayed to nothing at the box's edges the rule
/// is exponentially accurate in 1/h: by Poisson summation, a Gaussian of standard deviation s
/// is integrated with relative error about 2 exp(−2π²s²/h²) per coordinate, 5·10⁻⁹ at h = s
/// and below 10⁻³⁰ at h = s/2. A kink in f (a ReLU decoder has one along every hidden unit's
/// hyperplane) costs O(h²) instead, so a grid's accuracy is checked by halving h
/// (``refined(by:)``) and comparing.
public struct LatentGrid: Sendable, Hashable, Codable {
  /// (a₁, a₂), the box's lower corner.
  public let lower: [Double]
  /// (b₁, b₂), the box's upper corner.
  public let upper: [Double]
  /// (n₁, n₂), cells along each coordinate.
  public let counts: [Int]

  /// The grid of `counts[0]` × `counts[1]` cells over the box from `lower` to `upper`.
  /// - Throws: ``QuadratureError/invalidGrid(_:)`` unless there are two finite, increasing
  ///   bounds and at least one cell along each coordinate.
  public init(lower: [Double], upper: [Double], counts: [Int]) throws {
    guard lower.count == 2, upper.count == 2, counts.count == 2 else {
      throw QuadratureError.invalidGrid(
        "LatentGrid: needs 2 lower bounds, 2 upper bounds and 2 cell counts, got \(lower.count), \(upper.count) and \(counts.count)"
      )
    }
    for i in 0..<2 {
      guard lower[i].isFinite, upper[i].isFinite, lower[i] < upper[i] else {
        throw QuadratureError.invalidGrid(
          "LatentGrid: coordinate \(i + 1) runs from \(formatScalar(lower[i])) to \(formatScalar(upper[i])); needs finite bounds, lower < upper"
        )
      }
      guard counts[i] >= 1 else {
        throw QuadratureError.invalidGrid("LatentGrid: \(counts[i]) cells along coordinate \(i + 1); needs at least 1")
      }
    }
    self.lower = lower
    self.upper = upper
    self.counts = counts
  }

  /// The grid of n × n cells over the square [a, b]².
  public init(square range: ClosedRange<Double>, cells n: Int) throws {
    try self.init(
      lower: [range.lowerBound, range.lowerBound], upper: [range.upperBound, range.upperBound], counts: [n, n])
  }

  /// (h₁, h₂), the cell widths.
  public var spacing: [Double] { (0..<2).map { (upper[$0] - lower[$0]) / Double(counts[$0]) } }
  /// ΔA = h₁h₂.
  public var cellArea: Double { spacing[0] * spacing[1] }
  /// n₁·n₂, the number of cells.
  public var count: Int { counts[0] * counts[1] }

  /// The cell centres along coordinate `axis` (0 or 1), increasing.
  public func coordinates(axis: Int) -> [Double] {
    require(axis == 0 || axis == 1, "LatentGrid.coordinates: axis \(axis), needs 0 or 1")
    let h = spacing[axis]
    return (0..<counts[axis]).map { lower[axis] + (Double($0) + 0.5) * h }
  }

  /// The centre of cell g = j·n₁ + i.
  public func centre(of g: Int) -> [Double] {
    require(g >= 0 && g < count, "LatentGrid.centre: cell \(g) of \(count)")
    let h = spacing
    return [lower[0] + (Double(g % counts[0]) + 0.5) * h[0], lower[1] + (Double(g / counts[0]) + 0.5) * h[1]]
  }

  /// Every cell centre, one row per cell in cell order (count × 2).
  public var points: Matrix {
    let x = coordinates(axis: 0), y = coordinates(axis: 1)
    var s = [Double]()
    s.reserveCapacity(2 * count)
    for b in y { for a in x { s += [a, b] } }
    return Matrix(rows: count, cols: 2, scalars: s)
  }

  /// The same box with `factor` times as many cells along each coordinate (h divided by `factor`).
  public func refined(by factor: Int) throws -> LatentGrid {
    guard factor >= 1 else { throw QuadratureError.invalidValue("LatentGrid.refined: factor \(factor), needs ≥ 1") }
    return try LatentGrid(lower: lower, upper: upper, counts: counts.map { $0 * factor })
  }

  /// Whether cell g lies in the outermost ring of cells.
  public func isOnEdge(_ g: Int) -> Bool {
    let i = g % counts[0], j = g / counts[0]
    return i == 0 || j == 0 || i == counts[0] - 1 || j == counts[1] - 1
  }
}
