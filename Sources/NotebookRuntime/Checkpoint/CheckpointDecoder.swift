import Foundation

/// Rebuilds a `Decodable` from a `CheckpointBox`; the inverse of `CheckpointEncoder`.
struct CheckpointDecoder {
  func decode<T: Decodable>(_ type: T.Type, from box: CheckpointBox) throws -> T {
    try decodeValue(type, from: box, codingPath: [])
  }
}

private func mismatch(_ box: CheckpointBox, _ type: Any.Type, _ path: [any CodingKey]) -> DecodingError {
  DecodingError.typeMismatch(
    type,
    DecodingError.Context(codingPath: path, debugDescription: "the checkpoint holds \(box), not \(type)"))
}

/// Numeric arrays come back whole; scalars convert only when the value fits.
private func decodeValue<T: Decodable>(_ type: T.Type, from box: CheckpointBox, codingPath: [any CodingKey]) throws
  -> T
{
  switch box {
  case .floats(let a) where T.self == [Float].self: return a as! T
  case .doubles(let a) where T.self == [Double].self: return a as! T
  case .ints(let a) where T.self == [Int].self: return a as! T
  case .bytes(let a) where T.self == [UInt8].self: return a as! T
  default: break
  }
  if let scalar = try scalarValue(type, from: box, codingPath: codingPath) { return scalar as! T }
  return try T(from: BoxDecoder(box: box, codingPath: codingPath))
}

private func integer<I: FixedWidthInteger>(_: I.Type, _ box: CheckpointBox) -> I? {
  switch box {
  case .int(let v): return I(exactly: v)
  case .uint(let v): return I(exactly: v)
  default: return nil
  }
}

private func scalarValue(_ type: Any.Type, from box: CheckpointBox, codingPath: [any CodingKey]) throws -> Any? {
  let value: Any?
  switch type {
  case is Bool.Type: if case .bool(let v) = box { value = v } else { value = nil }
  case is String.Type: if case .string(let v) = box { value = v } else { value = nil }
  case is Double.Type: if case .double(let v) = box { value = v } else { value = nil }
  case is Float.Type: if case .float(let v) = box { value = v } else { value = nil }
  case is Int.Type: value = integer(Int.self, box)
  case is Int8.Type: value = integer(Int8.self, box)
  case is Int16.Type: value = integer(Int16.self, box)
  case is Int32.Type: value = integer(Int32.self, box)
  case is Int64.Type: value = integer(Int64.self, box)
  case is UInt.Type: value = integer(UInt.self, box)
  case is UInt8.Type: value = integer(UInt8.self, box)
  case is UInt16.Type: value = integer(UInt16.self, box)
  case is UInt32.Type: value = integer(UInt32.self, box)
  case is UInt64.Type: value = integer(UInt64.self, box)
  default: return nil
  }
  guard let value else { throw mismatch(box, type, codingPath) }
  return value
}

/// Arrays kept whole, seen element by element (a `[Float]` inside a type that decodes it by hand).
private func items(of box: CheckpointBox) -> [CheckpointBox]? {
  switch box {
  case .list(let items): return items
  case .floats(let a): return a.map { .float($0) }
  case .doubles(let a): return a.map { .double($0) }
  case .ints(let a): return a.map { .int(Int64($0)) }
  case .bytes(let a): return a.map { .uint(UInt64($0)) }
  default: return nil
  }
}

struct BoxDecoder: Decoder {
  let box: CheckpointBox
  var codingPath: [any CodingKey]
  var userInfo: [CodingUserInfoKey: Any] { [:] }

  func container<Key: CodingKey>(keyedBy type: Key.Type) throws -> KeyedDecodingContainer<Key> {
    guard case .map(let entries) = box else { throw mismatch(box, [String: Any].self, codingPath) }
    var values: [String: CheckpointBox] = [:]
    for (key, value) in entries { values[key] = value }
    return KeyedDecodingContainer(KeyedBoxDecoding<Key>(values: values, codingPath: codingPath))
  }

