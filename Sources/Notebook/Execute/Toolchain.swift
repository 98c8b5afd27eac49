import Foundation

/// Where the compiler and the release-built libraries are, and the flags that compile a
/// chapter program against them.
public struct Toolchain: Sendable {
  /// The `swiftc` to run.
  public var swiftc: String
  /// Folder holding `libLatent.so` (Latent and NotebookRuntime) and `Modules/`.
  public var libraryDirectory: String
  /// Folders with the C shims' module maps (`Sources/CBLAS`, ...).
  public var includeDirectories: [String]

  /// The project's layout: `.build/release` and `Sources/C*` below `root`.
  public static func project(root: String, libraryDirectory: String? = nil) throws -> Toolchain {
    let rootURL = URL(fileURLWithPath: root).standardizedFileURL
    let library =
      libraryDirectory.map { URL(fileURLWithPath: $0, relativeTo: rootURL).standardizedFileURL.path }
      ?? rootURL.appendingPathComponent(".build/release").path
    guard FileManager.default.fileExists(atPath: library + "/" + libraryName) else {
      throw ToolchainError(
        "\(library)/\(libraryName) is missing: build the library first with "
          + "`swift build -c release --product Latent` (or `make libs`)")
    }
    // The C shims' module maps live in the package that built the library (`<package>/.build/release`).
    let libraryPackage = URL(fileURLWithPath: library).deletingLastPathComponent().deletingLastPathComponent()
    let package =
      FileManager.default.fileExists(atPath: libraryPackage.appendingPathComponent("Sources/CBLAS").path)
      ? libraryPackage : rootURL
    let shims = ["CBLAS", "CZlib", "COpenSSL", "CExecInfo"].map { package.appendingPathComponent("Sources/\($0)").path }
    return Toolchain(
      swiftc: Self.which("swiftc") ?? "swiftc", libraryDirectory: library, includeDirectories: shims)
  }

  /// Arguments that compile `main` into `executable` at `-Onone -g`.
  public func compileArguments(main: String, executable: String, moduleCache: String) -> [String] {
    // `-no-emit-module-separately`: with `-g` the driver would otherwise type-check the program
    // twice, once more to write a module for the debugger (half a second of every compile).
    var arguments = [
      "-swift-version", "5", "-Onone", "-g", "-no-emit-module-separately", "-module-cache-path", moduleCache,
      "-I", libraryDirectory + "/Modules", "-I", libraryDirectory,
    ]
    for include in includeDirectories { arguments += ["-I", include] }
    arguments += [
      "-L", libraryDirectory, "-lLatent",
      "-Xlinker", "-rpath", "-Xlinker", libraryDirectory,
      main, "-o", executable,
    ]
    return arguments
  }

  /// The shared library chapter programs link: Latent and NotebookRuntime.
  public static let libraryName = "libLatent.so"

  /// The files whose contents decide the numbers a chapter prints.
  public var libraryFiles: [String] { [libraryDirectory + "/" + Self.libraryName] }

  static func which(_ name: String) -> String? {
    let path = ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin:/bin"
    for folder in path.split(separator: ":") {
      let candidate = "\(folder)/\(name)"
      if FileManager.default.isExecutableFile(atPath: candidate) { return candidate }
    }
    return nil
  }
}

/// The toolchain cannot compile chapters (libraries not built, compiler missing).
public struct ToolchainError: Error, CustomStringConvertible {
  public var description: String
  public init(_ description: String) { self.description = description }
}
