extension Variable {
  /// Sums over `axis`: `.rows` gives the 1×n column sums, `.columns` the m×1 row sums.
  public func sum(over axis: Axis) -> Variable { reduce(over: axis, logSumExp: false) }

  /// The sum of every entry, 1×1.
  public func sum() -> Variable { sum(over: .columns).sum(over: .rows) }

  /// Means over `axis` (the sum divided by the number of entries summed; 0 over an empty axis).
  public func mean(over axis: Axis) -> Variable {
    let count = axis == .rows ? rows : cols
    return sum(over: axis) * (1 / M.Scalar(Swift.max(count, 1)))
  }

  /// The mean of every entry, 1×1 (0 for an empty matrix).
  public func mean() -> Variable { sum() * (1 / M.Scalar(Swift.max(rows * cols, 1))) }

  /// log Σ exp over `axis`, computed as m + log Σ exp(x − m) with m the maximum so that no
  /// term overflows; −∞ over an empty axis. Backward: the gradient times softmax(x).
  public func logSumExp(over axis: Axis) -> Variable { reduce(over: axis, logSumExp: true) }

  @_specialize(where M == FloatMatrix) @_specialize(where M == Matrix)
  func reduce(over axis: Axis, logSumExp: Bool) -> Variable {
    let x = value
    let (m, n) = (x.rows, x.cols)
    var y = axis == .rows ? M.zeros(1, n) : M.zeros(m, 1)
    x.scalars.withUnsafeBufferPointer { px in
      y.scalars.withUnsafeMutableBufferPointer { py in
        guard let out = py.baseAddress else { return }
        if let input = px.baseAddress {
          M.Scalar._reduce(input, rows: m, cols: n, over: axis, logSumExp: logSumExp, out)
        } else {
          // An m×0 or 0×n input: empty sums are 0, empty log-sum-exps −∞.
          for i in 0..<py.count { out[i] = logSumExp ? -M.Scalar.infinity : 0 }
        }
      }
    }
    let out = y, i = index
    return tape.record(y, inputs: [self]) { g, grads in
      if m * n == 0 { return }
      grads.accumulate(into: i, shapedLike: x) { dx in
        x.scalars.withUnsafeBufferPointer { px in
          out.scalars.withUnsafeBufferPointer { po in
            g.scalars.withUnsafeBufferPointer { pg in
              M.Scalar._reduceBackward(
                px.baseAddress!, rows: m, cols: n, over: axis, logSumExp: logSumExp, po.baseAddress!, pg.baseAddress!,
                dx)
            }
          }
        }
      }
    }
  }
}
