// swift-tools-version: 6.0
import PackageDescription

/// The notebook generator and the course's numerical library.
///
/// `Latent` (with `NotebookRuntime`) is a dynamic library: the engine compiles each chapter
/// into a small program at `-Onone` that links against its release build.
let package = Package(
  name: "LatentCourse",
  products: [
    // One shared library for chapter programs: the numerics and the notebook runtime
    // together, so a program never loads two copies of `Latent`.
    .library(name: "Latent", type: .dynamic, targets: ["Latent", "NotebookRuntime"]),
    .executable(name: "notebook", targets: ["NotebookCLI"]),
    .executable(name: "latent-bench", targets: ["LatentBenchmarks"]),
    .executable(name: "notebook-fuzz", targets: ["NotebookFuzz"]),
  ],
  dependencies: [
    .package(url: "https://github.com/apple/swift-argument-parser", from: "1.5.0"),
    .package(url: "https://github.com/jpsim/Yams", from: "5.0.0"),
  ],
  targets: [
    // System-library shims: the only place C is touched.
    .systemLibrary(
      name: "CCmark", pkgConfig: "libcmark",
      providers: [.apt(["libcmark-dev"])]),
    .systemLibrary(
      name: "CBLAS", pkgConfig: "openblas",
      providers: [.apt(["libopenblas-dev", "liblapacke-dev"])]),
    .systemLibrary(
      name: "COpenSSL", pkgConfig: "libcrypto",
      providers: [.apt(["libssl-dev"])]),
    .systemLibrary(
      name: "CZlib", pkgConfig: "zlib",
      providers: [.apt(["zlib1g-dev"])]),
    /// glibc's posix_spawn extensions (close inherited descriptors, start in a folder).
    .systemLibrary(name: "CSpawn"),
    /// glibc's backtrace(3), for the frames of an uncaught `try` in a chapter.
    .systemLibrary(name: "CExecInfo"),

    .target(name: "Latent", dependencies: ["CBLAS", "CZlib"]),
    /// The wire format between a running chapter program and the engine.
    .target(name: "NotebookEvents", dependencies: ["COpenSSL"]),
    .target(name: "NotebookRuntime", dependencies: ["Latent", "NotebookEvents", "CExecInfo"]),
    .target(
      name: "Notebook",
      dependencies: [
        "CCmark", "COpenSSL", "CSpawn", "Yams", "NotebookEvents",
      ]),
    /// `notebook serve`: the live preview over HTTP on loopback.
    .target(name: "NotebookPreview", dependencies: ["Notebook"]),
    .executableTarget(
      name: "NotebookCLI",
      dependencies: [
        "Notebook", "NotebookEvents", "NotebookPreview",
        .product(name: "ArgumentParser", package: "swift-argument-parser"),
      ]),
    .executableTarget(name: "LatentBenchmarks", dependencies: ["Latent", "CBLAS"]),
    /// `make fuzz`: mutated chapters through every stage that needs no compiler.
    .executableTarget(name: "NotebookFuzz", dependencies: ["Notebook"]),

    .testTarget(name: "LatentTests", dependencies: ["Latent", "CBLAS"]),
    .testTarget(name: "NotebookEventsTests", dependencies: ["NotebookEvents"]),
    .testTarget(name: "NotebookRuntimeTests", dependencies: ["NotebookRuntime", "Latent"]),
    .testTarget(
      name: "NotebookTests", dependencies: ["Notebook", "NotebookEvents"], exclude: ["Fixtures"]),
  ],
  swiftLanguageModes: [.v5]
)
