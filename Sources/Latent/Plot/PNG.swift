internal import CZlib

/// A minimal PNG encoder (8-bit greyscale or RGB, no interlacing), written
/// by hand: signature, IHDR, one IDAT compressed with zlib's `compress2`
/// (filter type 0 on every scanline), IEND; chunk CRCs from zlib's `crc32`.
public enum PNG {
  /// Colour layout of the pixel bytes.
  public enum ColorType: UInt8, Sendable {
    case grayscale = 0
    case rgb = 2
  }

  /// Encodes `pixels` (row-major, `width·height·channels` bytes) as a PNG file.
  public static func encode(width: Int, height: Int, pixels: [UInt8], colorType: ColorType = .grayscale) -> [UInt8] {
    let channels = colorType == .rgb ? 3 : 1
    require(width > 0 && height > 0, "PNG.encode: image must be non-empty, got \(width)x\(height)")
    require(
      pixels.count == width * height * channels,
      "PNG.encode: \(width)x\(height)x\(channels) image needs \(width * height * channels) bytes, got \(pixels.count)")
    var out: [UInt8] = [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A]
    var ihdr = [UInt8]()
    ihdr += bigEndian(UInt32(width)); ihdr += bigEndian(UInt32(height))
    ihdr += [8, colorType.rawValue, 0, 0, 0]
    appendChunk("IHDR", ihdr, to: &out)
    // Scanlines, each prefixed by filter type 0 (None).
    let stride = width * channels
    var raw = [UInt8](repeating: 0, count: height * (stride + 1))
    for y in 0..<height {
      raw.replaceSubrange(
        (y * (stride + 1) + 1)..<((y + 1) * (stride + 1)), with: pixels[(y * stride)..<((y + 1) * stride)])
    }
    appendChunk("IDAT", deflate(raw), to: &out)
    appendChunk("IEND", [], to: &out)
    return out
  }

  /// zlib stream of `data` at the best compression level.
  static func deflate(_ data: [UInt8]) -> [UInt8] {
    var destLen = compressBound(uLong(data.count))
    var dest = [UInt8](repeating: 0, count: Int(destLen))
    let rc = dest.withUnsafeMutableBufferPointer { d in
      data.withUnsafeBufferPointer { s in
        compress2(d.baseAddress, &destLen, s.baseAddress, uLong(data.count), 9)
      }
    }
    require(rc == Z_OK, "zlib compress2 failed with code \(rc)")
    return Array(dest.prefix(Int(destLen)))
  }

  /// The CRC-32 of `bytes` (zlib's `crc32`), as PNG chunks use.
  static func crc(_ bytes: [UInt8]) -> UInt32 {
    bytes.withUnsafeBufferPointer { p in UInt32(crc32(0, p.baseAddress, uInt(bytes.count))) }
  }

  static func appendChunk(_ type: String, _ data: [UInt8], to out: inout [UInt8]) {
    let typeBytes = Array(type.utf8)
    out += bigEndian(UInt32(data.count))
    out += typeBytes
    out += data
    out += bigEndian(crc(typeBytes + data))
  }

  static func bigEndian(_ v: UInt32) -> [UInt8] {
    [UInt8(v >> 24), UInt8((v >> 16) & 0xFF), UInt8((v >> 8) & 0xFF), UInt8(v & 0xFF)]
  }
}
