import Foundation
import XCTest

@testable import Latent

#if canImport(FoundationXML)
  import FoundationXML
#endif

final class PlotTests: XCTestCase {
  /// Writes the figure to $LATENT_FIGURE_DIR (for looking at it) when set.
  func dump(_ name: String, _ svg: String) {
    guard let dir = ProcessInfo.processInfo.environment["LATENT_FIGURE_DIR"] else { return }
    try? svg.write(toFile: dir + "/" + name + ".svg", atomically: true, encoding: .utf8)
  }

  func assertWellFormedXML(_ s: String, file: StaticString = #filePath, line: UInt = #line) {
    let p = XMLParser(data: Data(s.utf8))
    XCTAssertTrue(p.parse(), "SVG is not well-formed XML: \(String(describing: p.parserError))", file: file, line: line)
  }

  func klFigure() -> Plot {
    let s2 = Vector.linspace(0.05, 4, count: 80)
    let kl = s2.map { 0.5 * ($0 - 1 - log($0)) }
    var fig = LinePlot(title: "KL(q‖p) for q = 𝒩(0, σ²), p = 𝒩(0, 1)", xLabel: "σ²", yLabel: "KL")
    fig.addLine(x: s2, y: kl, label: "KL(q‖p)")
    fig.addPoint(x: 1, y: 0, label: "minimum at σ² = 1")
    return fig
  }

  func testNiceTicks() {
    // Hand-computed: span 3.95 / 6 ≈ 0.66 → step 0.5 (f = 6.6 → 5 × 0.1); domain widened to [0, 4].
    let (d, t) = Ticks.linear(0.05, 4, target: 6)
    XCTAssertEqual(d, 0...4)
    XCTAssertEqual(t, [0, 0.5, 1, 1.5, 2, 2.5, 3, 3.5, 4])
    XCTAssertEqual(Ticks.linear(-3.2, 7.9, target: 5).ticks, [-4, -2, 0, 2, 4, 6, 8])
    // 0.013/5 = 0.0026 → 2 × 10⁻³ (Heckbert's thresholds 1.5, 3, 7).
    XCTAssertEqual(
      Ticks.linear(0, 0.013, target: 5).ticks.map { Ticks.label($0, step: 0.002) },
      ["0", "0.002", "0.004", "0.006", "0.008", "0.01", "0.012", "0.014"])
    XCTAssertEqual(Ticks.logarithmic(0.003, 250).ticks, [0.001, 0.01, 0.1, 1, 10, 100, 1000])
    XCTAssertEqual(Ticks.logarithmic(2, 30).ticks, [1, 2, 5, 10, 20, 50, 100])
    XCTAssertEqual(Ticks.label(-2, step: 1), "−2")
    XCTAssertEqual(Ticks.label(1e6, step: 1e6), "10⁶")
    XCTAssertEqual(Ticks.label(2.5e-5, step: 1e-5), "2.5×10⁻⁵")
  }

  func testKLFigureStructure() {
    let fig = klFigure()
    let svg = fig.svg
    dump("kl", svg)
    assertWellFormedXML(svg)
    XCTAssertTrue(svg.hasPrefix("<svg xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 640 400\""))
    XCTAssertFalse(svg.contains(" width=\"640\""), "no fixed pixel width on the root element")
    XCTAssertTrue(svg.contains("<title id="))
    XCTAssertTrue(svg.contains("<desc id="))
    XCTAssertTrue(svg.contains(">KL(q‖p) for q = 𝒩(0, σ²), p = 𝒩(0, 1)</title>"))
    XCTAssertTrue(svg.contains(">minimum at σ² = 1</text>"))
    XCTAssertTrue(svg.contains("currentColor"))
    XCTAssertTrue(svg.contains("var(--latent-c0,#0072B2)"))
    for tick in ["0", "0.5", "1", "1.5", "2", "2.5", "3", "3.5", "4"] {
      XCTAssertTrue(svg.contains("text-anchor=\"middle\">\(tick)</text>"), "x tick \(tick)")
    }
    // The marked minimum (1, 0): x = 72 + (1 − 0)/(4 − 0)·(622 − 72) = 209.5; y = bottom = 342
    // because the y domain starts at 0 (KL ≥ 0).
    XCTAssertTrue(svg.contains("<circle class=\"lt-s1 lt-point\" cx=\"209.5\" cy=\"342\" r=\"5\"/>"))
    XCTAssertEqual(fig.altText, "Line plot of KL against σ² showing KL(q‖p); marked: minimum at σ² = 1.")
    XCTAssertEqual(svg, klFigure().svg, "deterministic output")
  }

