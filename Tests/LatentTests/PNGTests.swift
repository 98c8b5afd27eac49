import CZlib
import XCTest

@testable import Latent

final class PNGTests: XCTestCase {
  func readU32(_ b: [UInt8], _ i: Int) -> UInt32 {
    UInt32(b[i]) << 24 | UInt32(b[i + 1]) << 16 | UInt32(b[i + 2]) << 8 | UInt32(b[i + 3])
  }

  func testPNGStructureAndRoundTrip() {
    let w = 3, h = 2
    let pixels: [UInt8] = [0, 128, 255, 10, 20, 30]
    let png = PNG.encode(width: w, height: h, pixels: pixels)
    XCTAssertEqual(Array(png.prefix(8)), [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A])
    // IHDR: length 13, "IHDR", width, height, depth 8, colour type 0.
    XCTAssertEqual(readU32(png, 8), 13)
    XCTAssertEqual(Array(png[12..<16]), Array("IHDR".utf8))
    XCTAssertEqual(readU32(png, 16), 3)
    XCTAssertEqual(readU32(png, 20), 2)
    XCTAssertEqual(Array(png[24..<29]), [8, 0, 0, 0, 0])
    // The IEND chunk is always 00000000 49454E44 AE426082 (CRC constant from the PNG specification).
    XCTAssertEqual(Array(png.suffix(12)), [0, 0, 0, 0, 0x49, 0x45, 0x4E, 0x44, 0xAE, 0x42, 0x60, 0x82])
    // Inflate IDAT independently and compare with the scanlines.
    let idatLen = Int(readU32(png, 33))
    XCTAssertEqual(Array(png[37..<41]), Array("IDAT".utf8))
    let idat = Array(png[41..<(41 + idatLen)])
    var outLen = uLong(64)
    var out = [UInt8](repeating: 0, count: 64)
    let rc = uncompress(&out, &outLen, idat, uLong(idat.count))
    XCTAssertEqual(rc, Z_OK)
    XCTAssertEqual(Array(out.prefix(Int(outLen))), [0, 0, 128, 255, 0, 10, 20, 30])
  }

  func testImageGridLayout() {
    // Two 2x2 images, one per grid column, scale 1, padding 1 → 7 x 4 pixels.
    let imgs = FloatMatrix([[0, 1, 0.5, 0], [1, 1, 1, 1]])
    let grid = ImageGrid(imgs, imageWidth: 2, imageHeight: 2, columns: 2, scale: 1, padding: 1)
    XCTAssertEqual(grid.size.width, 7); XCTAssertEqual(grid.size.height, 4)
    let px = grid.pixels
    // Row 1 (first image row): pad, 255-0, 255-255, pad, 0, 0, pad
    XCTAssertEqual(Array(px[7..<14]), [255, 255, 0, 255, 0, 0, 255])
    XCTAssertEqual(Array(px[14..<21]), [255, 128, 255, 255, 0, 0, 255])
    XCTAssertEqual(Array(grid.pngData.prefix(4)), [0x89, 0x50, 0x4E, 0x47])
    XCTAssertTrue(grid.altText.contains("2 greyscale 2×2 images"))
  }
}