  func unkeyedContainer() throws -> any UnkeyedDecodingContainer {
    guard let items = items(of: box) else { throw mismatch(box, [Any].self, codingPath) }
    return UnkeyedBoxDecoding(items: items, codingPath: codingPath)
  }

  func singleValueContainer() throws -> any SingleValueDecodingContainer {
    SingleBoxDecoding(box: box, codingPath: codingPath)
  }
}

struct KeyedBoxDecoding<Key: CodingKey>: KeyedDecodingContainerProtocol {
  let values: [String: CheckpointBox]
  var codingPath: [any CodingKey]
  var allKeys: [Key] { values.keys.compactMap { Key(stringValue: $0) } }

  func contains(_ key: Key) -> Bool { values[key.stringValue] != nil }

  func value(_ key: Key) throws -> CheckpointBox {
    guard let box = values[key.stringValue] else {
      throw DecodingError.keyNotFound(
        key, DecodingError.Context(codingPath: codingPath, debugDescription: "not in the checkpoint"))
    }
    return box
  }

  func decodeNil(forKey key: Key) throws -> Bool {
    if case .null = try value(key) { return true }
    return false
  }
  func decode<T: Decodable>(_ type: T.Type, forKey key: Key) throws -> T {
    try decodeValue(type, from: try value(key), codingPath: codingPath + [key])
  }
  func nestedContainer<NestedKey: CodingKey>(keyedBy type: NestedKey.Type, forKey key: Key) throws
    -> KeyedDecodingContainer<NestedKey>
  {
    try BoxDecoder(box: try value(key), codingPath: codingPath + [key]).container(keyedBy: type)
  }
  func nestedUnkeyedContainer(forKey key: Key) throws -> any UnkeyedDecodingContainer {
    try BoxDecoder(box: try value(key), codingPath: codingPath + [key]).unkeyedContainer()
  }
  func superDecoder() throws -> any Decoder { BoxDecoder(box: values["super"] ?? .null, codingPath: codingPath) }
  func superDecoder(forKey key: Key) throws -> any Decoder {
    BoxDecoder(box: try value(key), codingPath: codingPath + [key])
  }
}

struct UnkeyedBoxDecoding: UnkeyedDecodingContainer {
  let items: [CheckpointBox]
  var codingPath: [any CodingKey]
  var currentIndex = 0
  var count: Int? { items.count }
  var isAtEnd: Bool { currentIndex >= items.count }

  init(items: [CheckpointBox], codingPath: [any CodingKey]) {
    self.items = items
    self.codingPath = codingPath
  }

  mutating func next() throws -> CheckpointBox {
    guard !isAtEnd else {
      throw DecodingError.valueNotFound(
        Any.self, DecodingError.Context(codingPath: codingPath, debugDescription: "the checkpoint's list ended"))
    }
    defer { currentIndex += 1 }
    return items[currentIndex]
  }

  mutating func decodeNil() throws -> Bool {
    guard !isAtEnd else { return false }
    if case .null = items[currentIndex] {
      currentIndex += 1
      return true
    }
    return false
  }
  mutating func decode<T: Decodable>(_ type: T.Type) throws -> T {
    try decodeValue(type, from: try next(), codingPath: codingPath)
  }
  mutating func nestedContainer<NestedKey: CodingKey>(keyedBy type: NestedKey.Type) throws
    -> KeyedDecodingContainer<NestedKey>
  {
    try BoxDecoder(box: try next(), codingPath: codingPath).container(keyedBy: type)
  }
  mutating func nestedUnkeyedContainer() throws -> any UnkeyedDecodingContainer {
    try BoxDecoder(box: try next(), codingPath: codingPath).unkeyedContainer()
  }
  mutating func superDecoder() throws -> any Decoder { BoxDecoder(box: try next(), codingPath: codingPath) }
}

struct SingleBoxDecoding: SingleValueDecodingContainer {
  let box: CheckpointBox
  var codingPath: [any CodingKey]

  func decodeNil() -> Bool {
    if case .null = box { return true }
    return false
  }
  func decode<T: Decodable>(_ type: T.Type) throws -> T { try decodeValue(type, from: box, codingPath: codingPath) }
}
