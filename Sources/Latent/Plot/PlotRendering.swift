import Foundation

extension Plot {
  /// Maps data values to viewBox coordinates for one axis.
  struct AxisMap {
    var domain: ClosedRange<Double>
    var ticks: [Double]
    var scale: AxisScale
    var from: Double, to: Double  // pixel range (to < from for y)

    func t(_ v: Double) -> Double { scale == .log ? log10(v) : v }
    func callAsFunction(_ v: Double) -> Double? {
      guard v.isFinite, scale == .linear || v > 0 else { return nil }
      let a = t(domain.lowerBound), b = t(domain.upperBound)
      return from + (t(v) - a) / (b - a) * (to - from)
    }
    var tickStep: Double { ticks.count > 1 ? abs(ticks[1] - ticks[0]) : 1 }
  }

  /// All data values along one axis, for fitting the range.
  func dataValues(x: Bool) -> [Double] {
    var v: [Double] = []
    for l in layers {
      switch l {
      case .line(let xs, let ys, _, _, _): v += x ? xs : ys
      case .band(let xs, let lo, let hi, _, _): v += x ? xs : lo + hi
      case .scatter(let xs, let ys, _, _, _): v += x ? xs : ys
      case .categories(let xs, let ys, _, _, _): v += x ? xs : ys
      case .point(let px, let py, _, _): v.append(x ? px : py)
      case .bars(let e, let h, _, _): v += x ? e : h + [0]
      case .ellipse(let ex, let ey, _, _): v += x ? ex : ey
      case .vertical(let c, _): if x { v.append(c) }
      case .horizontal(let c, _): if !x { v.append(c) }
      }
    }
    let scale = x ? xScale : yScale
    return v.filter { $0.isFinite && (scale == .linear || $0 > 0) }
  }

  func axis(x: Bool, from: Double, to: Double) -> AxisMap {
    let scale = x ? xScale : yScale
    let fixed = x ? xRange : yRange
    let v = dataValues(x: x)
    let lo = v.min() ?? (scale == .log ? 1 : 0), hi = v.max() ?? (scale == .log ? 10 : 1)
    if let fixed {
      let ticks =
        scale == .log
        ? Ticks.logarithmic(fixed.lowerBound, fixed.upperBound).ticks.filter { fixed.contains($0) }
        : Ticks.within(fixed, target: x ? 6 : 5)
      return AxisMap(domain: fixed, ticks: ticks, scale: scale, from: from, to: to)
    }
    let (domain, ticks) = scale == .log ? Ticks.logarithmic(lo, hi) : Ticks.linear(lo, hi, target: x ? 6 : 5)
    return AxisMap(domain: domain, ticks: ticks, scale: scale, from: from, to: to)
  }

