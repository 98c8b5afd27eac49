import Foundation

/// The UCI Wine data (Forina et al., https://doi.org/10.24432/C5PC7J, CC BY 4.0):
/// 178 wines, 13 chemical measurements, 3 cultivars.
///
/// ```swift
/// let wine = try Wine.load()
/// let X = wine.features.standardized    // 178x13, population-sd standardisation
/// ```
public struct Wine: Sendable, Codable {
  /// 178×13 raw measurements (alcohol, malic acid, …, proline).
  public var features: Matrix
  /// Cultivar of each wine, 0, 1 or 2.
  public var cultivars: [Int]
  /// The 13 measurement names (CSV header).
  public var featureNames: [String]

  /// The file name looked for.
  public static let fileName = "wine.csv"

  /// Loads `wine.csv` from the first of: `$LATENT_DATA_DIR`, `./chapters/data`,
  /// then `chapters/data` in each parent of the current directory.
  /// - Throws: ``DatasetError`` listing the places searched.
  public static func load() throws -> Wine {
    let candidates = searchPaths()
    guard let path = candidates.first(where: { FileManager.default.fileExists(atPath: $0) }) else {
      throw DatasetError.missingFile(
        path: fileName,
        hint: "Searched: " + candidates.joined(separator: ", ")
          + ". Set LATENT_DATA_DIR to the directory containing wine.csv.")
    }
    return try load(path: path)
  }

  /// Loads a wine table from `path` (13 feature columns and a `cultivar` column).
  public static func load(path: String) throws -> Wine {
    let table = try CSV.read(path)
    guard let c = table.header.firstIndex(of: "cultivar") else {
      throw DatasetError.malformed(path: path, reason: "no column named cultivar")
    }
    let featureCols = table.header.indices.filter { $0 != c }
    return Wine(
      features: table.matrix.columns(at: featureCols),
      cultivars: table.matrix.column(c).map { Int($0) },
      featureNames: featureCols.map { table.header[$0] })
  }

  /// The candidate paths of `wine.csv`, in search order.
  public static func searchPaths() -> [String] {
    var dirs: [String] = []
    if let d = ProcessInfo.processInfo.environment["LATENT_DATA_DIR"], !d.isEmpty { dirs.append(d) }
    var url = URL(fileURLWithPath: FileManager.default.currentDirectoryPath)
    while true {
      dirs.append(url.appendingPathComponent("chapters/data").path)
      let parent = url.deletingLastPathComponent()
      if parent.path == url.path { break }
      url = parent
    }
    return dirs.map { $0 + "/" + fileName }
  }
}
