import Foundation

/// Axis scale of a ``Plot``.
public enum AxisScale: Sendable, Codable {
  /// Equal distances for equal differences.
  case linear
  /// Equal distances for equal ratios (base 10); non-positive values are skipped.
  case log
}

/// A 2-D figure built layer by layer — lines, scatter points, marked points,
/// histograms, Gaussian contour ellipses, reference lines — rendered to a
/// deterministic SVG with nice ticks, a legend, a `<title>` and a `<desc>`.
///
/// ```swift
/// var fig = LinePlot(title: "KL(q‖p) for q = 𝒩(0, σ²), p = 𝒩(0, 1)", xLabel: "σ²", yLabel: "KL")
/// fig.addLine(x: s2, y: kl, label: "KL(q‖p)")
/// fig.addPoint(x: 1, y: 0, label: "minimum at σ² = 1")
/// ```
///
/// Colours come from CSS classes backed by custom properties (`--latent-c0` …),
/// and text/axes use `currentColor`, so pages can restyle figures (dark mode).
/// The SVG has a `viewBox` and no fixed size, so it scales to its column.
public struct Plot: SVGRepresentable, Sendable, Codable {
  /// The title, shown above the plot and used as the SVG `<title>`.
  public var title: String
  /// The horizontal axis label.
  public var xLabel: String
  /// The vertical axis label.
  public var yLabel: String
  /// Linear (default) or log x axis.
  public var xScale: AxisScale = .linear
  /// Linear (default) or log y axis.
  public var yScale: AxisScale = .linear
  /// Fixed x range; `nil` (default) fits the data and rounds outward to nice ticks.
  public var xRange: ClosedRange<Double>?
  /// Fixed y range; `nil` fits the data.
  public var yRange: ClosedRange<Double>?
  /// Whether labelled layers are listed in a legend (top right).
  public var showsLegend = true
  /// Where the legend goes.
  public var legendPosition: LegendPosition = .topRight
  /// Make one data unit the same length on both axes (for ellipses and scatter plots of latent spaces).
  public var equalAspect = false
  /// Size of the drawing in viewBox units (the SVG itself scales to its container).
  public var width = 640.0, height = 400.0

  /// Legend placement inside the plotting area.
  public enum LegendPosition: Sendable, Codable { case topRight, topLeft, bottomRight, bottomLeft }

  enum Layer: Sendable, Codable {
    case line(x: [Double], y: [Double], label: String?, color: Int, dashed: Bool)
    case band(x: [Double], lower: [Double], upper: [Double], label: String?, color: Int)
    case scatter(x: [Double], y: [Double], label: String?, color: Int, radius: Double)
    case categories(x: [Double], y: [Double], category: [Int], names: [String], radius: Double)
    case point(x: Double, y: Double, label: String?, color: Int)
    case bars(edges: [Double], heights: [Double], label: String?, color: Int)
    case ellipse(x: [Double], y: [Double], label: String?, color: Int)
    case vertical(x: Double, label: String?)
    case horizontal(y: Double, label: String?)
  }
  var layers: [Layer] = []
  var nextColor = 0
  var customAltText: String?

  /// An empty plot.
  public init(title: String, xLabel: String = "x", yLabel: String = "y") {
    self.title = title
    self.xLabel = xLabel
    self.yLabel = yLabel
  }

  mutating func takeColor(_ c: Int?) -> Int {
    if let c { return c }
    defer { nextColor += 1 }
    return nextColor % paletteHex.count
  }

  // MARK: Layers

  /// A polyline through (xᵢ, yᵢ); non-finite values (and non-positive ones on a log axis) break the line.
  /// - Parameters:
  ///   - color: palette index 0–9; `nil` takes the next colour.
  public mutating func addLine<X: Sequence, Y: Sequence>(
    x: X, y: Y, label: String? = nil, color: Int? = nil, dashed: Bool = false
  )
  where X.Element == Double, Y.Element == Double {
    let xs = Array(x), ys = Array(y)
    require(xs.count == ys.count, "addLine: \(xs.count) x values but \(ys.count) y values")
    layers.append(.line(x: xs, y: ys, label: label, color: takeColor(color), dashed: dashed))
  }

  /// The graph of f on `domain`, sampled at `samples` evenly spaced points (log-spaced on a log x axis
  /// if you set ``xScale`` first).
  public mutating func addFunction(
    _ f: (Double) -> Double, over domain: ClosedRange<Double>, samples: Int = 200,
    label: String? = nil, color: Int? = nil, dashed: Bool = false
  ) {
    let n = max(samples, 2)
    let xs: [Double] = (0..<n).map { i in
      let t = Double(i) / Double(n - 1)
      if xScale == .log && domain.lowerBound > 0 {
        return exp(log(domain.lowerBound) + t * (log(domain.upperBound) - log(domain.lowerBound)))
      }
      return domain.lowerBound + t * (domain.upperBound - domain.lowerBound)
    }
    addLine(x: xs, y: xs.map(f), label: label, color: color, dashed: dashed)
  }

