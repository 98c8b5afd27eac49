import Foundation

/// A saved value as a tree: what `CheckpointEncoder` makes of any `Encodable`, and what
/// `CheckpointDecoder` rebuilds it from. Large numeric arrays are kept whole (one `memcpy`,
/// no per-element coding) and stored beside the checkpoint as content-addressed blobs.
enum CheckpointBox {
  case null
  case bool(Bool)
  case int(Int64)
  case uint(UInt64)
  case double(Double)
  case float(Float)
  case string(String)
  case floats([Float])
  case doubles([Double])
  case ints([Int])
  case bytes([UInt8])
  /// A large array stored in the blob folder under the SHA-256 of its bytes.
  case blob(kind: ArrayKind, count: Int, name: String)
  case list([CheckpointBox])
  case map([(String, CheckpointBox)])

  enum ArrayKind: UInt8 { case floats = 1, doubles = 2, ints = 3, bytes = 4 }
}

/// A checkpoint that cannot be read back: truncated, corrupted, or written by another version.
struct CheckpointError: Error, CustomStringConvertible {
  var description: String
  init(_ description: String) { self.description = description }
}

/// The byte format of a box: a tag byte, then fixed-width little-endian fields, counts as
/// UInt64, strings as UTF-8 with their length.
enum CheckpointFormat {
  static let magic = Array("notebook-checkpoint-1\n".utf8)
  /// Arrays of at least this many bytes go to the blob folder.
  static let blobThreshold = 1 << 20

  static func serialize(_ box: CheckpointBox, blobs: BlobStore) throws -> [UInt8] {
    var writer = Writer()
    writer.bytes += magic
    try writer.write(box, blobs: blobs)
    return writer.bytes
  }

  static func deserialize(_ data: UnsafeRawBufferPointer, blobs: BlobStore) throws -> CheckpointBox {
    var reader = Reader(data: data)
    guard data.count >= magic.count, Array(data.prefix(magic.count)) == magic else {
      throw CheckpointError("not a checkpoint of this version")
    }
    reader.position = magic.count
    let box = try reader.read(blobs: blobs, depth: 0)
    guard reader.position == data.count else { throw CheckpointError("trailing bytes after the checkpoint") }
    return box
  }

  struct Writer {
    var bytes: [UInt8] = []

    mutating func tag(_ t: UInt8) { bytes.append(t) }
    mutating func u64(_ v: UInt64) { withUnsafeBytes(of: v.littleEndian) { bytes += $0 } }
    mutating func string(_ s: String) {
      let utf8 = Array(s.utf8)
      u64(UInt64(utf8.count))
      bytes += utf8
    }
    mutating func raw<T>(_ array: [T]) { array.withUnsafeBytes { bytes += $0 } }

    mutating func array<T>(_ values: [T], kind: CheckpointBox.ArrayKind, blobs: BlobStore) throws {
      let size = values.count * MemoryLayout<T>.stride
      if size >= CheckpointFormat.blobThreshold {
        let name = try blobs.store(values)
        tag(20)
        bytes.append(kind.rawValue)
        u64(UInt64(values.count))
        string(name)
      } else {
        tag(kind.rawValue + 10)
        u64(UInt64(values.count))
        raw(values)
      }
    }

    mutating func write(_ box: CheckpointBox, blobs: BlobStore) throws {
      switch box {
      case .null: tag(0)
      case .bool(let b): tag(b ? 2 : 1)
      case .int(let v): tag(3); u64(UInt64(bitPattern: v))
      case .uint(let v): tag(4); u64(v)
      case .double(let v): tag(5); u64(v.bitPattern)
      case .float(let v): tag(6); u64(UInt64(v.bitPattern))
      case .string(let s): tag(7); string(s)
      case .floats(let a): try array(a, kind: .floats, blobs: blobs)
      case .doubles(let a): try array(a, kind: .doubles, blobs: blobs)
      case .ints(let a): try array(a.map { Int64($0) }, kind: .ints, blobs: blobs)
      case .bytes(let a): try array(a, kind: .bytes, blobs: blobs)
      case .blob(let kind, let count, let name):
        tag(20); bytes.append(kind.rawValue); u64(UInt64(count)); string(name)
      case .list(let items):
        tag(8); u64(UInt64(items.count))
        for item in items { try write(item, blobs: blobs) }
      case .map(let entries):
        tag(9); u64(UInt64(entries.count))
        for (key, value) in entries {
          string(key)
          try write(value, blobs: blobs)
        }
      }
    }
  }

