import Foundation

/// Fashion-MNIST (Xiao, Rasul & Vollgraf 2017; MIT licence, Zalando Research):
/// 28×28 greyscale images of clothing in 10 classes, 60 000 for training and
/// 10 000 for testing.
///
/// The files come from Debian's `dataset-fashion-mnist` package, installed in
/// `/usr/share/datasets/fashion-mnist/` (override with `LATENT_FASHION_MNIST_DIR`).
///
/// ```swift
/// let train = try FashionMNIST.load(split: .train)   // images: 60000x784 in [0, 1]
/// ```
public struct FashionMNIST: Sendable, Codable {
  /// Which file pair to read.
  public enum Split: String, Sendable, Codable {
    case train
    case test
    var prefix: String { self == .train ? "train" : "t10k" }
  }

  /// One image per row, 784 = 28·28 pixels in row-major order, scaled to [0, 1] (byte / 255).
  public var images: FloatMatrix
  /// Class indices 0…9, see ``classNames``.
  public var labels: [Int]

  /// The ten class names, indexed by label.
  public static let classNames = [
    "T-shirt/top", "Trouser", "Pullover", "Dress", "Coat",
    "Sandal", "Shirt", "Sneaker", "Bag", "Ankle boot",
  ]
  /// Image side length.
  public static let imageSide = 28
  /// Where the Debian package installs the files.
  public static let debianDirectory = "/usr/share/datasets/fashion-mnist"

  /// The directory searched: `LATENT_FASHION_MNIST_DIR` if set, else ``debianDirectory``.
  public static var defaultDirectory: String {
    ProcessInfo.processInfo.environment["LATENT_FASHION_MNIST_DIR"] ?? debianDirectory
  }

  /// Loads one split.
  /// - Throws: ``DatasetError/missingFile(path:hint:)`` naming the package
  ///   `dataset-fashion-mnist` when the files are absent.
  public static func load(split: Split, directory: String? = nil) throws -> FashionMNIST {
    let dir = directory ?? defaultDirectory
    let imagePath = "\(dir)/\(split.prefix)-images-idx3-ubyte.gz"
    let labelPath = "\(dir)/\(split.prefix)-labels-idx1-ubyte.gz"
    let hint =
      "Fashion-MNIST comes from the Debian package dataset-fashion-mnist: run `apt-get install dataset-fashion-mnist` (or set LATENT_FASHION_MNIST_DIR)."
    for p in [imagePath, labelPath] where !FileManager.default.fileExists(atPath: p) {
      throw DatasetError.missingFile(path: p, hint: hint)
    }
    let img = try IDX.read(imagePath)
    let lab = try IDX.read(labelPath)
    guard img.shape.count == 3, img.shape[1] == imageSide, img.shape[2] == imageSide else {
      throw DatasetError.malformed(path: imagePath, reason: "expected n×28×28 images, got shape \(img.shape)")
    }
    guard lab.shape == [img.shape[0]] else {
      throw DatasetError.malformed(path: labelPath, reason: "\(lab.shape) labels for \(img.shape[0]) images")
    }
    let n = img.shape[0], d = imageSide * imageSide
    // Byte → Float lookup table: exact k/255 rounded once.
    var table = [Float](repeating: 0, count: 256)
    for k in 0..<256 { table[k] = Float(Double(k) / 255) }
    let pixels = [Float](unsafeUninitializedCapacity: n * d) { out, count in
      img.bytes.withUnsafeBufferPointer { src in
        table.withUnsafeBufferPointer { t in
          for i in 0..<(n * d) { out[i] = t[Int(src[i])] }
        }
      }
      count = n * d
    }
    return FashionMNIST(images: FloatMatrix(rows: n, cols: d, scalars: pixels), labels: lab.bytes.map { Int($0) })
  }
}