  func testEscapingAndCustomAltText() {
    var p = Plot(title: "a < b & c", xLabel: "x", yLabel: "y")
    p.addLine(x: [0, 1], y: [0, 1], label: "\"q\"")
    p.altText = "Custom."
    let svg = p.svg
    assertWellFormedXML(svg)
    XCTAssertTrue(svg.contains("a &lt; b &amp; c"))
    XCTAssertTrue(svg.contains("&quot;q&quot;"))
    XCTAssertEqual(p.altText, "Custom.")
  }

  func testAllLayerKindsRenderWellFormed() throws {
    var g = SeededGenerator(seed: 1)
    var p = ScatterPlot(title: "Latent space", xLabel: "z₁", yLabel: "z₂")
    let pts = g.normalMatrix(rows: 300, cols: 2)
    p.addScatter(pts, categories: (0..<300).map { $0 % 3 }, names: ["cultivar 0", "cultivar 1", "cultivar 2"])
    p.addGaussianContours(mean: [0, 0], covariance: Matrix([[1, 0.6], [0.6, 2]]), levels: [1, 2], label: "𝒩(0, Σ)")
    p.addVerticalLine(x: 0, label: "z₁ = 0")
    p.addHorizontalLine(y: 0)
    p.equalAspect = true
    let svg = p.svg
    dump("scatter", svg)
    assertWellFormedXML(svg)
    XCTAssertEqual(svg.components(separatedBy: "<circle cx=").count - 1, 300)
    XCTAssertTrue(svg.contains(">cultivar 2</text>"))

    var h = Plot.histogram((0..<5000).map { _ in g.normal() }, bins: 40, title: "Samples of 𝒩(0, 1)", xLabel: "z")
    h.addFunction({ exp(-0.5 * $0 * $0) / (2 * Double.pi).squareRoot() }, over: -4...4, label: "density")
    dump("hist", h.svg)
    assertWellFormedXML(h.svg)
    let bars = h.svg.components(separatedBy: "lt-bar\">")[1].components(separatedBy: "</g>")[0]
    let nonEmptyBins = bars.components(separatedBy: "<rect").count - 1
    XCTAssertTrue((30...40).contains(nonEmptyBins), "\(nonEmptyBins) bars")

    var l = LinePlot(title: "ELBO", xLabel: "epoch", yLabel: "loss")
    l.yScale = .log
    l.addLine(x: [1, 2, 3, 4], y: [300, 120, 0, 60], label: "train")  // 0 is skipped on a log axis
    l.addBand(x: [1, 2, 3, 4], lower: [250, 100, 50, 50], upper: [350, 140, 90, 70], label: "±2σ")
    dump("log", l.svg)
    assertWellFormedXML(l.svg)
    // The 0 breaks the line on the log axis: its path has two pieces, each opened by a move.
    let line = l.svg.components(separatedBy: "class=\"lt-line lt-s0\" d=\"")[1].prefix { $0 != "\"" }
    XCTAssertEqual(line.filter { $0 == "M" }.count, 2, String(line))
    XCTAssertTrue(l.altText.contains("log scale"))
  }

