import Foundation

/// "Nice" axis ticks: steps of 1, 2 or 5 × 10ᵏ (Heckbert, *Graphics Gems*, 1990).
enum Ticks {
  /// The nice step for covering `span` with about `target` intervals.
  static func niceStep(span: Double, target: Int) -> Double {
    guard span > 0, span.isFinite else { return 1 }
    let raw = span / Double(max(target, 1))
    let mag = pow(10, floor(log10(raw)))
    let f = raw / mag
    let nice: Double = f < 1.5 ? 1 : (f < 3 ? 2 : (f < 7 ? 5 : 10))
    return nice * mag
  }

  /// Domain widened to multiples of the nice step, and the ticks inside it.
  static func linear(_ lo: Double, _ hi: Double, target: Int = 5) -> (domain: ClosedRange<Double>, ticks: [Double]) {
    var lo = lo, hi = hi
    if !(lo.isFinite && hi.isFinite) { lo = 0; hi = 1 }
    if lo == hi { let d = lo == 0 ? 1 : abs(lo) * 0.5; lo -= d; hi += d }
    let step = niceStep(span: hi - lo, target: target)
    let a = floor(lo / step + 1e-9) * step, b = ceil(hi / step - 1e-9) * step
    let n = Int(((b - a) / step).rounded())
    let ticks = (0...n).map { a + Double($0) * step }.map { abs($0) < step * 1e-9 ? 0 : $0 }
    return (a...b, ticks)
  }

  /// Ticks for a fixed domain (no widening).
  static func within(_ domain: ClosedRange<Double>, target: Int = 5) -> [Double] {
    let step = niceStep(span: domain.upperBound - domain.lowerBound, target: target)
    let a = ceil(domain.lowerBound / step - 1e-9) * step
    var t: [Double] = []
    var k = 0
    while a + Double(k) * step <= domain.upperBound + step * 1e-9 && k < 1000 {
      let v = a + Double(k) * step
      t.append(abs(v) < step * 1e-9 ? 0 : v)
      k += 1
    }
    return t
  }

  /// Log-scale domain (powers of ten enclosing the data) and ticks at 10ᵏ
  /// (plus 2·10ᵏ and 5·10ᵏ when there are fewer than three decades).
  static func logarithmic(_ lo: Double, _ hi: Double) -> (domain: ClosedRange<Double>, ticks: [Double]) {
    var lo = lo, hi = hi
    if !(lo > 0 && lo.isFinite) { lo = 1 }
    if !(hi > 0 && hi.isFinite) || hi < lo { hi = lo * 10 }
    var a = floor(log10(lo) + 1e-9), b = ceil(log10(hi) - 1e-9)
    if a == b { a -= 1; b += 1 }
    var ticks: [Double] = []
    for k in Int(a)...Int(b) {
      let p = pow(10, Double(k))
      ticks.append(p)
      if b - a < 3 && k < Int(b) { ticks += [2 * p, 5 * p] }
    }
    return (pow(10, a)...pow(10, b), ticks)
  }

  /// A tick label: short, no trailing zeros, scientific for very large/small values.
  static func label(_ v: Double, step: Double) -> String {
    if v == 0 { return "0" }
    let a = abs(v)
    if a >= 1e5 || a < 1e-3 {
      let e = Int(floor(log10(a)))
      let m = v / pow(10, Double(e))
      let ms = abs(m - 1) < 1e-9 ? "" : (abs(m + 1) < 1e-9 ? "−" : label(m, step: 0.1) + "×")
      return ms + "10" + superscript(e)
    }
    let decimals = max(0, min(6, Int(ceil(-log10(step) - 1e-9))))
    var s = String(format: "%.\(decimals)f", v)
    if s.contains(".") {
      while s.hasSuffix("0") { s.removeLast() }
      if s.hasSuffix(".") { s.removeLast() }
    }
    if s.hasPrefix("-") { s = "−" + s.dropFirst() }
    return s
  }

  static func superscript(_ n: Int) -> String {
    let digits: [Character] = ["⁰", "¹", "²", "³", "⁴", "⁵", "⁶", "⁷", "⁸", "⁹"]
    return (n < 0 ? "⁻" : "") + String(abs(n)).map { digits[Int(String($0))!] }
  }
}
