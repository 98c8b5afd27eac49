/// Makes hostile chapters from good ones: a seeded stack of byte edits, inserted Markdown, math
/// and YAML syntax, long repeats (deep nesting, thousands of links, labels or headings), other
/// line endings, and pieces of other chapters.
struct Mutator {
  let seeds: [[UInt8]]
  /// No input grows past this many bytes.
  let maximumSize: Int

  /// Syntax that the chapter format, Markdown, math protection or YAML gives a meaning.
  static let tokens: [[UInt8]] = [
    "\n", "\r", "\r\n", "\n\n", " ", "\t", "    ", "> ", ">", "- ", "* ", "+ ", "1. ", "1) ", "#", "# ", "## ",
    "*", "**", "_", "__", "`", "``", "```", "````", "~~~", "```swift\n", "```output\n", "```swift hide\n",
    "```swift norun\n", "```swift exercise=a\n", "```swift solution=a\n", "```output tolerance=1e-3\n",
    "\n```\n", "$", "$$", "\\", "\\$", "\\\n", "{#eq-a}", "{#eq-", "{#eq-b} ", "@eq-a", "@eq-b", "@fig-a",
    "[a](#b)", "[a](#a)", "[x](02-b.md#c)", "[a](#p \"t\nu\")", "[", "]", "](", ")", "(", "![x](y.png)",
    "![](z.svg)", "<", ">", "<pre>", "</pre>", "<div>", "</div>", "<span\ntitle=x>", "<!--", "-->", "<?", "?>",
    "\"", "'", "---", "---\n", "===\n", "`{swift} x`", "`{swift}`", "`a\nb`", "[x]: /url\n", "[x]", "<http://a/$b$>",
    "&amp;", "&#", "&#x0;", "|", "  \n", "\u{301}", "\u{E000}", "\u{E001}", "\u{E000}0\u{E001}", "\u{FEFF}",
    "\u{2028}", "\u{0}", "\u{7F}", "x", "1", "0.5", "nan", "inf",
    "title: T\n", "summary: ", "seed: ", "timeout: ", "[]: x\n", "{a: b}: x\n", "? [a]\n", "&a ", "*a", "!!str ",
    "[x, [y]]", "- x\n", "  - y\n", "'quoted", "\"quoted", "|\n  ", ">\n  ", "%YAML 1.2\n", "...\n",
  ].map { Array($0.utf8) }

  /// Markers that put the lines after them in containers.
  static let containers: [[UInt8]] = [">", "> ", "- ", "* ", "1. ", "  ", "    ", "\t", "> - ", "- > "]
    .map { Array($0.utf8) }

  /// A new input: a seed (or nothing) edited one to six times.
  func next(using rng: inout SplitMix64) -> (bytes: [UInt8], seed: Int?) {
    let seed = rng.oneIn(20) ? nil : rng.below(seeds.count)
    var data = seed.map { seeds[$0] } ?? []
    for _ in 0...rng.below(6) { mutate(&data, using: &rng) }
    if data.count > maximumSize { data.removeLast(data.count - maximumSize) }
    return (data, seed)
  }