  /// The complete SVG document.
  public var svg: String {
    let left = 72.0, right = width - 18, top = title.isEmpty ? 18.0 : 46.0, bottom = height - 58
    var xm = axis(x: true, from: left, to: right)
    var ym = axis(x: false, from: bottom, to: top)
    if equalAspect, xScale == .linear, yScale == .linear {
      // Widen the axis whose units are larger so one unit has the same length on both.
      let ux = (right - left) / (xm.domain.upperBound - xm.domain.lowerBound)
      let uy = (bottom - top) / (ym.domain.upperBound - ym.domain.lowerBound)
      if ux > uy {
        let c = 0.5 * (xm.domain.lowerBound + xm.domain.upperBound), h = 0.5 * (right - left) / uy
        xm.domain = (c - h)...(c + h); xm.ticks = Ticks.within(xm.domain, target: 6)
      } else if uy > ux {
        let c = 0.5 * (ym.domain.lowerBound + ym.domain.upperBound), h = 0.5 * (bottom - top) / ux
        ym.domain = (c - h)...(c + h); ym.ticks = Ticks.within(ym.domain, target: 5)
      }
    }
    let clipSeed = title + xLabel + yLabel + String(layers.count)
    let clipID =
      "lt-clip-"
      + String(fnv1a(clipSeed + svgNumber(xm.domain.lowerBound) + svgNumber(ym.domain.upperBound)), radix: 16)

    var out = svgHeader(width: width, height: height, title: title, desc: descText(xm, ym), idSeed: clipSeed)
    out +=
      "<defs><clipPath id=\"\(clipID)\"><rect x=\"\(svgNumber(left))\" y=\"\(svgNumber(top))\" width=\"\(svgNumber(right - left))\" height=\"\(svgNumber(bottom - top))\"/></clipPath></defs>\n"
    if !title.isEmpty {
      out +=
        "<text class=\"lt-title\" x=\"\(svgNumber(width / 2))\" y=\"26\" text-anchor=\"middle\">\(xmlEscape(title))</text>\n"
    }
    // Grid and ticks.
    out += "<g class=\"lt-ticks\">\n"
    for t in xm.ticks {
      if let px = xm(t) {
        out +=
          "<line class=\"lt-grid\" x1=\"\(svgNumber(px))\" y1=\"\(svgNumber(top))\" x2=\"\(svgNumber(px))\" y2=\"\(svgNumber(bottom))\"/>"
        out +=
          "<line class=\"lt-axis\" x1=\"\(svgNumber(px))\" y1=\"\(svgNumber(bottom))\" x2=\"\(svgNumber(px))\" y2=\"\(svgNumber(bottom + 5))\"/>"
        out +=
          "<text class=\"lt-tick\" x=\"\(svgNumber(px))\" y=\"\(svgNumber(bottom + 18))\" text-anchor=\"middle\">\(xmlEscape(tickLabel(t, xm)))</text>\n"
      }
    }
    for t in ym.ticks {
      if let py = ym(t) {
        out +=
          "<line class=\"lt-grid\" x1=\"\(svgNumber(left))\" y1=\"\(svgNumber(py))\" x2=\"\(svgNumber(right))\" y2=\"\(svgNumber(py))\"/>"
        out +=
          "<line class=\"lt-axis\" x1=\"\(svgNumber(left - 5))\" y1=\"\(svgNumber(py))\" x2=\"\(svgNumber(left))\" y2=\"\(svgNumber(py))\"/>"
        out +=
          "<text class=\"lt-tick\" x=\"\(svgNumber(left - 8))\" y=\"\(svgNumber(py + 4))\" text-anchor=\"end\">\(xmlEscape(tickLabel(t, ym)))</text>\n"
      }
    }
    out += "</g>\n"
    out +=
      "<rect class=\"lt-axis\" x=\"\(svgNumber(left))\" y=\"\(svgNumber(top))\" width=\"\(svgNumber(right - left))\" height=\"\(svgNumber(bottom - top))\"/>\n"
    out +=
      "<text x=\"\(svgNumber((left + right) / 2))\" y=\"\(svgNumber(height - 16))\" text-anchor=\"middle\">\(xmlEscape(xLabel))</text>\n"
    out +=
      "<text x=\"18\" y=\"\(svgNumber((top + bottom) / 2))\" text-anchor=\"middle\" transform=\"rotate(-90 18 \(svgNumber((top + bottom) / 2)))\">\(xmlEscape(yLabel))</text>\n"

    // Data layers, clipped to the plotting area.
    out += "<g clip-path=\"url(#\(clipID))\">\n"
    var annotations = ""
    for l in layers {
      switch l {
      case .line(let xs, let ys, _, let c, let dashed):
        let d = pathData(zip(xs, ys).map { (xm($0), ym($1)) })
        if !d.isEmpty { out += "<path class=\"lt-line lt-s\(c)\(dashed ? " lt-dashed" : "")\" d=\"\(d)\"/>\n" }
      case .band(let xs, let lo, let hi, _, let c):
        var pts: [(Double, Double)] = []
        for i in xs.indices { if let px = xm(xs[i]), let py = ym(lo[i]) { pts.append((px, py)) } }
        for i in xs.indices.reversed() { if let px = xm(xs[i]), let py = ym(hi[i]) { pts.append((px, py)) } }
        if pts.count > 2 { out += "<path class=\"lt-area lt-s\(c)\" d=\"\(pathData(pts.map { ($0.0, $0.1) }))Z\"/>\n" }
      case .scatter(let xs, let ys, _, let c, let r):
        out += "<g class=\"lt-s\(c) lt-marker\">"
        for (x, y) in zip(xs, ys) { if let px = xm(x), let py = ym(y) { out += circle(px, py, r) } }
        out += "</g>\n"
      case .categories(let xs, let ys, let cats, _, let r):
        let k = (cats.max() ?? -1) + 1
        for cat in 0..<k {
          var g = ""
          for i in xs.indices where cats[i] == cat {
            if let px = xm(xs[i]), let py = ym(ys[i]) { g += circle(px, py, r) }
          }
          if !g.isEmpty { out += "<g class=\"lt-s\(cat % paletteHex.count) lt-marker\">\(g)</g>\n" }
        }
      case .bars(let edges, let heights, _, let c):
        out += "<g class=\"lt-s\(c) lt-bar\">"
        let base = yScale == .log ? ym.domain.lowerBound : 0
        for i in heights.indices {
          guard let x0 = xm(edges[i]), let x1 = xm(edges[i + 1]), let y0 = ym(base), let y1 = ym(heights[i]),
            heights[i] > 0
          else { continue }
          out +=
            "<rect x=\"\(svgNumber(x0))\" y=\"\(svgNumber(y1))\" width=\"\(svgNumber(x1 - x0))\" height=\"\(svgNumber(y0 - y1))\"/>"
        }
        out += "</g>\n"
      case .ellipse(let ex, let ey, _, let c):
        let d = pathData(zip(ex, ey).map { (xm($0.0), ym($0.1)) })
        if !d.isEmpty { out += "<path class=\"lt-ellipse lt-s\(c)\" d=\"\(d)Z\"/>\n" }
      case .vertical(let x, let label):
        if let px = xm(x) {
          out +=
            "<line class=\"lt-ref\" x1=\"\(svgNumber(px))\" y1=\"\(svgNumber(top))\" x2=\"\(svgNumber(px))\" y2=\"\(svgNumber(bottom))\"/>\n"
          if let label {
            annotations +=
              "<text class=\"lt-tick\" x=\"\(svgNumber(px + 4))\" y=\"\(svgNumber(top + 14))\">\(xmlEscape(label))</text>\n"
          }
        }
      case .horizontal(let y, let label):
        if let py = ym(y) {
          out +=
            "<line class=\"lt-ref\" x1=\"\(svgNumber(left))\" y1=\"\(svgNumber(py))\" x2=\"\(svgNumber(right))\" y2=\"\(svgNumber(py))\"/>\n"
          if let label {
            annotations +=
              "<text class=\"lt-tick\" x=\"\(svgNumber(left + 6))\" y=\"\(svgNumber(py - 5))\">\(xmlEscape(label))</text>\n"
          }
        }
      case .point(let x, let y, let label, let c):
        if let px = xm(x), let py = ym(y) {
          annotations +=
            "<circle class=\"lt-s\(c) lt-point\" cx=\"\(svgNumber(px))\" cy=\"\(svgNumber(py))\" r=\"5\"/>\n"
          if let label {
            let leftSide = px > (left + right) / 2
            let ty = py - 10 < top + 12 ? py + 20 : py - 10
            annotations +=
              "<text x=\"\(svgNumber(leftSide ? px - 8 : px + 8))\" y=\"\(svgNumber(ty))\" text-anchor=\"\(leftSide ? "end" : "start")\">\(xmlEscape(label))</text>\n"
          }
        }
      }
    }
    out += "</g>\n" + annotations
    out += legend(left: left, right: right, top: top, bottom: bottom)
    out += "</svg>\n"
    return out
  }

