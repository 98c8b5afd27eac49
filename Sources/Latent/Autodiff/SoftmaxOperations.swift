extension Variable {
  /// The softmax of each row, yᵢⱼ = exp(xᵢⱼ − mᵢ) / Σₖ exp(xᵢₖ − mᵢ) with mᵢ the row's largest
  /// entry, so no exponential overflows and every row of the result sums to 1: each row of
  /// logits becomes a categorical distribution. Backward: ∂xᵢⱼ = yᵢⱼ (∂yᵢⱼ − Σₖ ∂yᵢₖ yᵢₖ),
  /// the vector-Jacobian product with diag(y) − yyᵀ.
  public func softmax() -> Variable { rowSoftmax(log: false) }

  /// The log-softmax of each row, xᵢⱼ − log Σₖ exp(xᵢₖ), computed as xᵢⱼ − mᵢ − log Σₖ exp(xᵢₖ − mᵢ):
  /// the log-probabilities of a categorical distribution, finite even where the softmax rounds
  /// to 0. Backward: ∂xᵢⱼ = ∂yᵢⱼ − softmax(x)ᵢⱼ Σₖ ∂yᵢₖ.
  public func logSoftmax() -> Variable { rowSoftmax(log: true) }

  @_specialize(where M == FloatMatrix) @_specialize(where M == Matrix)
  func rowSoftmax(log: Bool) -> Variable {
    let x = value
    let (m, n) = (x.rows, x.cols)
    var y = M.zeros(m, n)
    if m * n > 0 {
      x.scalars.withUnsafeBufferPointer { px in
        y.scalars.withUnsafeMutableBufferPointer { py in
          M.Scalar._softmax(px.baseAddress!, rows: m, cols: n, log: log, py.baseAddress!)
        }
      }
    }
    let out = y, i = index
    return tape.record(y, inputs: [self]) { g, grads in
      if m * n == 0 { return }
      grads.accumulate(into: i, shapedLike: x) { dx in
        out.scalars.withUnsafeBufferPointer { py in
          g.scalars.withUnsafeBufferPointer { pg in
            M.Scalar._softmaxBackward(py.baseAddress!, pg.baseAddress!, rows: m, cols: n, log: log, dx)
          }
        }
      }
    }
  }

  /// The same entries in row-major order as a `rows`×`cols` matrix, e.g. an N×(L·K) matrix of
  /// logits as (N·L)×K, one categorical variable per row. Backward: the gradient reshaped back.
  ///
  /// - Throws: ``AutodiffError/invalidArgument(operation:message:)`` unless rows · cols equals
  ///   the number of entries.
  @_specialize(where M == FloatMatrix) @_specialize(where M == Matrix)
  public func reshaped(rows newRows: Int, cols newCols: Int) throws -> Variable {
    let x = value
    guard newRows >= 0, newCols >= 0, newRows * newCols == x.rows * x.cols else {
      throw AutodiffError.invalidArgument(
        operation: "reshaped",
        message: "cannot reshape a \(x.shapeText) matrix (\(x.rows * x.cols) entries) to \(newRows)x\(newCols)")
    }
    let i = index, count = x.rows * x.cols
    return tape.record(M(rows: newRows, cols: newCols, scalars: x.scalars), inputs: [self]) { g, grads in
      if count == 0 { return }
      grads.accumulate(into: i, shapedLike: x) { dx in
        g.scalars.withUnsafeBufferPointer { pg in M.Scalar._accumulate(pg.baseAddress!, into: dx, count) }
      }
    }
  }
}
