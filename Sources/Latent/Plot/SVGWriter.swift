import Foundation

// Shared plumbing for the SVG figures: escaping, fixed-precision numbers,
// the CSS palette, and stable ids. Output is byte-for-byte deterministic.

/// Escapes text for XML character data and attribute values.
func xmlEscape(_ s: String) -> String {
  var out = ""
  out.reserveCapacity(s.count)
  for c in s {
    switch c {
    case "&": out += "&amp;"
    case "<": out += "&lt;"
    case ">": out += "&gt;"
    case "\"": out += "&quot;"
    case "'": out += "&#39;"
    default: out.append(c)
    }
  }
  return out
}

/// A coordinate with two decimals, trailing zeros removed ("12.5", "-3", "0.25").
func svgNumber(_ x: Double) -> String {
  if !x.isFinite { return "0" }
  var s = String(format: "%.2f", x)
  while s.hasSuffix("0") { s.removeLast() }
  if s.hasSuffix(".") { s.removeLast() }
  if s == "-0" { s = "0" }
  return s
}

/// 64-bit FNV-1a, for stable element ids derived from a figure's content.
func fnv1a(_ s: String) -> UInt64 {
  var h: UInt64 = 0xcbf2_9ce4_8422_2325
  for b in s.utf8 { h = (h ^ UInt64(b)) &* 0x100_0000_01b3 }
  return h
}

/// The palette: Okabe–Ito colours (distinguishable with colour-vision
/// deficiencies) plus two from Tol's muted set (ten classes for Fashion-MNIST),
/// exposed as CSS custom properties `--latent-c0` … `--latent-c9`
/// so a page (e.g. in dark mode) can restyle every figure. Text and axes use
/// `currentColor`, so they follow the surrounding text colour.
let paletteHex = [
  "#0072B2", "#D55E00", "#009E73", "#CC79A7", "#E69F00", "#56B4E9", "#882255", "#999933", "#777777", "#44AA99",
]

let svgStyle: String = {
  var css = ".lt-fig{font-family:system-ui,-apple-system,'Segoe UI',sans-serif;font-size:13px;fill:currentColor}"
  css += ".lt-fig text{fill:currentColor}"
  css += ".lt-title{font-size:15px;font-weight:600}"
  css += ".lt-axis{stroke:currentColor;stroke-width:1;fill:none}"
  css += ".lt-grid{stroke:currentColor;stroke-opacity:0.12;stroke-width:1}"
  css += ".lt-tick{font-size:11px}"
  css += ".lt-legend-box{fill:var(--latent-bg,Canvas);fill-opacity:0.85;stroke:currentColor;stroke-opacity:0.25}"
  css += ".lt-ref{stroke:currentColor;stroke-opacity:0.5;stroke-dasharray:4 3;fill:none}"
  for (k, c) in paletteHex.enumerated() {
    css += ".lt-s\(k){stroke:var(--latent-c\(k),\(c));fill:var(--latent-c\(k),\(c))}"
  }
  css += ".lt-line{fill:none!important;stroke-width:2;stroke-linejoin:round;stroke-linecap:round}"
  css += ".lt-dashed{stroke-dasharray:6 4}"
  css += ".lt-area{stroke:none!important;fill-opacity:0.18}"
  css += ".lt-bar{fill-opacity:0.55;stroke-width:0.75}"
  css += ".lt-ellipse{fill:none!important;stroke-width:1.5}"
  css += ".lt-marker{stroke:var(--latent-bg,Canvas)!important;stroke-width:0.75}"
  css += ".lt-point{stroke-width:1.5}"
  return css
}()

/// Opens an `<svg>` document with `<title>`, `<desc>` and the shared style.
func svgHeader(width: Double, height: Double, title: String, desc: String, idSeed: String) -> String {
  let id = "lt-" + String(fnv1a(idSeed + title + desc), radix: 16)
  return """
    <svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 \(svgNumber(width)) \(svgNumber(height))" \
    role="img" aria-labelledby="\(id)-title \(id)-desc" class="lt-fig">
    <title id="\(id)-title">\(xmlEscape(title))</title>
    <desc id="\(id)-desc">\(xmlEscape(desc))</desc>
    <style>\(svgStyle)</style>

    """
}
