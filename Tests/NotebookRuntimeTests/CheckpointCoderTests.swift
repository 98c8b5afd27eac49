import Foundation
import Latent
import XCTest

@testable import NotebookRuntime

/// The checkpoint coder: every value reads back bit for bit, a restored generator and trainer
/// continue exactly as the saved ones would have, and damaged bytes are an error, never a crash.
final class CheckpointCoderTests: XCTestCase {
  var blobs: BlobStore!
  var folder: String!

  override func setUpWithError() throws {
    folder = FileManager.default.temporaryDirectory.appendingPathComponent("checkpoint-\(UUID().uuidString)").path
    try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
    blobs = BlobStore(directory: folder)
  }

  override func tearDown() { try? FileManager.default.removeItem(atPath: folder) }

  func roundTrip<T: Codable>(_ value: T) throws -> T {
    let bytes = try CheckpointFormat.serialize(try CheckpointEncoder().encode(value), blobs: blobs)
    let box = try bytes.withUnsafeBytes { try CheckpointFormat.deserialize($0, blobs: BlobStore(directory: folder)) }
    return try CheckpointDecoder().decode(T.self, from: box)
  }

  struct Everything: Codable, Equatable {
    var small = FloatMatrix(rows: 2, cols: 3, scalars: [1, -2, 3.5, .infinity, -0.0, 0x1p-149])
    var large = FloatMatrix(rows: 600, cols: 500, scalars: (0..<300_000).map { Float($0) * 0.001 })
    var doubles = (0..<200_000).map { Double($0).squareRoot() }
    var byClass: [Int: FloatMatrix] = [3: FloatMatrix(rows: 1, cols: 2, scalars: [4, 5])]
    var missing: Double? = nil
    var present: Int8? = -128
    var bits: [UInt8] = [0, 255, 7]
    var flags = [true, false]
    var text = "ünïcode ✓"
    var big = UInt64.max
    var nested = [[1, 2], [], [3]]
  }

  func testEveryKindOfValueReadsBackUnchanged() throws {
    let value = Everything()
    let back = try roundTrip(value)
    XCTAssertEqual(back, value)
    XCTAssertEqual(back.small.scalars.map(\.bitPattern), value.small.scalars.map(\.bitPattern), "−0 and subnormals")
    // The two large arrays went to blob files named by the SHA-256 of their bytes.
    XCTAssertEqual(try FileManager.default.contentsOfDirectory(atPath: folder).count, 2)
  }

  func testTheSameArraySavedTwiceIsOneBlob() throws {
    let value = Everything()
    _ = try roundTrip(value)
    _ = try roundTrip([value.large, value.large])
    XCTAssertEqual(try FileManager.default.contentsOfDirectory(atPath: folder).count, 2)
  }

  func testARestoredGeneratorContinuesTheSameStream() throws {
    var original = SeededGenerator(seed: 42)
    for _ in 0..<5 { _ = original.next() }
    _ = original.normal()  // leaves the spare of the polar method's pair
    var restored = try roundTrip(original)
    let expected = (0..<50).map { _ in [original.normal(), original.uniform(), Double(original.next() % 1000)] }
    let actual = (0..<50).map { _ in [restored.normal(), restored.uniform(), Double(restored.next() % 1000)] }
    XCTAssertEqual(actual, expected)
  }

  func testARestoredTrainerTakesTheSameStepAsTheSavedOne() throws {
    var rng = SeededGenerator(seed: 3)
    let images = FloatMatrix(
      rows: 16, cols: 12, scalars: (0..<192).map { _ in Float(rng.uniform()) })
    let model = VariationalAutoencoder(inputDimension: 12, hiddenDimension: 6, latentDimension: 2, using: &rng)
    let trainer = AEVBTrainer(model: model, optimizer: Adam(learningRate: 1e-2), batchSize: 4, binarization: .dynamic)
    trainer.reportsProgress = false
    try trainer.step(on: images, rows: Array(0..<4), using: &rng)
    let restored = try roundTrip(trainer)
    XCTAssertEqual(restored.model, trainer.model)
    var a = rng
    var b = rng
    try trainer.step(on: images, rows: Array(4..<8), using: &a)
    try restored.step(on: images, rows: Array(4..<8), using: &b)
    XCTAssertEqual(restored.model, trainer.model, "the Adam moments and step count came back too")
    XCTAssertEqual(restored.step, trainer.step)
  }

  final class Counter: Codable { var count = 0 }
  struct Holder: Codable { var counter: Counter }

  func testAnObjectReachedTwiceIsRefusedNotSplitInTwo() throws {
    let counter = Counter()
    let encoder = CheckpointEncoder()
    _ = try encoder.encode(counter, named: "counter")
    XCTAssertThrowsError(try encoder.encode(Holder(counter: counter), named: "holder")) { error in
      XCTAssertTrue("\(error)".hasPrefix("`counter` and `holder` hold the same"), "\(error)")
    }
    XCTAssertThrowsError(try CheckpointEncoder().encode([counter, counter], named: "pair")) { error in
      XCTAssertTrue("\(error)".hasPrefix("`pair` holds the same"), "\(error)")
    }
    XCTAssertNoThrow(try CheckpointEncoder().encode([Counter(), Counter()], named: "two"))
  }

  func testTruncatedOrFlippedBytesAreAnErrorNotACrash() throws {
    let value = ["a": [1.5, 2.5], "b": [3.5]]
    let bytes = try CheckpointFormat.serialize(try CheckpointEncoder().encode(value), blobs: blobs)
    for length in 0..<bytes.count {
      XCTAssertThrowsError(
        try Array(bytes.prefix(length)).withUnsafeBytes { try CheckpointFormat.deserialize($0, blobs: blobs) },
        "\(length) of \(bytes.count) bytes")
    }
    var generator = SeededGenerator(seed: 9)
    for _ in 0..<2000 {
      var damaged = bytes
      damaged[CheckpointFormat.magic.count + generator.integer(below: bytes.count - CheckpointFormat.magic.count)] ^=
        UInt8(1 + generator.integer(below: 255))
      if let box = try? damaged.withUnsafeBytes({ try CheckpointFormat.deserialize($0, blobs: blobs) }) {
        _ = try? CheckpointDecoder().decode([String: [Double]].self, from: box)
      }
    }
  }

  func testAChangedBlobIsRejected() throws {
    let value = Everything()
    let bytes = try CheckpointFormat.serialize(try CheckpointEncoder().encode(value), blobs: blobs)
    for name in try FileManager.default.contentsOfDirectory(atPath: folder) {
      let url = URL(fileURLWithPath: folder + "/" + name)
      var data = try Data(contentsOf: url)
      data[100] ^= 1
      try data.write(to: url)
    }
    XCTAssertThrowsError(
      try bytes.withUnsafeBytes { try CheckpointFormat.deserialize($0, blobs: BlobStore(directory: folder)) }
    ) { error in
      XCTAssertTrue("\(error)".contains("corrupted"), "\(error)")
    }
  }
}