  struct Reader {
    let data: UnsafeRawBufferPointer
    var position = 0

    mutating func take(_ n: Int) throws -> UnsafeRawBufferPointer {
      guard n >= 0, n <= data.count - position else { throw CheckpointError("the checkpoint is truncated") }
      defer { position += n }
      return UnsafeRawBufferPointer(rebasing: data[position..<position + n])
    }
    mutating func byte() throws -> UInt8 { try take(1)[0] }
    mutating func u64() throws -> UInt64 {
      var v: UInt64 = 0
      let raw = try take(8)
      withUnsafeMutableBytes(of: &v) { $0.copyMemory(from: raw) }
      return UInt64(littleEndian: v)
    }
    mutating func count(elementSize: Int) throws -> Int {
      let n = try u64()
      guard n <= UInt64(data.count - position) / UInt64(max(elementSize, 1)) else {
        throw CheckpointError("the checkpoint is truncated")
      }
      return Int(n)
    }
    mutating func string() throws -> String {
      let n = try count(elementSize: 1)
      return String(decoding: try take(n), as: UTF8.self)
    }
    mutating func array<T>(_: T.Type) throws -> [T] {
      let n = try count(elementSize: MemoryLayout<T>.stride)
      let raw = try take(n * MemoryLayout<T>.stride)
      return [T](unsafeUninitializedCapacity: n) { buffer, initialized in
        UnsafeMutableRawBufferPointer(buffer).copyMemory(from: raw)
        initialized = n
      }
    }

    mutating func read(blobs: BlobStore, depth: Int) throws -> CheckpointBox {
      guard depth < 10_000 else { throw CheckpointError("the checkpoint nests too deeply") }
      switch try byte() {
      case 0: return .null
      case 1: return .bool(false)
      case 2: return .bool(true)
      case 3: return .int(Int64(bitPattern: try u64()))
      case 4: return .uint(try u64())
      case 5: return .double(Double(bitPattern: try u64()))
      case 6:
        let bits = try u64()
        guard bits <= UInt64(UInt32.max) else { throw CheckpointError("a Float out of range") }
        return .float(Float(bitPattern: UInt32(bits)))
      case 7: return .string(try string())
      case 11: return .floats(try array(Float.self))
      case 12: return .doubles(try array(Double.self))
      case 13: return .ints(try array(Int64.self).map { Int($0) })
      case 14: return .bytes(try array(UInt8.self))
      case 20:
        guard let kind = CheckpointBox.ArrayKind(rawValue: try byte()) else {
          throw CheckpointError("an unknown array kind")
        }
        let count = Int(clamping: try u64())
        let name = try string()
        return try blobs.load(name: name, kind: kind, count: count)
      case 8:
        let n = try count(elementSize: 1)
        var items: [CheckpointBox] = []
        items.reserveCapacity(n)
        for _ in 0..<n { items.append(try read(blobs: blobs, depth: depth + 1)) }
        return .list(items)
      case 9:
        let n = try count(elementSize: 9)
        var entries: [(String, CheckpointBox)] = []
        entries.reserveCapacity(n)
        for _ in 0..<n {
          let key = try string()
          entries.append((key, try read(blobs: blobs, depth: depth + 1)))
        }
        return .map(entries)
      case let tag: throw CheckpointError("an unknown tag \(tag) at byte \(position - 1)")
      }
    }
  }
}
