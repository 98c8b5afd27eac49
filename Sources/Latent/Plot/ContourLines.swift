import Foundation

extension Plot {
  /// The level sets {(x, y) : f(x, y) = c} of a function tabulated on a rectangular grid, one
  /// polyline set per level, all in one colour: `values[i, j]` = f(x[j], y[i]) (row i of the
  /// matrix is the i-th y). E.g. a posterior density on a ``LatentGrid`` (``GridPosterior/density``)
  /// at its highest-density levels (``GridPosterior/highestDensityLevels(masses:)``).
  ///
  /// The lines come from marching squares: each grid cell whose corners lie on both sides of c
  /// gets a segment between the crossing points of its edges, found by linear interpolation;
  /// a cell with two opposite corners on each side (a saddle) is split by the value at its
  /// centre, the mean of its corners. The segments are joined into polylines through the edges
  /// they share.
  public mutating func addContourLines(
    _ values: Matrix, x: [Double], y: [Double], levels: [Double], label: String? = nil, color: Int? = nil,
    dashed: Bool = false
  ) {
    require(
      values.rows == y.count && values.cols == x.count && x.count >= 2 && y.count >= 2,
      "addContourLines: values \(values.shapeDescription) need \(y.count) rows (y) and \(x.count) columns (x), at least 2 each"
    )
    var xs = [Double](), ys = [Double]()
    for level in levels {
      for line in contourPolylines(values, x: x, y: y, level: level) {
        if !xs.isEmpty { xs.append(.nan); ys.append(.nan) }
        xs += line.map(\.0)
        ys += line.map(\.1)
      }
    }
    layers.append(.line(x: xs, y: ys, label: label, color: takeColor(color), dashed: dashed))
  }
}

/// The polylines of {f = level} by marching squares (see ``Plot/addContourLines(_:x:y:levels:label:color:dashed:)``).
/// A closed curve's polyline ends where it starts.
func contourPolylines(_ f: Matrix, x: [Double], y: [Double], level c: Double) -> [[(Double, Double)]] {
  let (ny, nx) = (f.rows, f.cols)
  // An edge crossing is named by its edge: horizontal (row i, between columns j and j + 1) or
  // vertical (column j, between rows i and i + 1).
  func horizontal(_ i: Int, _ j: Int) -> Int { (i * nx + j) * 2 }
  func vertical(_ i: Int, _ j: Int) -> Int { (i * nx + j) * 2 + 1 }
  var point = [Int: (Double, Double)]()
  func crossing(_ key: Int) -> Int {
    if point[key] == nil {
      let cell = key / 2, i = cell / nx, j = cell % nx
      if key % 2 == 0 {
        let a = f[i, j], b = f[i, j + 1]
        let t = (c - a) / (b - a)
        point[key] = (x[j] + t * (x[j + 1] - x[j]), y[i])
      } else {
        let a = f[i, j], b = f[i + 1, j]
        let t = (c - a) / (b - a)
        point[key] = (x[j], y[i] + t * (y[i + 1] - y[i]))
      }
    }
    return key
  }
  var segments = [(Int, Int)]()
  for i in 0..<(ny - 1) {
    for j in 0..<(nx - 1) {
      let v = [f[i, j], f[i, j + 1], f[i + 1, j + 1], f[i + 1, j]]  // counter-clockwise from bottom left
      let above = v.map { $0 >= c }
      let bottom = horizontal(i, j), right = vertical(i, j + 1), top = horizontal(i + 1, j), left = vertical(i, j)
      var crossed = [Int]()
      if above[0] != above[1] { crossed.append(crossing(bottom)) }
      if above[1] != above[2] { crossed.append(crossing(right)) }
      if above[2] != above[3] { crossed.append(crossing(top)) }
      if above[3] != above[0] { crossed.append(crossing(left)) }
      if crossed.count == 2 {
        segments.append((crossed[0], crossed[1]))
      } else if crossed.count == 4 {
        // A saddle: corners 0 and 2 on one side, 1 and 3 on the other. The centre's side joins
        // the corners on its side, so the segments cut off the two others.
        let centreAbove = v.reduce(0, +) / 4 >= c
        if centreAbove == above[0] {
          segments.append((bottom, right))  // around corner 1
          segments.append((top, left))  // around corner 3
        } else {
          segments.append((left, bottom))  // around corner 0
          segments.append((right, top))  // around corner 2
        }
      }
    }
  }
  // Join segments through shared crossings.
  var attached = [Int: [Int]]()
  for (s, (a, b)) in segments.enumerated() {
    attached[a, default: []].append(s)
    attached[b, default: []].append(s)
  }
  var used = [Bool](repeating: false, count: segments.count)
  var lines = [[(Double, Double)]]()
  func extend(from start: Int, through first: Int) -> [Int] {
    var keys = [Int](), key = start, s = first
    while true {
      used[s] = true
      let (a, b) = segments[s]
      key = a == key ? b : a
      keys.append(key)
      guard let next = attached[key]?.first(where: { !used[$0] }) else { return keys }
      s = next
    }
  }
  for s in segments.indices where !used[s] {
    let (a, _) = segments[s]
    let forward = extend(from: a, through: s)
    var backward = [Int]()
    if let other = attached[a]?.first(where: { !used[$0] }) { backward = extend(from: a, through: other) }
    let keys = backward.reversed() + [a] + forward
    lines.append(keys.map { point[$0]! })
  }
  return lines
}
