import Foundation
import Latent
internal import NotebookEvents

/// Shows a figure under the code block that calls this, numbered, with its caption; with a
/// `label` such as `"fig-kl"`, prose can refer to it as `@fig-kl`.
///
/// The SVG travels to the engine as a file on the side channel; stdout is untouched.
public func display(_ figure: some SVGRepresentable, caption: String? = nil, label: String? = nil) {
  emit(Array(figure.svg.utf8), format: .svg, altText: figure.altText, caption: caption, label: label)
}

/// Shows a pixel image (PNG) under the code block that calls this.
public func display(_ image: some PNGRepresentable, caption: String? = nil, label: String? = nil) {
  emit(image.pngData, format: .png, altText: image.altText, caption: caption, label: label)
}

private func emit(
  _ bytes: [UInt8], format: FigureRecord.Format, altText: String, caption: String?, label: String?
) {
  let channel = EventChannel.shared
  guard channel.isAttached, let name = channel.writeFigure(bytes, fileExtension: format.rawValue)
  else {
    FileHandle.standardError.write(Data("[figure: \(altText)]\n".utf8))
    return
  }
  _ = flushedStandardOutputOffset()
  channel.send(
    RuntimeEvent(
      kind: .figure,
      figure: FigureRecord(file: name, format: format, altText: altText, caption: caption, label: label)))
}
