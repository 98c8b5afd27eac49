extension Variable {
  /// a ∘ b entry by entry, an operand of size 1 along a dimension repeated along it.
  /// Its backward sums the gradient over the repeated positions, so a bias row added to
  /// every example receives the column sums.
  @_specialize(where M == FloatMatrix) @_specialize(where M == Matrix)
  public static func combine(_ a: Variable, _ op: BinaryOperation, _ b: Variable) throws -> Variable {
    let name = "\(op.rawValue)"
    guard a.tape === b.tape else { throw AutodiffError.differentTapes(operation: name) }
    let x = a.value, y = b.value
    guard let shape = Broadcast(x.rows, x.cols, y.rows, y.cols) else {
      throw AutodiffError.shapeMismatch(
        operation: name, shapes: [x.shapeText, y.shapeText],
        expected: "each dimension equal, or 1 in one operand")
    }
    var out = M.zeros(shape.rows, shape.cols)
    if shape.rows * shape.cols > 0 {
      x.scalars.withUnsafeBufferPointer { px in
        y.scalars.withUnsafeBufferPointer { py in
          out.scalars.withUnsafeMutableBufferPointer { po in
            M.Scalar._broadcast(op, shape, px.baseAddress!, py.baseAddress!, po.baseAddress!)
          }
        }
      }
    }
    let tape = a.tape
    let (ia, ib) = (a.index, b.index)
    let (needA, needB) = (tape.needsGradient(a), tape.needsGradient(b))
    return tape.record(out, inputs: [a, b]) { g, grads in
      if shape.rows * shape.cols == 0 { return }
      for (operand, index, like, needed) in [(0, ia, x, needA), (1, ib, y, needB)] where needed {
        grads.accumulate(into: index, shapedLike: like) { d in
          x.scalars.withUnsafeBufferPointer { px in
            y.scalars.withUnsafeBufferPointer { py in
              g.scalars.withUnsafeBufferPointer { pg in
                M.Scalar._broadcastBackward(
                  op, shape, operand: operand, px.baseAddress!, py.baseAddress!, pg.baseAddress!, d)
              }
            }
          }
        }
      }
    }
  }

  /// a + b with broadcasting.
  public static func + (a: Variable, b: Variable) throws -> Variable { try combine(a, .add, b) }
  /// a − b with broadcasting.
  public static func - (a: Variable, b: Variable) throws -> Variable { try combine(a, .subtract, b) }
  /// a ⊙ b, the elementwise (Hadamard) product, with broadcasting.
  public static func ⊙ (a: Variable, b: Variable) throws -> Variable { try combine(a, .multiply, b) }
  /// a / b elementwise, with broadcasting.
  public static func / (a: Variable, b: Variable) throws -> Variable { try combine(a, .divide, b) }

  /// a + c for a number c.
  public static func + (a: Variable, c: M.Scalar) -> Variable { try! combine(a, .add, a.tape.constant(c)) }
  /// c + a for a number c.
  public static func + (c: M.Scalar, a: Variable) -> Variable { a + c }
  /// a − c for a number c.
  public static func - (a: Variable, c: M.Scalar) -> Variable { a + (-c) }
  /// c − a for a number c.
  public static func - (c: M.Scalar, a: Variable) -> Variable { try! combine(a.tape.constant(c), .subtract, a) }
  /// c · a for a number c.
  public static func * (c: M.Scalar, a: Variable) -> Variable { try! combine(a.tape.constant(c), .multiply, a) }
  /// a · c for a number c.
  public static func * (a: Variable, c: M.Scalar) -> Variable { c * a }
  /// a / c for a number c.
  public static func / (a: Variable, c: M.Scalar) -> Variable { try! combine(a, .divide, a.tape.constant(c)) }
}