  func testPlateDiagram() throws {
    func mixture() throws -> PlateDiagram {
      var d = PlateDiagram(title: "Gaussian mixture")
      try d.addNode("pi", label: "π", column: 0, row: 0, kind: .parameter)
      try d.addNode("z", label: "zₙ", column: 1, row: 0)
      try d.addNode("x", label: "xₙ", column: 2, row: 0, kind: .observed)
      try d.addNode("theta", label: "μₖ, Σₖ", column: 2, row: 1.2, kind: .parameter)
      try d.addEdge(from: "pi", to: "z")
      try d.addEdge(from: "z", to: "x")
      try d.addEdge(from: "theta", to: "x")
      try d.addPlate(around: ["z", "x"], label: "N")
      try d.addPlate(around: ["theta"], label: "K")
      return d
    }
    let d = try mixture()
    let svg = d.svg
    dump("plate", svg)
    assertWellFormedXML(svg)
    XCTAssertTrue(svg.contains(">Gaussian mixture</title>"))
    for label in ["π", "zₙ", "xₙ", "μₖ, Σₖ", "N", "K"] { XCTAssertTrue(svg.contains(">\(label)</text>"), label) }
    // Two circles for the variables (one shaded), two dots for the parameters, three arrowheads.
    XCTAssertEqual(svg.components(separatedBy: "<circle").count - 1, 4)
    XCTAssertEqual(svg.components(separatedBy: "fill-opacity:0.2").count - 1, 1)
    XCTAssertEqual(svg.components(separatedBy: "Z\"/>").count - 1, 3)
    XCTAssertEqual(svg.components(separatedBy: "<rect").count - 1, 2)
    // Text no smaller than the library's smallest (11 units), on a viewBox no wider than a plot's.
    let sizes = svg.matches(of: #/font-size="(\d+)"/#).map { Int($0.1)! }
    XCTAssertGreaterThanOrEqual(sizes.min()!, 11)
    let width = Double(svg.firstMatch(of: #/viewBox="0 0 ([\d.]+) /#)!.1)!
    XCTAssertLessThanOrEqual(width, 640)
    XCTAssertEqual(
      d.altText,
      "Plate diagram, Gaussian mixture: latent zₙ; observed xₙ; parameters π, μₖ, Σₖ; arrows π → zₙ, zₙ → xₙ, μₖ, Σₖ → xₙ; a plate repeating zₙ, xₙ N times; a plate repeating μₖ, Σₖ K times."
    )
    XCTAssertEqual(svg, try mixture().svg, "deterministic output")
    var e = PlateDiagram(title: "t")
    try e.addNode("a", label: "a", column: 0, row: 0)
    XCTAssertEqual(
      thrownMessage { try e.addNode("a", label: "b", column: 1, row: 0) },
      "PlateDiagram \"t\": a node with id \"a\" already exists; ids must be unique")
    XCTAssertEqual(
      thrownMessage { try e.addEdge(from: "a", to: "b") }, "PlateDiagram \"t\": no node has id \"b\" (nodes: a)")
    XCTAssertEqual(
      thrownMessage { try e.addPlate(around: [], label: "N") }, "PlateDiagram \"t\": the plate \"N\" has no nodes")
  }

  func testHeatMap() {
    let H = HeatMap(spd3, title: "Σ", rowLabels: ["a", "b", "c"], columnLabels: ["a", "b", "c"])
    let svg = H.svg
    dump("heat", svg)
    assertWellFormedXML(svg)
    XCTAssertFalse(H.diverging)
    XCTAssertTrue(svg.contains("<title>(0, 0): 4</title>"))
    XCTAssertEqual(HeatMap.color(0, diverging: false), "#440154")  // viridis endpoints
    XCTAssertEqual(HeatMap.color(1, diverging: false), "#FDE725")
    XCTAssertEqual(HeatMap.color(0.5, diverging: true), "#F7F7F7")
    XCTAssertTrue(HeatMap(Matrix([[-1, 2]]), title: "W").diverging)
  }
}
