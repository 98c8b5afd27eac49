import Foundation

/// A graphical model in plate notation: random variables as circles (shaded when observed),
/// parameters as small dots, arrows from parent to child, and plates (rectangles labelled
/// with a count such as N) around the variables that repeat.
///
/// Nodes sit on a grid of columns and rows (fractions allowed); the drawer turns the grid into
/// coordinates, shortens each arrow to end at the circles' rims, and sizes each plate to hold
/// its members with a margin that grows with the number of plates nested inside it.
///
/// ```swift
/// var model = PlateDiagram(title: "Gaussian mixture")
/// try model.addNode("pi", label: "π", column: 0, row: 0, kind: .parameter)
/// try model.addNode("z", label: "zₙ", column: 1, row: 0)
/// try model.addNode("x", label: "xₙ", column: 2, row: 0, kind: .observed)
/// try model.addEdge(from: "pi", to: "z")
/// try model.addEdge(from: "z", to: "x")
/// try model.addPlate(around: ["z", "x"], label: "N")
/// display(model, caption: "…")
/// ```
public struct PlateDiagram: SVGRepresentable, Sendable, Codable {
  /// How a node is drawn.
  public enum Kind: String, Sendable, Hashable, Codable {
    /// A latent random variable: an open circle.
    case latent
    /// An observed random variable: a shaded circle.
    case observed
    /// A fixed parameter: a small filled dot with its label beside it.
    case parameter
  }

  /// A variable or parameter at a grid position.
  public struct Node: Sendable, Hashable, Codable {
    public var id: String, label: String, column: Double, row: Double, kind: Kind
  }

  /// An arrow from a parent to a child.
  public struct Edge: Sendable, Hashable, Codable {
    public var from: String, to: String
  }

  /// A plate around the nodes it repeats, with its count.
  public struct Plate: Sendable, Hashable, Codable {
    public var members: [String], label: String
  }

  /// Why a node, edge or plate could not be added. The message names the figure and the ids.
  public enum Error: Swift.Error, CustomStringConvertible, Equatable {
    /// A second node with an id already used.
    case duplicateNode(figure: String, id: String)
    /// An edge or plate that names an id no node has.
    case unknownNode(figure: String, id: String, known: [String])
    /// A plate around no nodes, or an edge from a node to itself.
    case invalid(figure: String, message: String)

    public var description: String {
      switch self {
      case .duplicateNode(let figure, let id):
        return "PlateDiagram \"\(figure)\": a node with id \"\(id)\" already exists; ids must be unique"
      case .unknownNode(let figure, let id, let known):
        return "PlateDiagram \"\(figure)\": no node has id \"\(id)\" (nodes: \(known.joined(separator: ", ")))"
      case .invalid(let figure, let message):
        return "PlateDiagram \"\(figure)\": \(message)"
      }
    }
  }

  /// The title, shown above the diagram and read by screen readers.
  public var title: String
  public private(set) var nodes: [Node] = []
  public private(set) var edges: [Edge] = []
  public private(set) var plates: [Plate] = []
  var customAltText: String?

  /// Grid spacing and sizes, in SVG units (text is 13 to 16 units).
  static let columnWidth = 120.0, rowHeight = 96.0, radius = 25.0, plateMargin = 16.0

  /// An empty diagram.
  public init(title: String) { self.title = title }

  /// A node `id` at (`column`, `row`) of the grid (row 0 at the top), drawn with `label`.
  ///
  /// - Throws: ``Error/duplicateNode(figure:id:)`` for an id already used.
  public mutating func addNode(_ id: String, label: String, column: Double, row: Double, kind: Kind = .latent) throws {
    guard !nodes.contains(where: { $0.id == id }) else { throw Error.duplicateNode(figure: title, id: id) }
    nodes.append(Node(id: id, label: label, column: column, row: row, kind: kind))
  }

  /// An arrow from the node `parent` to the node `child`.
  ///
  /// - Throws: ``Error/unknownNode(figure:id:known:)`` for an id no node has,
  ///   ``Error/invalid(figure:message:)`` for an arrow from a node to itself.
  public mutating func addEdge(from parent: String, to child: String) throws {
    try requireNode(parent)
    try requireNode(child)
    guard parent != child else { throw Error.invalid(figure: title, message: "an edge from \"\(parent)\" to itself") }
    edges.append(Edge(from: parent, to: child))
  }

