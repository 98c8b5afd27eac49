import Foundation
import Latent
internal import NotebookEvents

/// Shows a figure under the code block that calls this, numbered, with its caption; with a
/// `label` such as `"fig-kl"`, prose can refer to it as `@fig-kl`.
///
/// The SVG travels to the engine as a file on the side channel; stdout is untouched.
public func display(
  _ figure: some SVGRepresentable, caption: String? = nil, label: String? = nil, line: Int = #line
) {
  emit(Array(figure.svg.utf8), format: .svg, altText: figure.altText, caption: caption, label: label, line: line)
}

/// Shows a pixel image (PNG) under the code block that calls this.
public func display(
  _ image: some PNGRepresentable, caption: String? = nil, label: String? = nil, line: Int = #line
) {
  emit(image.pngData, format: .png, altText: image.altText, caption: caption, label: label, line: line)
}

/// Shows a table of computed values under the block: a numbered "Table N" with its caption;
/// with a `label` such as `"tbl-bounds"`, prose can refer to it as `@tbl-bounds`.
public func display(_ table: Table, caption: String? = nil, label: String? = nil, line: Int = #line) {
  let payload = table.payload
  guard EventChannel.shared.isAttached else {
    print(payload.plainText)
    return
  }
  let encoder = JSONEncoder()
  encoder.outputFormatting = [.sortedKeys]
  guard let data = try? encoder.encode(payload) else { return }
  emit(Array(data), format: .table, altText: payload.summary, caption: caption, label: label, line: line)
}

/// An explorable figure: the figure `frame` draws for each of `values`, shown one at a time with
/// a slider for the parameter (named `parameter`, each value written by `text`). Every frame is
/// drawn now, while the chapter runs; the page only switches between them. Without JavaScript it
/// shows the frame at `initial` (by default the first).
///
/// ```swift
/// display(varying: "μ", over: [-2.0, -1, 0, 1, 2], initial: 2, caption: "...", label: "fig-kl-mu") { mu in
///   klPlot(mean: mu)
/// }
/// ```
///
/// It throws `DisplayError` for fewer than two values or an `initial` outside them.
public func display<Value>(
  varying parameter: String, over values: [Value], initial: Int = 0, text: (Value) -> String = { "\($0)" },
  caption: String? = nil, label: String? = nil, line: Int = #line,
  frame: (Value) throws -> some SVGRepresentable
) throws {
  try validateExplorable(values.count, initial: initial)
  var frames: [ExplorablePayload.Frame] = []
  for value in values {
    let figure = try frame(value)
    frames.append(.init(data: Data(figure.svg.utf8), altText: frameAlt(figure.altText, parameter, text(value))))
  }
  emitExplorable(parameter, values.map(text), initial, .svg, frames, caption: caption, label: label, line: line)
}

/// An explorable figure whose frames are pixel images (PNG); see the SVG version.
public func display<Value>(
  varying parameter: String, over values: [Value], initial: Int = 0, text: (Value) -> String = { "\($0)" },
  caption: String? = nil, label: String? = nil, line: Int = #line,
  frame: (Value) throws -> some PNGRepresentable
) throws {
  try validateExplorable(values.count, initial: initial)
  var frames: [ExplorablePayload.Frame] = []
  for value in values {
    let image = try frame(value)
    frames.append(.init(data: Data(image.pngData), altText: frameAlt(image.altText, parameter, text(value))))
  }
  emitExplorable(parameter, values.map(text), initial, .png, frames, caption: caption, label: label, line: line)
}

/// Why `display` refused its arguments.
public struct DisplayError: Error, CustomStringConvertible {
  public var description: String
}

/// A slider needs two values to move between, and starts at one of them.
private func validateExplorable(_ count: Int, initial: Int) throws {
  guard count >= 2 else {
    throw DisplayError(description: "display(varying:over:): \(count) value(s); a slider needs at least 2")
  }
  guard (0..<count).contains(initial) else {
    throw DisplayError(
      description:
        "display(varying:over:): initial \(initial) is not an index of the \(count) values (0...\(count - 1))")
  }
}

/// A frame's alt text says which value it shows (unless it already does).
private func frameAlt(_ alt: String, _ parameter: String, _ value: String) -> String {
  let trimmed = alt.trimmingCharacters(in: .whitespaces)
  let setting = "\(parameter) = \(value)"
  guard !trimmed.contains(setting) else { return trimmed }
  let stop = trimmed.hasSuffix(".") ? "" : "."
  return "\(trimmed)\(stop) \(setting)."
}

private func emitExplorable(
  _ parameter: String, _ values: [String], _ initial: Int, _ format: FigureRecord.Format,
  _ frames: [ExplorablePayload.Frame], caption: String?, label: String?, line: Int
) {
  guard EventChannel.shared.isAttached else {
    FileHandle.standardError.write(Data("[figure: \(frames[initial].altText) (\(frames.count) frames)]\n".utf8))
    return
  }
  let payload = ExplorablePayload(
    parameter: parameter, values: values, initial: initial, format: format, frames: frames)
  guard let data = try? JSONEncoder().encode(payload) else { return }
  emit(
    Array(data), format: .explorable, altText: frames[initial].altText, caption: caption, label: label, line: line)
}

private func emit(
  _ bytes: [UInt8], format: FigureRecord.Format, altText: String, caption: String?, label: String?, line: Int
) {
  let channel = EventChannel.shared
  guard channel.isAttached, let name = channel.writeFigure(bytes, fileExtension: format.rawValue)
  else {
    FileHandle.standardError.write(Data("[figure: \(altText)]\n".utf8))
    return
  }
  _ = flushedStandardOutputOffset()
  channel.send(
    .figureWritten(
      FigureRecord(file: name, format: format, altText: altText, caption: caption, label: label, line: line)))
}
