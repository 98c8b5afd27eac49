import Foundation

/// Turns any `Encodable` into a `CheckpointBox`, keeping numeric arrays whole.
///
/// One encoder sees every value of a checkpoint, so it can refuse an object reached twice (two
/// names, or a name and a field, for one class instance): read back, it would be two objects,
/// and a change through one would no longer show through the other.
final class CheckpointEncoder {
  private var objects: [ObjectIdentifier: String] = [:]
  private var current = ""

  /// Encodes the value named `name`.
  func encode(_ value: any Encodable, named name: String = "") throws -> CheckpointBox {
    current = name
    let slot = EncodingSlot(encoder: self)
    try slot.encode(value, codingPath: [])
    return slot.box
  }

  func visit(_ value: Any) throws {
    guard type(of: value) is AnyClass else { return }
    let identity = ObjectIdentifier(value as AnyObject)
    if let other = objects[identity] {
      let names = other == current ? "`\(current)` holds" : "`\(other)` and `\(current)` hold"
      throw CheckpointError(
        "\(names) the same \(String(reflecting: type(of: value))) object twice, which a checkpoint would split in two")
    }
    objects[identity] = current
  }
}

/// Where one value's encoding goes; containers fill it in place.
final class EncodingSlot {
  unowned let encoder: CheckpointEncoder
  init(encoder: CheckpointEncoder) { self.encoder = encoder }

  enum Content {
    case empty
    case box(CheckpointBox)
    case map([(String, EncodingSlot)])
    case list([EncodingSlot])
  }
  var content: Content = .empty

  var box: CheckpointBox {
    switch content {
    case .empty: return .null
    case .box(let box): return box
    case .map(let entries): return .map(entries.map { ($0.0, $0.1.box) })
    case .list(let items): return .list(items.map(\.box))
    }
  }

  /// Numeric arrays as one piece; everything else through its own `encode(to:)`.
  func encode(_ value: any Encodable, codingPath: [any CodingKey]) throws {
    try encoder.visit(value)
    switch value {
    case let array as [Float]: content = .box(.floats(array))
    case let array as [Double]: content = .box(.doubles(array))
    case let array as [Int]: content = .box(.ints(array))
    case let array as [UInt8]: content = .box(.bytes(array))
    default: try value.encode(to: BoxEncoder(slot: self, codingPath: codingPath))
    }
  }

  // The array is taken out of `content` before it grows, so it is not shared with the enum and
  // the append does not copy it: appending n items stays O(n), not O(n²) (an array of 200 000
  // small structs took minutes the other way).
  func append(key: String) -> EncodingSlot {
    let child = EncodingSlot(encoder: encoder)
    if case .map(var entries) = content {
      content = .empty
      entries.append((key, child))
      content = .map(entries)
    } else {
      content = .map([(key, child)])
    }
    return child
  }

  func appendItem() -> EncodingSlot {
    let child = EncodingSlot(encoder: encoder)
    if case .list(var items) = content {
      content = .empty
      items.append(child)
      content = .list(items)
    } else {
      content = .list([child])
    }
    return child
  }

  var itemCount: Int {
    if case .list(let items) = content { return items.count }
    return 0
  }
}

struct BoxEncoder: Encoder {
  let slot: EncodingSlot
  var codingPath: [any CodingKey]
  var userInfo: [CodingUserInfoKey: Any] { [:] }

  func container<Key: CodingKey>(keyedBy type: Key.Type) -> KeyedEncodingContainer<Key> {
    if case .map = slot.content {} else { slot.content = .map([]) }
    return KeyedEncodingContainer(KeyedBoxEncoding<Key>(slot: slot, codingPath: codingPath))
  }

  func unkeyedContainer() -> any UnkeyedEncodingContainer {
    if case .list = slot.content {} else { slot.content = .list([]) }
    return UnkeyedBoxEncoding(slot: slot, codingPath: codingPath)
  }

