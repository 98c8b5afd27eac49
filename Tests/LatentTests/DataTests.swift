import CZlib
import XCTest

@testable import Latent

final class DataTests: XCTestCase {
  var tmp: String!

  override func setUp() {
    tmp = NSTemporaryDirectory() + "latent-data-\(UUID().uuidString)"
    try? FileManager.default.createDirectory(atPath: tmp, withIntermediateDirectories: true)
  }
  override func tearDown() { try? FileManager.default.removeItem(atPath: tmp) }

  /// gzip-compresses `bytes` into `path` with zlib directly (independent of the reader).
  func writeGzip(_ bytes: [UInt8], to path: String) {
    let f = gzopen(path, "wb")!
    _ = bytes.withUnsafeBytes { gzwrite(f, $0.baseAddress, UInt32(bytes.count)) }
    gzclose(f)
  }

  func testIDXReaderOnHandWrittenFile() throws {
    // Magic 0x00000803 (unsigned bytes, 3 dims), shape 2×2×3, then 12 bytes.
    let header: [UInt8] = [0, 0, 8, 3, 0, 0, 0, 2, 0, 0, 0, 2, 0, 0, 0, 3]
    let data: [UInt8] = Array(0..<12).map { UInt8($0 * 20) }
    let path = tmp + "/x-idx3-ubyte.gz"
    writeGzip(header + data, to: path)
    let a = try IDX.read(path)
    XCTAssertEqual(a.shape, [2, 2, 3])
    XCTAssertEqual(a.bytes, data)
    // Truncated file: readable error naming the file.
    let bad = tmp + "/bad.gz"
    writeGzip(header + data.prefix(5), to: bad)
    XCTAssertEqual(thrownMessage { try IDX.read(bad) }, "\(bad): truncated: expected 12 bytes, got 5")
  }

  func testFashionMNISTFromSmallFilesAndMissingFileError() throws {
    // A fake 3-image split in a directory of our own.
    var img: [UInt8] = [0, 0, 8, 3, 0, 0, 0, 3, 0, 0, 0, 28, 0, 0, 0, 28]
    img += (0..<(3 * 784)).map { UInt8($0 % 256) }
    writeGzip(img, to: tmp + "/t10k-images-idx3-ubyte.gz")
    writeGzip([0, 0, 8, 1, 0, 0, 0, 3, 9, 0, 4], to: tmp + "/t10k-labels-idx1-ubyte.gz")
    let ds = try FashionMNIST.load(split: .test, directory: tmp)
    XCTAssertEqual(ds.images.rows, 3); XCTAssertEqual(ds.images.cols, 784)
    XCTAssertEqual(ds.labels, [9, 0, 4])
    XCTAssertEqual(ds.images[0, 255], 1)
    XCTAssertEqual(ds.images[0, 51], 0.2)  // 51/255
    let msg = thrownMessage { try FashionMNIST.load(split: .train, directory: tmp) } ?? ""
    XCTAssertTrue(msg.contains("train-images-idx3-ubyte.gz"), msg)
    XCTAssertTrue(msg.contains("dataset-fashion-mnist"), msg)
  }

  func testRealFashionMNISTTrainSet() throws {
    let dir = FashionMNIST.debianDirectory
    try XCTSkipUnless(
      FileManager.default.fileExists(atPath: dir + "/train-images-idx3-ubyte.gz"),
      "dataset-fashion-mnist not installed")
    let train = try FashionMNIST.load(split: .train, directory: dir)
    XCTAssertEqual(train.images.rows, 60_000)
    XCTAssertEqual(train.images.cols, 784)
    // Reference values from Python's gzip + numpy on the same files:
    // first labels, per-class counts, byte sum of image 0 and of all images.
    XCTAssertEqual(Array(train.labels.prefix(10)), [9, 0, 0, 3, 0, 2, 7, 2, 5, 5])
    XCTAssertEqual((0..<10).map { c in train.labels.filter { $0 == c }.count }, [Int](repeating: 6000, count: 10))
    let first = train.images.row(0).reduce(0.0) { $0 + Double($1) * 255 }
    XCTAssertEqual(first.rounded(), 76247)
    let total = train.images.scalars.reduce(0.0) { $0 + (Double($1) * 255).rounded() }
    XCTAssertEqual(total, 3_431_114_169)
    XCTAssertTrue(train.images.scalars.allSatisfy { $0 >= 0 && $0 <= 1 })
  }

  func testCSVParsing() throws {
    let t = try CSV.parse("a,\"b c\",d\n1,2.5,-3\n\n4,5e-1,6\n")
    XCTAssertEqual(t.header, ["a", "b c", "d"])
    XCTAssertEqual(t.matrix, Matrix([[1, 2.5, -3], [4, 0.5, 6]]))
    XCTAssertEqual(t.column("d"), [-3, 6])
    XCTAssertEqual(
      thrownMessage { try CSV.parse("a,b\n1,x\n", path: "t.csv") }, "t.csv: line 2, column b: \"x\" is not a number")
    XCTAssertEqual(
      thrownMessage { try CSV.parse("a,b\n1\n", path: "t.csv") }, "t.csv: line 2 has 1 fields, the header has 2")
  }

  func testWineLoadsWithSearchPath() throws {
    // The package root holds chapters/data/wine.csv; tests run from the package root.
    let wine = try Wine.load()
    XCTAssertEqual(wine.features.rows, 178)
    XCTAssertEqual(wine.features.cols, 13)
    XCTAssertEqual(wine.featureNames.first, "alcohol")
    XCTAssertEqual(wine.featureNames.last, "proline")
    XCTAssertEqual((0..<3).map { c in wine.cultivars.filter { $0 == c }.count }, [59, 71, 48])
    // numpy: X[:, 0].mean(), X[:, 12].mean(), X[:, 0].std(), X[:, 12].std() (population sd)
    assertClose(wine.features.columnMeans[0], 13.00061797752809, tol: 1e-12)
    assertClose(wine.features.columnMeans[12], 746.8932584269663, tol: 1e-10)
    let sd = wine.features.columnStandardDeviations()
    assertClose(sd[0], 0.8095429145285168, tol: 1e-12)
    assertClose(sd[12], 314.0216568419878, tol: 1e-9)
    XCTAssertTrue(Wine.searchPaths().contains { $0.hasSuffix("chapters/data/wine.csv") })
  }
}
