/// A record of matrix operations for reverse-mode automatic differentiation, at matrix
/// granularity (micrograd's design, as in PyTorch's autograd).
///
/// Each operation on a ``Variable`` computes its value at once and appends a node holding
/// that value and its own backward function: given ∂L/∂(output), add the vector-Jacobian
/// products ∂L/∂(input) to its inputs' gradients. ``gradients(of:)`` seeds ∂L/∂L = 1 and
/// runs the nodes in reverse order, so each node is visited once, after every node that
/// used it. Only nodes that depend on a ``parameter(_:)`` get gradients; constants (the
/// data, the noise) cost nothing on the way back.
///
/// ```swift
/// let tape = Tape<Matrix>()
/// let w = tape.parameter(Matrix([[0.5], [-1]]))
/// let x = tape.constant(Matrix([[1, 2], [3, 4]]))
/// let loss = try (x * w).square().sum()        // Σᵢ (xᵢᵀw)²
/// let dw = try tape.gradients(of: loss)[w]      // 2 Xᵀ X w
/// ```
///
/// A tape is for one evaluation: record a fresh one for every step.
///
/// The operations are specialized in advance for ``FloatMatrix`` and ``Matrix``
/// (`@_specialize`): a call from code the compiler cannot specialize (another module, or a
/// chapter program compiled without optimization) runs the specialized body instead of the
/// generic one, whose value witnesses and metadata lookups cost microseconds per node.
public final class Tape<M: DifferentiableMatrix> {
  /// ∂L/∂(inputs) += VJP(∂L/∂(output)), written into the gradients of the inputs.
  typealias Backward = (_ outputGradient: M, _ gradients: inout GradientStore<M>) -> Void

  struct Node {
    let value: M
    /// Whether a parameter is upstream of this node (only then is its gradient wanted).
    let needsGradient: Bool
    let backward: Backward?
  }

  var nodes: [Node] = []

  /// An empty tape.
  public init() {}

  /// Number of recorded nodes.
  public var count: Int { nodes.count }

  /// A trainable input: ``gradients(of:)`` returns ∂L/∂(value) for it.
  public func parameter(_ value: M) -> Variable<M> { append(Node(value: value, needsGradient: true, backward: nil)) }

  /// An input that is not differentiated (data, noise, fixed hyperparameters).
  public func constant(_ value: M) -> Variable<M> { append(Node(value: value, needsGradient: false, backward: nil)) }

  /// A 1×1 constant.
  public func constant(_ scalar: M.Scalar) -> Variable<M> { constant(M(rows: 1, cols: 1, repeating: scalar)) }

  func append(_ node: Node) -> Variable<M> {
    nodes.append(node)
    return Variable(tape: self, index: nodes.count - 1)
  }

  /// Records `value`, computed from `inputs`; `backward` is kept only when some input needs a gradient.
  func record(_ value: M, inputs: [Variable<M>], backward: @escaping Backward) -> Variable<M> {
    let needs = inputs.contains { nodes[$0.index].needsGradient }
    return append(Node(value: value, needsGradient: needs, backward: needs ? backward : nil))
  }

  func needsGradient(_ v: Variable<M>) -> Bool { nodes[v.index].needsGradient }

  /// ∂loss/∂v for every variable v recorded before `loss`, by one reverse sweep.
  ///
  /// - Throws: ``AutodiffError/notAScalar(rows:cols:)`` unless `loss` is 1×1,
  ///   ``AutodiffError/nonFiniteLoss(value:)`` when it is NaN or infinite, and
  ///   ``AutodiffError/differentTapes(operation:)`` for a variable of another tape.
  @_specialize(where M == FloatMatrix) @_specialize(where M == Matrix)
  public func gradients(of loss: Variable<M>) throws -> Gradients<M> {
    guard loss.tape === self else { throw AutodiffError.differentTapes(operation: "gradients(of:)") }
    let value = loss.value
    guard value.rows == 1 && value.cols == 1 else { throw AutodiffError.notAScalar(rows: value.rows, cols: value.cols) }
    let scalar = Double(value.scalars[0])
    guard scalar.isFinite else { throw AutodiffError.nonFiniteLoss(value: scalar) }
    var store = GradientStore<M>(count: loss.index + 1)
    store.gradients[loss.index] = M(rows: 1, cols: 1, repeating: 1)
    for i in stride(from: loss.index, through: 0, by: -1) {
      guard let backward = nodes[i].backward, let g = store.gradients[i] else { continue }
      backward(g, &store)
    }
    return Gradients(tape: self, gradients: store.gradients)
  }
}

/// A value on a ``Tape``: the result of an operation, a parameter or a constant.
///
/// Operations on variables record themselves and throw ``AutodiffError`` when shapes do not
/// fit. `*` is the matrix product (as for ``Matrix``); `+`, `-`, `⊙` and `/` are elementwise
/// and broadcast a 1×n row, an m×1 column or a 1×1 scalar against an m×n matrix.
public struct Variable<M: DifferentiableMatrix> {
  /// The tape the variable lives on.
  public let tape: Tape<M>
  /// Its position on the tape.
  public let index: Int

