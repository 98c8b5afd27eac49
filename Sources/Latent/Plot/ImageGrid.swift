/// A grid of greyscale images (e.g. Fashion-MNIST digits or VAE samples)
/// encoded as one PNG.
///
/// Each row of `images` is one image of `imageHeight × imageWidth` pixels in
/// row-major order with values in [0, 1] (clamped); 1 is drawn black on a white
/// background by default (`inverted: false` draws 1 as white).
public struct ImageGrid: PNGRepresentable, Sendable, Codable {
  public var images: FloatMatrix
  public var imageWidth: Int, imageHeight: Int
  /// Images per grid row.
  public var columns: Int
  /// Each pixel becomes a `scale × scale` block (nearest neighbour).
  public var scale: Int
  /// Pixels of background between images.
  public var padding: Int
  /// Draw high values dark (ink on paper, default) or light.
  public var darkInk: Bool
  var customAltText: String?

  public init(
    _ images: FloatMatrix, imageWidth: Int = 28, imageHeight: Int = 28, columns: Int = 10,
    scale: Int = 2, padding: Int = 2, darkInk: Bool = true, altText: String? = nil
  ) {
    require(
      images.cols == imageWidth * imageHeight,
      "ImageGrid: rows of length \(images.cols) are not \(imageHeight)x\(imageWidth) images")
    require(columns > 0 && scale > 0 && padding >= 0, "ImageGrid: columns and scale must be positive")
    self.images = images
    self.imageWidth = imageWidth; self.imageHeight = imageHeight
    self.columns = columns; self.scale = scale; self.padding = padding
    self.darkInk = darkInk
    self.customAltText = altText
  }

  public var altText: String {
    get {
      customAltText ?? "A grid of \(images.rows) greyscale \(imageHeight)×\(imageWidth) images, \(columns) per row."
    }
    set { customAltText = newValue }
  }

  /// Pixel width and height of the whole grid.
  public var size: (width: Int, height: Int) {
    let n = max(images.rows, 1)
    let cols = min(columns, n), rows = (n + columns - 1) / columns
    return (padding + cols * (imageWidth * scale + padding), padding + rows * (imageHeight * scale + padding))
  }

  /// The grid's 8-bit greyscale pixels, row-major.
  public var pixels: [UInt8] {
    let (W, H) = size
    let background: UInt8 = darkInk ? 255 : 0
    var px = [UInt8](repeating: background, count: W * H)
    let cellW = imageWidth * scale + padding, cellH = imageHeight * scale + padding
    for k in 0..<images.rows {
      let ox = padding + (k % columns) * cellW, oy = padding + (k / columns) * cellH
      for y in 0..<imageHeight {
        for x in 0..<imageWidth {
          let v = min(max(images.scalars[k * images.cols + y * imageWidth + x], 0), 1)
          let g = UInt8((Float(255) * (darkInk ? 1 - v : v)).rounded())
          for dy in 0..<scale { for dx in 0..<scale { px[(oy + y * scale + dy) * W + ox + x * scale + dx] = g } }
        }
      }
    }
    return px
  }

  /// The encoded PNG file.
  public var pngData: [UInt8] {
    let (W, H) = size
    return PNG.encode(width: W, height: H, pixels: pixels)
  }
}