  /// A plate around the nodes `members`, labelled with its count (e.g. "N", "K").
  ///
  /// - Throws: ``Error/unknownNode(figure:id:known:)`` for an id no node has,
  ///   ``Error/invalid(figure:message:)`` for an empty plate.
  public mutating func addPlate(around members: [String], label: String) throws {
    guard !members.isEmpty else { throw Error.invalid(figure: title, message: "the plate \"\(label)\" has no nodes") }
    for id in members { try requireNode(id) }
    plates.append(Plate(members: members, label: label))
  }

  func requireNode(_ id: String) throws {
    guard nodes.contains(where: { $0.id == id }) else {
      throw Error.unknownNode(figure: title, id: id, known: nodes.map(\.id))
    }
  }

  /// The alt text: what the diagram says, from its nodes, arrows and plates (or a custom sentence).
  public var altText: String {
    get {
      if let customAltText { return customAltText }
      func name(_ id: String) -> String { nodes.first { $0.id == id }?.label ?? id }
      var parts: [String] = []
      let observed = nodes.filter { $0.kind == .observed }.map(\.label)
      let latent = nodes.filter { $0.kind == .latent }.map(\.label)
      let parameters = nodes.filter { $0.kind == .parameter }.map(\.label)
      if !latent.isEmpty { parts.append("latent " + latent.joined(separator: ", ")) }
      if !observed.isEmpty { parts.append("observed " + observed.joined(separator: ", ")) }
      if !parameters.isEmpty { parts.append("parameters " + parameters.joined(separator: ", ")) }
      var text = "Plate diagram, \(title): " + parts.joined(separator: "; ")
      if !edges.isEmpty {
        text += "; arrows " + edges.map { "\(name($0.from)) → \(name($0.to))" }.joined(separator: ", ")
      }
      for plate in plates {
        text += "; a plate repeating " + plate.members.map(name).joined(separator: ", ") + " \(plate.label) times"
      }
      return text + "."
    }
    set { customAltText = newValue }
  }

  // MARK: - Layout and drawing

  /// The centre of a node in SVG units, before the figure's offset.
  func centre(_ node: Node) -> (x: Double, y: Double) {
    (node.column * Self.columnWidth, node.row * Self.rowHeight)
  }

  /// The plates' rectangles (x, y, width, height), before the offset. A plate's margin grows by
  /// one step for every other plate whose members it contains.
  func plateRectangles() -> [(x: Double, y: Double, width: Double, height: Double)] {
    plates.enumerated().map { index, plate in
      let members = Set(plate.members)
      let nested = plates.indices.filter { other in
        other != index && Set(plates[other].members).isSubset(of: members)
          && plates[other].members.count < members.count
      }.count
      let pad = Self.radius + Self.plateMargin * Double(nested + 1)
      let points = nodes.filter { members.contains($0.id) }.map(centre)
      let left = points.map(\.x).min()! - pad, right = points.map(\.x).max()! + pad
      let top = points.map(\.y).min()! - pad, bottom = points.map(\.y).max()! + pad + 18  // room for the count
      return (left, top, right - left, bottom - top)
    }
  }

