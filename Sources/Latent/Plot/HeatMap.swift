import Foundation

/// A heat map of a matrix (e.g. a covariance, a loading matrix W, a confusion
/// matrix): one cell per entry, row 0 at the top, with a colour bar.
///
/// Signed data (or `diverging: true`) uses a blue–white–red scale centred at 0
/// with limits ±max|Aᵢⱼ|; otherwise a sequential (viridis-like) scale from min to max.
public struct HeatMap: SVGRepresentable, Sendable, Codable {
  public var matrix: Matrix
  public var title: String
  /// Optional labels for rows (left) and columns (below).
  public var rowLabels: [String]?
  public var columnLabels: [String]?
  /// Print each value in its cell (default: when the matrix has at most 12×12 entries).
  public var showsValues: Bool
  /// Force a diverging (centred at zero) colour scale; default: when entries have both signs.
  public var diverging: Bool
  var customAltText: String?

  public init(
    _ matrix: Matrix, title: String, rowLabels: [String]? = nil, columnLabels: [String]? = nil,
    diverging: Bool? = nil
  ) {
    self.matrix = matrix
    self.title = title
    self.rowLabels = rowLabels
    self.columnLabels = columnLabels
    self.showsValues = matrix.rows <= 12 && matrix.cols <= 12
    self.diverging = diverging ?? (matrix.min < 0 && matrix.max > 0)
  }

  public var altText: String {
    get {
      customAltText
        ?? "Heat map of a \(matrix.rows)×\(matrix.cols) matrix, \(title), with values from \(formatScalar(matrix.min)) to \(formatScalar(matrix.max))."
    }
    set { customAltText = newValue }
  }

  /// Sequential scale (viridis anchors) or diverging blue–white–red, t ∈ [0, 1].
  static func color(_ t: Double, diverging: Bool) -> String {
    let anchors: [(Double, Double, Double)] =
      diverging
      ? [(33, 102, 172), (103, 169, 207), (247, 247, 247), (239, 138, 98), (178, 24, 43)]
      : [(68, 1, 84), (59, 82, 139), (33, 145, 140), (94, 201, 98), (253, 231, 37)]
    let t = min(max(t.isFinite ? t : 0.5, 0), 1) * Double(anchors.count - 1)
    let i = min(Int(t), anchors.count - 2), f = t - Double(i)
    let a = anchors[i], b = anchors[i + 1]
    func mix(_ x: Double, _ y: Double) -> Int { Int((x + (y - x) * f).rounded()) }
    return String(format: "#%02X%02X%02X", mix(a.0, b.0), mix(a.1, b.1), mix(a.2, b.2))
  }

  public var svg: String {
    let m = matrix.rows, n = matrix.cols
    let labelW = rowLabels == nil ? 16.0 : 8 + 7 * Double(rowLabels!.map(\.count).max() ?? 0)
    let labelH = columnLabels == nil ? 10.0 : 10 + 6.5 * Double(columnLabels!.map(\.count).max() ?? 0)
    let cell = max(4, min(48, 480 / Double(max(m, n, 1))))
    let gridW = cell * Double(n), gridH = cell * Double(m)
    let contentW = labelW + 8 + gridW + 90
    let width = max(contentW, 480), top = 44.0, height = top + gridH + labelH + 12
    let left = labelW + 8 + (width - contentW) / 2  // centred in at least 480 units
    let lo = diverging ? -max(abs(matrix.min), abs(matrix.max)) : matrix.min
    let hi = diverging ? -lo : matrix.max
    let span = hi > lo ? hi - lo : 1
    var out = svgHeader(width: width, height: height, title: title, desc: altText, idSeed: "heat\(m)x\(n)" + title)
    out +=
      "<text class=\"lt-title\" x=\"\(svgNumber(width / 2))\" y=\"26\" text-anchor=\"middle\">\(xmlEscape(title))</text>\n<g>"
    for i in 0..<m {
      for j in 0..<n {
        let v = matrix[i, j]
        out +=
          "<rect x=\"\(svgNumber(left + cell * Double(j)))\" y=\"\(svgNumber(top + cell * Double(i)))\" width=\"\(svgNumber(cell))\" height=\"\(svgNumber(cell))\" fill=\"\(HeatMap.color((v - lo) / span, diverging: diverging))\"><title>(\(i), \(j)): \(formatScalar(v))</title></rect>"
      }
    }
    out += "</g>\n"
    if showsValues {
      out += "<g class=\"lt-tick\" text-anchor=\"middle\" style=\"fill:#000\">"
      for i in 0..<m {
        for j in 0..<n {
          let v = matrix[i, j], t = (v - lo) / span
          let dark = diverging ? abs(t - 0.5) > 0.35 : t < 0.45
          out +=
            "<text x=\"\(svgNumber(left + cell * (Double(j) + 0.5)))\" y=\"\(svgNumber(top + cell * (Double(i) + 0.5) + 4))\" style=\"fill:\(dark ? "#fff" : "#000")\">\(xmlEscape(String(format: "%.2g", v)))</text>"
        }
      }
      out += "</g>\n"
    }
    if let rowLabels {
      for (i, l) in rowLabels.prefix(m).enumerated() {
        out +=
          "<text class=\"lt-tick\" x=\"\(svgNumber(left - 6))\" y=\"\(svgNumber(top + cell * (Double(i) + 0.5) + 4))\" text-anchor=\"end\">\(xmlEscape(l))</text>\n"
      }
    }
    if let columnLabels {
      for (j, l) in columnLabels.prefix(n).enumerated() {
        let x = left + cell * (Double(j) + 0.5), y = top + gridH + 8
        out +=
          "<text class=\"lt-tick\" x=\"\(svgNumber(x))\" y=\"\(svgNumber(y))\" text-anchor=\"end\" transform=\"rotate(-60 \(svgNumber(x)) \(svgNumber(y)))\">\(xmlEscape(l))</text>\n"
      }
    }
    // Colour bar.
    let bx = left + gridW + 20, bh = max(gridH, 60)
    for k in 0..<32 {
      let t = 1 - Double(k) / 31
      out +=
        "<rect x=\"\(svgNumber(bx))\" y=\"\(svgNumber(top + bh * Double(k) / 32))\" width=\"14\" height=\"\(svgNumber(bh / 32 + 0.5))\" fill=\"\(HeatMap.color(t, diverging: diverging))\"/>"
    }
    out +=
      "\n<text class=\"lt-tick\" x=\"\(svgNumber(bx + 18))\" y=\"\(svgNumber(top + 8))\">\(xmlEscape(formatScalar(hi)))</text>"
    out +=
      "<text class=\"lt-tick\" x=\"\(svgNumber(bx + 18))\" y=\"\(svgNumber(top + bh))\">\(xmlEscape(formatScalar(lo)))</text>\n"
    return out + "</svg>\n"
  }
}
