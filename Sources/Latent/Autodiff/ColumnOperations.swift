extension Variable {
  /// The columns in `range`, e.g. the means and log-variances an encoder emits side by side.
  ///
  /// - Throws: ``AutodiffError/invalidArgument(operation:message:)`` for a range outside 0..<cols.
  @_specialize(where M == FloatMatrix) @_specialize(where M == Matrix)
  public func columns(_ range: Range<Int>) throws -> Variable {
    guard range.lowerBound >= 0 && range.upperBound <= cols else {
      throw AutodiffError.invalidArgument(
        operation: "columns", message: "columns \(range) out of range for a \(value.shapeText) matrix")
    }
    let x = value
    let (m, n, width, start) = (x.rows, x.cols, range.count, range.lowerBound)
    let out = M.uninitialized(rows: m, cols: width) { po in
      x.scalars.withUnsafeBufferPointer { px in
        for r in 0..<m { (po + r * width).initialize(from: px.baseAddress! + r * n + start, count: width) }
      }
    }
    let i = index
    return tape.record(out, inputs: [self]) { g, grads in
      if m * width == 0 { return }
      grads.accumulate(into: i, shapedLike: x) { dx in
        g.scalars.withUnsafeBufferPointer { pg in
          for r in 0..<m { M.Scalar._accumulate(pg.baseAddress! + r * width, into: dx + r * n + start, width) }
        }
      }
    }
  }

  /// [A₁ | A₂ | …]: the columns of each part side by side (all with the same number of rows).
  ///
  /// - Throws: ``AutodiffError/shapeMismatch(operation:shapes:expected:)`` when the row counts
  ///   differ, ``AutodiffError/invalidArgument(operation:message:)`` for no parts.
  @_specialize(where M == FloatMatrix) @_specialize(where M == Matrix)
  public static func concatenatingColumns(_ parts: [Variable]) throws -> Variable {
    guard let first = parts.first else {
      throw AutodiffError.invalidArgument(operation: "concatenatingColumns", message: "needs at least one part")
    }
    let tape = first.tape
    guard parts.allSatisfy({ $0.tape === tape }) else {
      throw AutodiffError.differentTapes(operation: "concatenatingColumns")
    }
    let values = parts.map(\.value)
    let m = values[0].rows
    guard values.allSatisfy({ $0.rows == m }) else {
      throw AutodiffError.shapeMismatch(
        operation: "concatenatingColumns", shapes: values.map(\.shapeText), expected: "every part needs \(m) rows")
    }
    let widths = values.map(\.cols)
    let n = widths.reduce(0, +)
    var out = [M.Scalar]()
    out.reserveCapacity(m * n)
    for r in 0..<m {
      for v in values { out += v.scalars[(r * v.cols)..<((r + 1) * v.cols)] }
    }
    let indices = parts.map(\.index)
    let needed = parts.map { tape.needsGradient($0) }
    return tape.record(M(rows: m, cols: n, scalars: out), inputs: parts) { g, grads in
      var offset = 0
      for (p, v) in values.enumerated() {
        let (width, start) = (v.cols, offset)
        offset += width
        if !needed[p] || m * width == 0 { continue }
        grads.accumulate(into: indices[p], shapedLike: v) { dx in
          g.scalars.withUnsafeBufferPointer { pg in
            for r in 0..<m { M.Scalar._accumulate(pg.baseAddress! + r * n + start, into: dx + r * width, width) }
          }
        }
      }
    }
  }
}