  public var svg: String {
    let rectangles = plateRectangles()
    // The bounding box of everything drawn: circles, parameter labels above their dots, plates.
    var xs: [Double] = [], ys: [Double] = []
    for node in nodes {
      let c = centre(node)
      let halfWidth = node.kind == .parameter ? Swift.max(8, 4.5 * Double(node.label.count)) : Self.radius
      xs += [c.x - halfWidth, c.x + halfWidth]
      ys += [c.y - (node.kind == .parameter ? 30 : Self.radius), c.y + Self.radius]
    }
    for r in rectangles {
      xs += [r.x, r.x + r.width]
      ys += [r.y, r.y + r.height]
    }
    let margin = 20.0, titleHeight = 40.0
    let minX = (xs.min() ?? 0) - margin, maxX = (xs.max() ?? 0) + margin
    let minY = (ys.min() ?? 0) - margin, maxY = (ys.max() ?? 0) + margin
    let width = Swift.max(maxX - minX, 320), height = maxY - minY + titleHeight
    let dx = (width - (maxX - minX)) / 2 - minX, dy = titleHeight - minY
    func px(_ x: Double) -> String { svgNumber(x + dx) }
    func py(_ y: Double) -> String { svgNumber(y + dy) }

    var out = svgHeader(width: width, height: height, title: title, desc: altText, idSeed: "plate" + altText)
    out +=
      "<text class=\"lt-title\" x=\"\(svgNumber(width / 2))\" y=\"26\" text-anchor=\"middle\">\(xmlEscape(title))</text>\n"
    // Plates first, so that nodes and arrows are drawn over them.
    for (plate, r) in zip(plates, rectangles) {
      out +=
        "<rect class=\"lt-axis\" x=\"\(px(r.x))\" y=\"\(py(r.y))\" width=\"\(svgNumber(r.width))\" "
        + "height=\"\(svgNumber(r.height))\" rx=\"6\"/>"
      out +=
        "<text x=\"\(px(r.x + r.width - 8))\" y=\"\(py(r.y + r.height - 8))\" text-anchor=\"end\" "
        + "font-size=\"14\">\(xmlEscape(plate.label))</text>\n"
    }
    // Arrows from rim to rim, each with a filled head.
    for edge in edges {
      guard let a = nodes.first(where: { $0.id == edge.from }), let b = nodes.first(where: { $0.id == edge.to })
      else { continue }
      let (p, q) = (centre(a), centre(b))
      let length = ((q.x - p.x) * (q.x - p.x) + (q.y - p.y) * (q.y - p.y)).squareRoot()
      guard length > 0 else { continue }
      let (ux, uy) = ((q.x - p.x) / length, (q.y - p.y) / length)
      let start = a.kind == .parameter ? 6.0 : Self.radius + 2, end = (b.kind == .parameter ? 6.0 : Self.radius) + 2
      let (x0, y0) = (p.x + ux * start, p.y + uy * start)
      let (x1, y1) = (q.x - ux * end, q.y - uy * end)
      let (headLength, headWidth) = (10.0, 4.5)
      let (bx, by) = (x1 - ux * headLength, y1 - uy * headLength)
      out += "<path class=\"lt-axis\" style=\"stroke-width:1.5\" d=\"M\(px(x0)),\(py(y0))L\(px(bx)),\(py(by))\"/>"
      out +=
        "<path style=\"fill:currentColor;stroke:none\" d=\"M\(px(x1)),\(py(y1))"
        + "L\(px(bx - uy * headWidth)),\(py(by + ux * headWidth))L\(px(bx + uy * headWidth)),\(py(by - ux * headWidth))Z\"/>\n"
    }
    // Nodes: circles with the label inside, or a dot with the label above.
    for node in nodes {
      let c = centre(node)
      switch node.kind {
      case .latent, .observed:
        let fill =
          node.kind == .observed
          ? "fill:currentColor;fill-opacity:0.2" : "fill:var(--latent-bg,Canvas)"
        out +=
          "<circle style=\"\(fill);stroke:currentColor;stroke-width:1.5\" cx=\"\(px(c.x))\" cy=\"\(py(c.y))\" "
          + "r=\"\(svgNumber(Self.radius))\"/>"
        out +=
          "<text x=\"\(px(c.x))\" y=\"\(py(c.y + 5.5))\" text-anchor=\"middle\" font-size=\"16\">"
          + "\(xmlEscape(node.label))</text>\n"
      case .parameter:
        out += "<circle style=\"fill:currentColor\" cx=\"\(px(c.x))\" cy=\"\(py(c.y))\" r=\"4\"/>"
        out +=
          "<text x=\"\(px(c.x))\" y=\"\(py(c.y - 12))\" text-anchor=\"middle\" font-size=\"15\">"
          + "\(xmlEscape(node.label))</text>\n"
      }
    }
    return out + "</svg>\n"
  }
}