  func tickLabel(_ t: Double, _ m: AxisMap) -> String {
    if m.scale == .log {
      let e = log10(t)
      if abs(e - e.rounded()) < 1e-9 {
        return abs(e) <= 3 ? Ticks.label(t, step: t) : "10" + Ticks.superscript(Int(e.rounded()))
      }
      return Ticks.label(t, step: pow(10, floor(e)))
    }
    return Ticks.label(t, step: m.tickStep)
  }

  func circle(_ x: Double, _ y: Double, _ r: Double) -> String {
    "<circle cx=\"\(svgNumber(x))\" cy=\"\(svgNumber(y))\" r=\"\(svgNumber(r))\"/>"
  }

  /// "M x y L x y …", starting a new subpath after each missing point.
  func pathData(_ pts: [(Double?, Double?)]) -> String {
    var d = "", pen = false
    for (x, y) in pts {
      guard let x, let y else { pen = false; continue }
      d += (pen ? "L" : (d.isEmpty ? "M" : " M")) + svgNumber(x) + " " + svgNumber(y)
      pen = true
    }
    return d
  }

  func legend(left: Double, right: Double, top: Double, bottom: Double) -> String {
    let entries = legendEntries
    guard showsLegend, !entries.isEmpty else { return "" }
    let rowH = 18.0
    let w = 40 + Double(entries.map { $0.label.count }.max() ?? 0) * 7.2
    let h = Double(entries.count) * rowH + 8
    let x0: Double, y0: Double
    switch legendPosition {
    case .topRight: (x0, y0) = (right - w - 8, top + 8)
    case .topLeft: (x0, y0) = (left + 8, top + 8)
    case .bottomRight: (x0, y0) = (right - w - 8, bottom - h - 8)
    case .bottomLeft: (x0, y0) = (left + 8, bottom - h - 8)
    }
    var s =
      "<g class=\"lt-legend\">\n<rect class=\"lt-legend-box\" x=\"\(svgNumber(x0))\" y=\"\(svgNumber(y0))\" width=\"\(svgNumber(w))\" height=\"\(svgNumber(h))\" rx=\"3\"/>\n"
    for (k, e) in entries.enumerated() {
      let cy = y0 + 4 + rowH * (Double(k) + 0.5)
      switch e.kind {
      case 0:
        s +=
          "<line class=\"lt-line lt-s\(e.color)\" x1=\"\(svgNumber(x0 + 8))\" y1=\"\(svgNumber(cy))\" x2=\"\(svgNumber(x0 + 30))\" y2=\"\(svgNumber(cy))\"/>"
      case 1: s += "<circle class=\"lt-s\(e.color)\" cx=\"\(svgNumber(x0 + 19))\" cy=\"\(svgNumber(cy))\" r=\"4\"/>"
      default:
        s +=
          "<rect class=\"lt-s\(e.color) \(e.kind == 2 ? "lt-bar" : "lt-area")\" x=\"\(svgNumber(x0 + 10))\" y=\"\(svgNumber(cy - 6))\" width=\"18\" height=\"12\"/>"
      }
      s += "<text x=\"\(svgNumber(x0 + 36))\" y=\"\(svgNumber(cy + 4))\">\(xmlEscape(e.label))</text>\n"
    }
    return s + "</g>\n"
  }

  func descText(_ xm: AxisMap, _ ym: AxisMap) -> String {
    func r(_ m: AxisMap) -> String {
      "from \(tickLabel(m.domain.lowerBound, m)) to \(tickLabel(m.domain.upperBound, m))\(m.scale == .log ? " (log scale)" : "")"
    }
    return altText + " Horizontal axis \(xLabel) \(r(xm)); vertical axis \(yLabel) \(r(ym))."
  }
}
