import Foundation
import NotebookEvents

/// The HTML of computed tables and explorable figures, and the files an explorable figure's
/// frames are written to. Pure functions of their input, so they are tested directly.
public enum FigureMarkup {
  /// A table: numbered caption on top, a header row, numeric columns aligned right (with a real
  /// minus sign), in a region that scrolls sideways on a narrow screen.
  public static func table(_ payload: TablePayload, number: Int, caption: String?, id: String) -> String {
    let caption = Element.make(
      "caption", ["id": "\(id)-caption"],
      Element.make("span", ["class": "figure-number"], "Table \(number).") + " "
        + HTML.escape(caption ?? payload.summary))
    var html =
      Element.start(
        "div",
        ["class": "table-scroll", "id": "\(id)", "role": "region", "tabindex": "0", "aria-labelledby": "\(id)-caption"])
      + "<table>\n" + caption + "\n<thead><tr>"
    for column in payload.columns {
      html += Element.make(
        "th", ["scope": "col", "class": column.numeric ? "num" : nil], HTML.escape(column.title))
    }
    html += "</tr></thead>\n<tbody>\n"
    for row in payload.rows {
      html += "<tr>"
      for (index, column) in payload.columns.enumerated() {
        let text = index < row.count ? row[index] : ""
        html +=
          column.numeric
          ? Element.make("td", ["class": "num"], HTML.escape(minusSign(text))) : Element.make("td", HTML.escape(text))
      }
      html += "</tr>\n"
    }
    return html + "</tbody>\n</table></div>\n"
  }

  /// `-1.5` as `−1.5` (U+2212), the width of a plus sign in tabular figures.
  static func minusSign(_ text: String) -> String {
    text.hasPrefix("-") ? "\u{2212}" + text.dropFirst() : text
  }

  /// SVG frames packed for the page: every distinct line once (`parts`), and each frame as runs
  /// of consecutive part indices, flattened as `[start, count, start, count, ...]`. Frames of one
  /// plot share their axes, ticks, labels and legend, so these are stored once.
  public struct PackedFrames: Equatable, Codable, Sendable {
    public var parts: [String]
    public var frames: [[Int]]

    public init(_ svgs: [String]) {
      var index: [Substring: Int] = [:]
      var parts: [String] = []
      frames = svgs.map { svg in
        var runs: [Int] = []
        for line in svg.split(separator: "\n", omittingEmptySubsequences: false) {
          let part: Int
          if let known = index[line] {
            part = known
          } else {
            part = parts.count
            index[line] = part
            parts.append(String(line))
          }
          if runs.count >= 2, runs[runs.count - 2] + runs[runs.count - 1] == part {
            runs[runs.count - 1] += 1
          } else {
            runs += [part, 1]
          }
        }
        return runs
      }
      self.parts = parts
    }

    /// Frame `k` as it was drawn (what the page's script does).
    public func frame(_ k: Int) -> String {
      var lines: [String] = []
      let runs = frames[k]
      for pair in stride(from: 0, to: runs.count - 1, by: 2) {
        lines += parts[runs[pair]..<runs[pair] + runs[pair + 1]]
      }
      return lines.joined(separator: "\n")
    }
  }

  /// An explorable figure: the page's markup and the files it needs, by site-relative path.
  ///
  /// The page holds the default frame as a plain image (all a reader without JavaScript sees)
  /// and a slider, hidden until the page's script has loaded `<base>.frames.js`: for SVG frames
  /// the packed lines, for PNG frames the names of one file per frame. Nothing is computed in
  /// the browser but the joining of a frame's lines.
  public static func explorable(
    _ payload: ExplorablePayload, base: String, number: Int, caption: String?, id: String
  ) -> (html: String, files: [String: [UInt8]]) {
    var files: [String: [UInt8]] = [:]
    var data: [String: Any] = ["values": payload.values, "alts": payload.frames.map(\.altText)]
    let initial = min(max(payload.initial, 0), payload.frames.count - 1)
    let source: String
    if payload.format == .png {
      let names = payload.frames.indices.map { "\(base).frame-\($0 + 1).png" }
      for (name, frame) in zip(names, payload.frames) { files[name] = Array(frame.data) }
      data["srcs"] = names
      source = names[initial]
    } else {
      let packed = PackedFrames(payload.frames.map { String(decoding: $0.data, as: UTF8.self) })
      data["parts"] = packed.parts
      data["frames"] = packed.frames
      source = "\(base).svg"
      files[source] = Array(payload.frames[initial].data)
    }
    let json =
      (try? JSONSerialization.data(withJSONObject: data, options: [.sortedKeys, .withoutEscapingSlashes]))
      ?? Data("{}".utf8)
    let script =
      "(window.notebookFrames = window.notebookFrames || {})[\(jsonString(id))] = "
      + String(decoding: json, as: UTF8.self) + ";\n"
    files["\(base).frames.js"] = Array(script.utf8)

    let slider = "\(id)-slider"
    let value = payload.values[initial]
    let image = Element.start(
      "img",
      [
        "class": payload.format == .svg ? "svg-frame" : nil, "src": "\(source)",
        "alt": "\(payload.frames[initial].altText)", "loading": "lazy",
      ])
    let explore = Element.make(
      "div", ["class": "explore", "hidden": .flag],
      Element.make("label", ["for": "\(slider)"], HTML.escape(payload.parameter))
        + Element.start(
          "input",
          [
            "type": "range", "id": "\(slider)", "min": "0", "max": "\(payload.frames.count - 1)", "step": "1",
            "value": "\(initial)", "aria-valuetext": "\(payload.parameter) = \(value)",
            "aria-describedby": "\(id)-caption",
          ])
        + Element.make("output", ["for": "\(slider)"], HTML.escape(value)))
    let figcaption = Element.make(
      "figcaption", ["id": "\(id)-caption"],
      Element.make("span", ["class": "figure-number"], "Figure \(number).") + " "
        + HTML.escape(caption ?? payload.frames[initial].altText))
    let html =
      Element.make(
        "figure", ["id": "\(id)", "class": "explorable", "data-frames": "\(base).frames.js"],
        image + explore + figcaption) + "\n"
    return (html, files)
  }

  /// The files `explorable` writes for a figure, by name alone (Resolve checks links against
  /// them before anything is written); none for a payload it would leave out.
  static func explorableFileNames(_ figure: Figure, base: String) -> [String] {
    guard let payload = try? JSONDecoder().decode(ExplorablePayload.self, from: figure.data),
      !payload.frames.isEmpty
    else { return [] }
    let frames =
      payload.format == .png ? payload.frames.indices.map { "\(base).frame-\($0 + 1).png" } : ["\(base).svg"]
    return frames + ["\(base).frames.js"]
  }

  private static func jsonString(_ text: String) -> String {
    let data = (try? JSONSerialization.data(withJSONObject: [text], options: [])) ?? Data("[\"\"]".utf8)
    return String(String(decoding: data, as: UTF8.self).dropFirst().dropLast())
  }
}
