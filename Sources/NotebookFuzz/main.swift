import Foundation

// notebook-fuzz: hostile chapters through the notebook's parse, check and render stages.
let usage = """
  usage: notebook-fuzz [--seconds N] [--seed N] [--time-limit S] [--max-bytes N] [--failures DIR] CORPUS...

  Runs every Markdown file of CORPUS (files or folders) through the notebook's stages that need
  no compiler (parse in both editions, plan, checks, render, link check), then mutated copies of
  them until N seconds (default 60) have passed. Fails on the first input that crashes the
  notebook, takes more than S seconds of CPU time (default 2), or gets a diagnostic or line
  outside its file; the input, shrunk, is written to DIR (default .build/fuzz). The seed
  (default: from the clock) makes a run repeatable. `--seconds 0 FILE` runs one file again.
  """

setvbuf(stdout, nil, _IOLBF, 0)  // progress lines show as they come, also through a pipe
var arguments = Array(CommandLine.arguments.dropFirst())
if arguments == ["--worker"] { Worker.run() }

var fuzzer = Fuzzer(
  seconds: 60, seed: UInt64(Date().timeIntervalSince1970 * 1000), timeLimit: 2, maximumSize: 256 * 1024,
  failureDirectory: ".build/fuzz", corpus: [])
var paths: [String] = []
func value(_ option: String) -> String {
  guard !arguments.isEmpty else {
    printError("notebook-fuzz: \(option) needs a value\n\(usage)")
    exit(2)
  }
  return arguments.removeFirst()
}
while !arguments.isEmpty {
  let argument = arguments.removeFirst()
  switch argument {
  case "--seconds": fuzzer.seconds = Double(value(argument)) ?? -1
  case "--seed": fuzzer.seed = UInt64(value(argument)) ?? 0
  case "--time-limit": fuzzer.timeLimit = Double(value(argument)) ?? -1
  case "--max-bytes": fuzzer.maximumSize = Int(value(argument)) ?? -1
  case "--failures": fuzzer.failureDirectory = value(argument)
  case "-h", "--help":
    print(usage)
    exit(0)
  default:
    if argument.hasPrefix("-") {
      printError("notebook-fuzz: unknown option \(argument)\n\(usage)")
      exit(2)
    }
    paths.append(argument)
  }
}
guard fuzzer.seconds >= 0, fuzzer.timeLimit > 0, fuzzer.maximumSize > 0 else {
  printError(usage)
  exit(2)
}

let manager = FileManager.default
for path in paths {
  var isFolder: ObjCBool = false
  guard manager.fileExists(atPath: path, isDirectory: &isFolder) else {
    printError("notebook-fuzz: no such file or folder: \(path)")
    exit(2)
  }
  let files =
    isFolder.boolValue
    ? ((try? manager.contentsOfDirectory(atPath: path)) ?? []).filter { $0.hasSuffix(".md") }.sorted().map {
      path + "/" + $0
    } : [path]
  for file in files {
    guard let data = manager.contents(atPath: file) else { continue }
    fuzzer.corpus.append((file, Array(data)))
  }
}
guard !fuzzer.corpus.isEmpty else {
  printError("notebook-fuzz: no Markdown files to start from\n\(usage)")
  exit(2)
}
exit(fuzzer.run() ? 0 : 1)