  func singleValueContainer() -> any SingleValueEncodingContainer {
    SingleBoxEncoding(slot: slot, codingPath: codingPath)
  }
}

/// A scalar as a box; integers widen to 64 bits, so every width reads back.
private func scalarBox(_ value: Any) -> CheckpointBox? {
  switch value {
  case let v as Bool: return .bool(v)
  case let v as String: return .string(v)
  case let v as Double: return .double(v)
  case let v as Float: return .float(v)
  case let v as Int: return .int(Int64(v))
  case let v as Int8: return .int(Int64(v))
  case let v as Int16: return .int(Int64(v))
  case let v as Int32: return .int(Int64(v))
  case let v as Int64: return .int(v)
  case let v as UInt: return .uint(UInt64(v))
  case let v as UInt8: return .uint(UInt64(v))
  case let v as UInt16: return .uint(UInt64(v))
  case let v as UInt32: return .uint(UInt64(v))
  case let v as UInt64: return .uint(v)
  default: return nil
  }
}

private func encodeInto(_ slot: EncodingSlot, _ value: any Encodable, codingPath: [any CodingKey]) throws {
  if let box = scalarBox(value) { slot.content = .box(box) } else { try slot.encode(value, codingPath: codingPath) }
}

struct KeyedBoxEncoding<Key: CodingKey>: KeyedEncodingContainerProtocol {
  let slot: EncodingSlot
  var codingPath: [any CodingKey]

  mutating func encodeNil(forKey key: Key) throws { slot.append(key: key.stringValue).content = .box(.null) }
  mutating func encode<T: Encodable>(_ value: T, forKey key: Key) throws {
    try encodeInto(slot.append(key: key.stringValue), value, codingPath: codingPath + [key])
  }
  mutating func nestedContainer<NestedKey: CodingKey>(keyedBy keyType: NestedKey.Type, forKey key: Key)
    -> KeyedEncodingContainer<NestedKey>
  {
    BoxEncoder(slot: slot.append(key: key.stringValue), codingPath: codingPath + [key]).container(keyedBy: keyType)
  }
  mutating func nestedUnkeyedContainer(forKey key: Key) -> any UnkeyedEncodingContainer {
    BoxEncoder(slot: slot.append(key: key.stringValue), codingPath: codingPath + [key]).unkeyedContainer()
  }
  mutating func superEncoder() -> any Encoder {
    BoxEncoder(slot: slot.append(key: "super"), codingPath: codingPath)
  }
  mutating func superEncoder(forKey key: Key) -> any Encoder {
    BoxEncoder(slot: slot.append(key: key.stringValue), codingPath: codingPath + [key])
  }
}

struct UnkeyedBoxEncoding: UnkeyedEncodingContainer {
  let slot: EncodingSlot
  var codingPath: [any CodingKey]
  var count: Int { slot.itemCount }

  mutating func encodeNil() throws { slot.appendItem().content = .box(.null) }
  mutating func encode<T: Encodable>(_ value: T) throws {
    try encodeInto(slot.appendItem(), value, codingPath: codingPath)
  }
  mutating func nestedContainer<NestedKey: CodingKey>(keyedBy keyType: NestedKey.Type)
    -> KeyedEncodingContainer<NestedKey>
  {
    BoxEncoder(slot: slot.appendItem(), codingPath: codingPath).container(keyedBy: keyType)
  }
  mutating func nestedUnkeyedContainer() -> any UnkeyedEncodingContainer {
    BoxEncoder(slot: slot.appendItem(), codingPath: codingPath).unkeyedContainer()
  }
  mutating func superEncoder() -> any Encoder { BoxEncoder(slot: slot.appendItem(), codingPath: codingPath) }
}

struct SingleBoxEncoding: SingleValueEncodingContainer {
  let slot: EncodingSlot
  var codingPath: [any CodingKey]

  mutating func encodeNil() throws { slot.content = .box(.null) }
  mutating func encode<T: Encodable>(_ value: T) throws { try encodeInto(slot, value, codingPath: codingPath) }
}