  /// A shaded band between `lower` and `upper` (e.g. ±2 standard deviations).
  public mutating func addBand<X: Sequence, L: Sequence, U: Sequence>(
    x: X, lower: L, upper: U, label: String? = nil, color: Int? = nil
  )
  where X.Element == Double, L.Element == Double, U.Element == Double {
    let xs = Array(x), lo = Array(lower), hi = Array(upper)
    require(
      xs.count == lo.count && xs.count == hi.count,
      "addBand: \(xs.count) x values, \(lo.count) lower, \(hi.count) upper")
    layers.append(.band(x: xs, lower: lo, upper: hi, label: label, color: takeColor(color)))
  }

  /// Scatter points of one colour.
  public mutating func addScatter<X: Sequence, Y: Sequence>(
    x: X, y: Y, label: String? = nil, color: Int? = nil, radius: Double = 2.5
  )
  where X.Element == Double, Y.Element == Double {
    let xs = Array(x), ys = Array(y)
    require(xs.count == ys.count, "addScatter: \(xs.count) x values but \(ys.count) y values")
    layers.append(.scatter(x: xs, y: ys, label: label, color: takeColor(color), radius: radius))
  }

  /// Scatter points coloured by category (palette colour = category index mod 10),
  /// with one legend entry per category name, e.g. wine cultivars or clothing classes.
  public mutating func addScatter<X: Sequence, Y: Sequence>(
    x: X, y: Y, categories: [Int], names: [String]? = nil, radius: Double = 2.5
  )
  where X.Element == Double, Y.Element == Double {
    let xs = Array(x), ys = Array(y)
    require(
      xs.count == ys.count && xs.count == categories.count,
      "addScatter: \(xs.count) x values, \(ys.count) y values, \(categories.count) categories")
    let k = (categories.max() ?? -1) + 1
    let labels = names ?? (0..<k).map { "class \($0)" }
    layers.append(.categories(x: xs, y: ys, category: categories, names: labels, radius: radius))
  }

  /// Scatter of the two columns of an n×2 matrix, coloured by category.
  public mutating func addScatter(_ points: Matrix, categories: [Int], names: [String]? = nil, radius: Double = 2.5) {
    require(points.cols == 2, "addScatter: points must be n×2, got \(points.shapeDescription)")
    addScatter(x: points.column(0), y: points.column(1), categories: categories, names: names, radius: radius)
  }

  /// A single marked point with a text annotation next to it (e.g. "minimum at σ² = 1").
  public mutating func addPoint(x: Double, y: Double, label: String? = nil, color: Int? = nil) {
    layers.append(.point(x: x, y: y, label: label, color: color ?? 1))
  }

  /// A histogram of `values` with `bins` equal-width bins over their range (or `range`).
  /// With `density` (default) the bar areas sum to 1, so a density curve can be overlaid.
  public mutating func addHistogram<S: Sequence>(
    _ values: S, bins: Int = 30, range: ClosedRange<Double>? = nil,
    density: Bool = true, label: String? = nil, color: Int? = nil
  )
  where S.Element == Double {
    let v = values.filter { $0.isFinite }
    require(bins > 0, "addHistogram: bins must be positive, got \(bins)")
    let lo = range?.lowerBound ?? (v.min() ?? 0), hi0 = range?.upperBound ?? (v.max() ?? 1)
    let hi = hi0 > lo ? hi0 : lo + 1
    let w = (hi - lo) / Double(bins)
    var counts = [Double](repeating: 0, count: bins)
    var total = 0.0
    for x in v where x >= lo && x <= hi {
      counts[min(Int((x - lo) / w), bins - 1)] += 1
      total += 1
    }
    let heights = density && total > 0 ? counts.map { $0 / (total * w) } : counts
    let edges = (0...bins).map { lo + Double($0) * w }
    layers.append(.bars(edges: edges, heights: heights, label: label, color: takeColor(color)))
  }