  /// The computed value.
  public var value: M { tape.nodes[index].value }
  /// Number of rows of the value.
  public var rows: Int { value.rows }
  /// Number of columns of the value.
  public var cols: Int { value.cols }
  /// The value of a 1×1 variable as a Double (NaN otherwise).
  public var scalar: Double { rows == 1 && cols == 1 ? Double(value.scalars[0]) : .nan }
}

/// The gradients a reverse sweep accumulates, one optional matrix per node.
struct GradientStore<M: DifferentiableMatrix> {
  var gradients: [M?]

  init(count: Int) { gradients = [M?](repeating: nil, count: count) }

  /// Runs `body(gradient, fresh)` on ∂L/∂(node): with `fresh` false on the gradient already
  /// there, which `body` adds to; with `fresh` true on new uninitialized storage shaped like
  /// `like`, which `body` must write in full. A node with a single consumer thus has its
  /// gradient written once, with no zeroing pass and no reading back.
  mutating func update(
    into index: Int, shapedLike like: M, _ body: (UnsafeMutablePointer<M.Scalar>, _ fresh: Bool) -> Void
  ) {
    if var g = gradients[index] {
      gradients[index] = nil  // so that `g` is the only reference and changes in place
      g.scalars.withUnsafeMutableBufferPointer { p in
        if let base = p.baseAddress { body(base, false) }
      }
      gradients[index] = g
      return
    }
    gradients[index] = M.uninitialized(rows: like.rows, cols: like.cols) { body($0, true) }
  }

  /// Runs `body` on ∂L/∂(node), created as zeros shaped like `like` if nothing reached it yet;
  /// `body` adds to it.
  mutating func accumulate(
    into index: Int, shapedLike like: M, _ body: (UnsafeMutablePointer<M.Scalar>) -> Void
  ) {
    let count = like.rows * like.cols
    update(into: index, shapedLike: like) { g, fresh in
      if fresh { g.initialize(repeating: 0, count: count) }
      body(g)
    }
  }

  /// Runs `body(gradient, β)` so that it computes gradient ← (product) + β·gradient: on the
  /// existing ∂L/∂(node) with β = 1, or on fresh uninitialized storage with β = 0 (BLAS does
  /// not read it).
  mutating func accumulateProduct(
    into index: Int, shapedLike like: M, _ body: (UnsafeMutablePointer<M.Scalar>, M.Scalar) -> Void
  ) {
    update(into: index, shapedLike: like) { g, fresh in body(g, fresh ? 0 : 1) }
  }

  /// ``accumulateProduct(into:shapedLike:_:)`` for the gradients of two different nodes at
  /// once, `body(first, β₁, second, β₂)`: the two products of a matrix product's backward
  /// pass, computed side by side. Neither gradient may be empty.
  mutating func accumulateProducts(
    into first: Int, shapedLike firstLike: M, and second: Int, shapedLike secondLike: M,
    _ body: (UnsafeMutablePointer<M.Scalar>, M.Scalar, UnsafeMutablePointer<M.Scalar>, M.Scalar) -> Void
  ) {
    // Moved out of the store, so that each is the only reference and changes in place.
    var (existingFirst, existingSecond) = (gradients[first].take(), gradients[second].take())
    var secondResult: M?
    let firstResult = Self.updated(&existingFirst, shapedLike: firstLike) { p, beta in
      secondResult = Self.updated(&existingSecond, shapedLike: secondLike) { q, gamma in body(p, beta, q, gamma) }
    }
    gradients[first] = firstResult
    gradients[second] = secondResult
  }

  /// `existing` (moved out) after `body(pointer, 1)`, or new uninitialized storage shaped like
  /// `like` after `body(pointer, 0)`.
  private static func updated(
    _ existing: inout M?, shapedLike like: M, _ body: (UnsafeMutablePointer<M.Scalar>, M.Scalar) -> Void
  ) -> M {
    if var g = existing.take() {
      g.scalars.withUnsafeMutableBufferPointer { p in
        if let base = p.baseAddress { body(base, 1) }
      }
      return g
    }
    return M.uninitialized(rows: like.rows, cols: like.cols) { body($0, 0) }
  }
}

/// ∂L/∂v for the variables of one tape, from ``Tape/gradients(of:)``.
public struct Gradients<M: DifferentiableMatrix> {
  let tape: Tape<M>
  let gradients: [M?]

  /// ∂L/∂v, shaped like v (zeros when L does not depend on v).
  ///
  /// - Throws: ``AutodiffError/differentTapes(operation:)`` for a variable of another tape.
  public subscript(_ v: Variable<M>) -> M {
    get throws {
      guard v.tape === tape else { throw AutodiffError.differentTapes(operation: "gradients[...]") }
      if v.index < gradients.count, let g = gradients[v.index] { return g }
      return M.zeros(v.rows, v.cols)
    }
  }
}
