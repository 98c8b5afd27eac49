internal import CZlib
import Foundation

/// Reader for the IDX format of (Fashion-)MNIST, optionally gzip-compressed.
///
/// Layout: two zero bytes, a type code (0x08 = unsigned byte), the number of
/// dimensions d, then d big-endian UInt32 sizes, then the data in row-major
/// order. Files are read through zlib's `gzopen`/`gzread`, which also reads
/// uncompressed files transparently.
public enum IDX {
  /// An IDX array of unsigned bytes.
  public struct Array: Sendable {
    /// The sizes, e.g. [60000, 28, 28].
    public var shape: [Int]
    /// The bytes in row-major order.
    public var bytes: [UInt8]
  }

  /// Reads an unsigned-byte IDX file (`.gz` or plain).
  /// - Throws: ``DatasetError`` naming the path when the file is missing, truncated or of another type.
  public static func read(_ path: String) throws -> IDX.Array {
    guard FileManager.default.fileExists(atPath: path) else {
      throw DatasetError.missingFile(path: path, hint: "")
    }
    guard let f = gzopen(path, "rb") else { throw DatasetError.malformed(path: path, reason: "cannot open") }
    defer { gzclose(f) }
    gzbuffer(f, 1 << 20)

    func readExactly(_ n: Int) throws -> [UInt8] {
      var buf = [UInt8](repeating: 0, count: n)
      var got = 0
      while got < n {
        let chunk = Swift.min(n - got, 1 << 30)
        let r = buf.withUnsafeMutableBytes { p in gzread(f, p.baseAddress! + got, UInt32(chunk)) }
        if r <= 0 {
          throw DatasetError.malformed(path: path, reason: "truncated: expected \(n) bytes, got \(got)")
        }
        got += Int(r)
      }
      return buf
    }

    let magic = try readExactly(4)
    guard magic[0] == 0, magic[1] == 0 else {
      throw DatasetError.malformed(path: path, reason: "not an IDX file (magic \(magic.map { String($0, radix: 16) }))")
    }
    guard magic[2] == 0x08 else {
      throw DatasetError.malformed(
        path: path,
        reason: "IDX element type 0x\(String(magic[2], radix: 16)) is not supported (only unsigned bytes, 0x08)")
    }
    let d = Int(magic[3])
    let dimBytes = try readExactly(4 * d)
    var shape: [Int] = []
    for k in 0..<d {
      var v = 0
      for b in 0..<4 { v = (v << 8) | Int(dimBytes[4 * k + b]) }
      shape.append(v)
    }
    let count = shape.reduce(1, *)
    let bytes = try readExactly(count)
    return IDX.Array(shape: shape, bytes: bytes)
  }
}