  private func mutate(_ data: inout [UInt8], using rng: inout SplitMix64) {
    let room = max(maximumSize - data.count, 0)
    switch rng.below(12) {
    case 0:  // one byte, anything
      guard !data.isEmpty else { return }
      data[rng.below(data.count)] = rng.oneIn(2) ? UInt8(rng.below(256)) : rng.element(of: Self.tokens)[0]
    case 1, 2:  // a piece of syntax anywhere, or at a line's start
      let token = rng.element(of: Self.tokens)
      let at = rng.oneIn(2) ? lineStart(in: data, using: &rng) : rng.below(data.count + 1)
      data.insert(contentsOf: token.prefix(room), at: at)
    case 3:  // a piece cut out
      guard !data.isEmpty else { return }
      let start = rng.below(data.count)
      let length = min(data.count - start, rng.oneIn(4) ? rng.count(upTo: data.count) : 1 + rng.below(16))
      data.removeSubrange(start..<(start + length))
    case 4:  // a piece copied elsewhere
      guard !data.isEmpty else { return }
      let start = rng.below(data.count)
      let length = min(data.count - start, room, rng.count(upTo: 4096))
      let piece = Array(data[start..<(start + length)])
      data.insert(contentsOf: piece, at: rng.below(data.count + 1))
    case 5, 6:  // syntax repeated, up to thousands of times: nesting, many links, labels or headings
      let token = rng.oneIn(3) ? Array(rng.element(of: Self.tokens) + "\n".utf8) : rng.element(of: Self.tokens)
      let times = min(rng.count(upTo: 20_000), room / max(token.count, 1))
      guard times > 0 else { return }
      let at = rng.oneIn(2) ? lineStart(in: data, using: &rng) : rng.below(data.count + 1)
      data.insert(contentsOf: Array([[UInt8]](repeating: token, count: times).joined()), at: at)
    case 7:  // a line repeated
      let start = lineStart(in: data, using: &rng)
      let end = data[start...].firstIndex(of: UInt8(ascii: "\n")).map { $0 + 1 } ?? data.count
      let line = Array(data[start..<end]) + (end == data.count ? [UInt8(ascii: "\n")] : [])
      let times = min(rng.count(upTo: 10_000), room / max(line.count, 1))
      guard times > 0 else { return }
      data.insert(contentsOf: Array([[UInt8]](repeating: line, count: times).joined()), at: start)
    case 8:  // a piece of another chapter
      let other = rng.element(of: seeds)
      guard !other.isEmpty else { return }
      let start = rng.below(other.count)
      let length = min(other.count - start, room, rng.count(upTo: other.count))
      data.insert(contentsOf: other[start..<(start + length)], at: rng.below(data.count + 1))
    case 9:  // other line endings over a stretch
      guard !data.isEmpty else { return }
      let start = rng.below(data.count)
      let end = min(data.count, start + rng.count(upTo: data.count))
      let ending: [UInt8] = rng.oneIn(2) ? [13] : [13, 10]
      var edited = Array(data[..<start])
      for byte in data[start..<end] {
        if byte == 10 { edited += ending } else { edited.append(byte) }
      }
      data = edited + data[end...]
    case 10:  // lines put into containers, sometimes nested deep
      guard !data.isEmpty else { return }
      let marker = rng.element(of: Self.containers)
      let depth = rng.oneIn(4) ? rng.count(upTo: 5_000) : 1
      let prefix = Array([[UInt8]](repeating: marker, count: depth).joined())
      var start = lineStart(in: data, using: &rng)
      for _ in 0..<rng.count(upTo: 50) {
        guard start <= data.count, data.count + prefix.count <= maximumSize else { break }
        data.insert(contentsOf: prefix, at: start)
        guard let end = data[start...].firstIndex(of: UInt8(ascii: "\n")) else { break }
        start = end + 1
      }
    default:  // front matter, good or bad
      var yaml: [UInt8] = Array("---\n".utf8)
      for _ in 0...rng.below(4) {
        yaml += rng.element(of: Self.tokens.filter { $0.count > 1 })
        if rng.oneIn(2) { yaml += rng.element(of: Self.tokens) }
        yaml += Array("\n".utf8)
      }
      yaml += Array("---\n".utf8)
      data.insert(contentsOf: yaml.prefix(room), at: 0)
    }
  }

  /// The offset of the start of a random line.
  private func lineStart(in data: [UInt8], using rng: inout SplitMix64) -> Int {
    guard !data.isEmpty else { return 0 }
    let at = rng.below(data.count)
    return data[..<at].lastIndex(of: UInt8(ascii: "\n")).map { $0 + 1 } ?? 0
  }
}