  /// Contour ellipses {x : (x − μ)ᵀΣ⁻¹(x − μ) = r²} of a 2-D Gaussian for each
  /// Mahalanobis radius r in `levels` (r = 1, 2 enclose 39% and 86% of the mass).
  public mutating func addGaussianContours(
    mean: Vector, covariance: Matrix, levels: [Double] = [1, 2],
    label: String? = nil, color: Int? = nil
  ) {
    require(
      mean.count == 2 && covariance.rows == 2 && covariance.cols == 2,
      "addGaussianContours: needs a 2-D mean and 2x2 covariance, got length \(mean.count) and \(covariance.shapeDescription)"
    )
    let symmetric = 0.5 * (covariance + covariance.transposed)
    guard let factor = try? symmetric.cholesky() else {
      requireFailed("addGaussianContours: covariance \(covariance) is not positive definite", file: #file, line: #line)
    }
    addContours(mean: mean, L: factor.L, levels: levels, label: label, color: color)
  }

  /// Contours of a ``Gaussian`` (must be 2-D), from its stored Cholesky factor.
  public mutating func addGaussianContours(
    _ g: Gaussian, levels: [Double] = [1, 2], label: String? = nil, color: Int? = nil
  ) {
    require(g.mean.count == 2, "addGaussianContours: needs a 2-D Gaussian, got dimension \(g.mean.count)")
    addContours(mean: g.mean, L: g.cholesky.L, levels: levels, label: label, color: color)
  }

  /// The ellipses μ + r L (cos t, sin t) for Σ = LLᵀ.
  private mutating func addContours(mean: Vector, L: Matrix, levels: [Double], label: String?, color: Int?) {
    let c = takeColor(color)
    for (k, r) in levels.enumerated() {
      let pts: [(Double, Double)] = (0...96).map { i in
        let t = 2 * Double.pi * Double(i) / 96
        let u = r * cos(t), v = r * sin(t)
        return (mean[0] + L[0, 0] * u, mean[1] + L[1, 0] * u + L[1, 1] * v)
      }
      layers.append(.ellipse(x: pts.map(\.0), y: pts.map(\.1), label: k == 0 ? label : nil, color: c))
    }
  }

  /// A dashed vertical reference line x = c.
  public mutating func addVerticalLine(x: Double, label: String? = nil) { layers.append(.vertical(x: x, label: label)) }
  /// A dashed horizontal reference line y = c.
  public mutating func addHorizontalLine(y: Double, label: String? = nil) {
    layers.append(.horizontal(y: y, label: label))
  }

  // MARK: Accessibility

  /// One-sentence alt text. Generated from the title, axes and legend unless you set it.
  public var altText: String {
    get { customAltText ?? generatedAltText }
    set { customAltText = newValue }
  }

  var legendEntries: [(label: String, color: Int, kind: Int)] {
    var out: [(String, Int, Int)] = []
    for l in layers {
      switch l {
      case .line(_, _, let label?, let c, _): out.append((label, c, 0))
      case .band(_, _, _, let label?, let c): out.append((label, c, 3))
      case .scatter(_, _, let label?, let c, _): out.append((label, c, 1))
      case .bars(_, _, let label?, let c): out.append((label, c, 2))
      case .ellipse(_, _, let label?, let c): out.append((label, c, 0))
      case .categories(_, _, let cats, let names, _):
        let present = Set(cats)
        for (k, n) in names.enumerated() where present.contains(k) { out.append((n, k % paletteHex.count, 1)) }
      default: break
      }
    }
    return out
  }

  var generatedAltText: String {
    var kinds: [String] = []
    for l in layers {
      let k: String
      switch l {
      case .line, .band: k = "line"
      case .scatter, .categories: k = "scatter"
      case .bars: k = "histogram"
      case .ellipse: k = "contour"
      default: continue
      }
      if !kinds.contains(k) { kinds.append(k) }
    }
    let kind =
      kinds.isEmpty
      ? "Plot"
      : kinds.joined(separator: " and ").prefix(1).uppercased() + kinds.joined(separator: " and ").dropFirst() + " plot"
    var s = "\(kind) of \(yLabel) against \(xLabel)"
    if yScale == .log || xScale == .log {
      s +=
        " (\([xScale == .log ? "x" : nil, yScale == .log ? "y" : nil].compactMap { $0 }.joined(separator: " and ")) on a log scale)"
    }
    let names = legendEntries.map(\.label)
    if !names.isEmpty { s += " showing " + names.joined(separator: ", ") }
    let marks = layers.compactMap { l -> String? in
      if case .point(_, _, let label?, _) = l { return label } else { return nil }
    }
    if !marks.isEmpty { s += "; marked: " + marks.joined(separator: "; ") }
    return s + "."
  }
}

/// A ``Plot`` used for lines (the same type; the name reads better at the call site).
public typealias LinePlot = Plot
/// A ``Plot`` used for scatter plots.
public typealias ScatterPlot = Plot

extension Plot {
  /// A histogram figure of `values` in one call.
  public static func histogram<S: Sequence>(
    _ values: S, bins: Int = 30, title: String, xLabel: String = "x",
    density: Bool = true
  ) -> Plot where S.Element == Double {
    var p = Plot(title: title, xLabel: xLabel, yLabel: density ? "density" : "count")
    p.addHistogram(values, bins: bins, density: density)
    return p
  }
}
