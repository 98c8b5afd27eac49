/// Something a notebook can show under the code block that made it.
///
/// `NotebookRuntime.display(_:)` accepts any value conforming to one of these.
/// Figures are SVG documents; pixel images (VAE samples) are PNG bytes.
public protocol SVGRepresentable {
  /// A complete, standalone `<svg>` element with `<title>` and `<desc>` for screen readers.
  var svg: String { get }
  /// A one-sentence description used as the figure's alt text.
  var altText: String { get }
}

/// A pixel image encoded as PNG.
public protocol PNGRepresentable {
  /// The encoded PNG file.
  var pngData: [UInt8] { get }
  /// A one-sentence description used as the image's alt text.
  var altText: String { get }
}
