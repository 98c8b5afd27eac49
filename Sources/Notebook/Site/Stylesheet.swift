/// The site's stylesheet: a readable measure, light and dark from the system setting, print.
enum Stylesheet {
  static let css = """
    :root {
      --text: #1d1f23; --muted: #5b616b; --background: #fdfdfc; --surface: #f3f4f6;
      --border: #d9dce1; --accent: #1f5fbf; --pass: #1a7f37; --fail: #c62828;
      --code: #f5f5f2; --output: #fbfaf4;
      --measure: 42rem; --code-measure: 52rem;
    }
    @media (prefers-color-scheme: dark) {
      :root {
        --text: #e4e6ea; --muted: #a3a9b3; --background: #15171a; --surface: #1e2125;
        --border: #343840; --accent: #7aa7ff; --pass: #4cc26a; --fail: #ff6b6b;
        --code: #1c1f23; --output: #1a1c1e;
      }
      article img[src$=".svg"], article img.svg-frame { background: #fdfdfc; border-radius: 4px; }
    }
    * { box-sizing: border-box; }
    html { font-size: 106.25%; }
    body {
      margin: 0; color: var(--text); background: var(--background);
      font-family: "DejaVu Serif", Georgia, "Times New Roman", serif; line-height: 1.6;
    }
    header.site { padding: 0.6rem 1.25rem; border-bottom: 1px solid var(--border); font-family: system-ui, sans-serif; }
    header.site { display: flex; flex-wrap: wrap; align-items: center; justify-content: space-between; gap: 0.5rem 1rem; }
    header.site a.course { color: var(--text); text-decoration: none; font-weight: 600; }
    .search { position: relative; flex: 0 1 20rem; min-width: 0; }
    .search input { width: 100%; font: inherit; font-size: 0.9rem; padding: 0.3rem 0.6rem; color: var(--text); background: var(--background); border: 1px solid var(--muted); border-radius: 6px; }
    .search-results { position: absolute; right: 0; z-index: 10; width: min(32rem, 90vw); max-height: 70vh; overflow-y: auto; margin: 0.3rem 0 0; padding: 0.25rem; list-style: none; background: var(--background); border: 1px solid var(--border); border-radius: 6px; box-shadow: 0 6px 20px rgb(0 0 0 / 0.18); }
    .search-results a { display: block; padding: 0.4rem 0.5rem; border-radius: 4px; color: var(--text); text-decoration: none; font-weight: normal; }
    .search-results a:hover, .search-results a:focus { background: var(--surface); outline: 2px solid var(--accent); }
    .search-where { display: block; font-weight: 600; font-size: 0.85rem; }
    .search-snippet { display: block; font-size: 0.8rem; color: var(--muted); }
    .search-snippet mark { background: none; color: var(--text); font-weight: 600; }
    .search-none { padding: 0.4rem 0.5rem; font-size: 0.85rem; color: var(--muted); }
    /* A citation shows its full reference on hover or keyboard focus (no script needed). */
    .cite { position: relative; }
    .cite-note { display: none; position: absolute; left: 0; top: 1.6em; z-index: 5; width: min(26rem, 80vw); padding: 0.5rem 0.7rem; font-size: 0.85rem; line-height: 1.4; color: var(--text); background: var(--surface); border: 1px solid var(--border); border-radius: 6px; box-shadow: 0 4px 14px rgb(0 0 0 / 0.15); }
    .cite:hover .cite-note, .cite:focus-within .cite-note { display: block; }
    @media (max-width: 37rem) { .cite-note { position: fixed; top: auto; left: 0.5rem; right: 0.5rem; bottom: 0.5rem; width: auto; } }
    a.citation { text-decoration: none; border-bottom: 1px dotted var(--accent); }
    .citation.missing { color: var(--fail); }
    section.references .csl-entry { padding-left: 1.5rem; text-indent: -1.5rem; margin: 0.5rem 0; overflow-wrap: anywhere; scroll-margin-top: 1rem; }
    section.references .csl-entry:target { background: var(--surface); }
    .visually-hidden { position: absolute; width: 1px; height: 1px; overflow: hidden; clip: rect(0 0 0 0); white-space: nowrap; margin: 0; }
    .layout { display: grid; grid-template-columns: 15rem minmax(0, 1fr); gap: 2.5rem; max-width: 72rem; margin: 0 auto; padding: 1.5rem 1.25rem 4rem; }
    .layout.single { grid-template-columns: minmax(0, 1fr); }
    .layout.single main { margin: 0 auto; width: 100%; }
    /* Prose keeps a readable measure; code, its output and its checks may use the width beside it. */
    main { max-width: var(--code-measure); min-width: 0; }
    article > *, main > nav.pager { max-width: var(--measure); }
    article > pre, article > details, article > ul.checks { max-width: none; }
    nav.toc { position: sticky; top: 1rem; align-self: start; font-family: system-ui, sans-serif; font-size: 0.85rem; }
    nav.toc ul { list-style: none; padding: 0; margin: 0; }
    nav.toc li { margin: 0.3rem 0; }
    nav.toc li.level-3 { padding-left: 1rem; }
    nav.toc a { color: var(--muted); text-decoration: none; }
    nav.toc a:hover { color: var(--accent); }
    .toc-title { font-weight: 600; margin: 0 0 0.5rem; }
    h1, h2, h3 { font-family: system-ui, sans-serif; line-height: 1.25; hyphens: auto; overflow-wrap: break-word; }
    h1 { font-size: 2rem; margin: 0.5rem 0 0.5rem; }
    h2 { font-size: 1.45rem; margin-top: 2.4rem; }
    h3 { font-size: 1.15rem; margin-top: 1.8rem; }
    a { color: var(--accent); }
    a.anchor { margin-left: 0.4rem; color: var(--border); text-decoration: none; font-size: 0.8em; }
    h2:hover a.anchor, h3:hover a.anchor { color: var(--muted); }
    .summary { color: var(--muted); font-size: 1.05rem; }
    pre { overflow-x: auto; padding: 0.75rem 1rem; border-radius: 6px; font-size: 0.85rem; line-height: 1.45; }
    code { font-family: "DejaVu Sans Mono", ui-monospace, monospace; font-size: 0.9em; }
    pre.code { background: var(--code); border: 1px solid var(--border); }
    pre.code.norun { border-style: dashed; }
    pre.output { background: var(--output); border-left: 3px solid var(--accent); margin-top: -0.5rem; white-space: pre-wrap; }
    pre.output .notice { color: var(--fail); font-style: italic; }
    details.setup summary { cursor: pointer; color: var(--muted); font-family: system-ui, sans-serif; font-size: 0.85rem; }
    .error { border: 1px solid var(--fail); color: var(--fail); padding: 0.5rem 0.75rem; border-radius: 6px; font-family: system-ui, sans-serif; }
    figure { margin: 1.25rem 0; }
    figure img { display: block; width: 100%; height: auto; }
    figcaption { font-size: 0.9rem; color: var(--muted); margin-top: 0.4rem; }
    /* A plot's text scales with the plot: on a one-column screen an SVG figure keeps 34rem (4/5 of
       its width in the desktop column, so 11 px tick labels stay about 9 px) and, on a phone,
       scrolls sideways across the whole screen width, its caption staying in view. */
    @media (max-width: 52rem) {
      figure { overflow-x: auto; }
      figure img[src$=".svg"], figure img.svg-frame { min-width: 34rem; }
      figcaption, .explore { position: sticky; left: 0; }
    }
    @media (max-width: 37rem) {
      figure:has(> img[src$=".svg"]), figure:has(> img.svg-frame) { margin-inline: -1.25rem; }
      figure:has(> img[src$=".svg"]) figcaption, figure:has(> img.svg-frame) :is(figcaption, .explore) { padding-inline: 1.25rem; }
    }
    /* An explorable figure's slider, shown once its frames have loaded. */
    .explore:not([hidden]) { display: flex; align-items: center; gap: 0.75rem; margin-top: 0.4rem; font-family: system-ui, sans-serif; font-size: 0.9rem; }
    .explore label { font-weight: 600; }
    .explore input { flex: 1; min-width: 6rem; accent-color: var(--accent); }
    .explore output { min-width: 4rem; font-variant-numeric: tabular-nums; }
    /* Computed tables: numbers right-aligned in tabular figures; wide tables scroll sideways. */
    .table-scroll { overflow-x: auto; margin: 1.25rem 0; scroll-margin-top: 1rem; }
    .table-scroll:focus-visible { outline: 2px solid var(--accent); outline-offset: 2px; }
    .table-scroll table { border-collapse: collapse; font-family: system-ui, sans-serif; font-size: 0.9rem; }
    .table-scroll caption { caption-side: top; text-align: left; font-size: 0.9rem; color: var(--muted); margin-bottom: 0.4rem; }
    .table-scroll th, .table-scroll td { padding: 0.25rem 0.75rem; text-align: left; border-bottom: 1px solid var(--border); white-space: nowrap; }
    .table-scroll thead th { border-bottom: 2px solid var(--muted); font-weight: 600; vertical-align: bottom; }
    .table-scroll .num { text-align: right; font-variant-numeric: tabular-nums; }
    ul.checks { list-style: none; padding: 0; margin: 0.5rem 0 1.25rem; font-family: system-ui, sans-serif; font-size: 0.85rem; }
    li.check { padding: 0.3rem 0.6rem; border-radius: 4px; margin: 0.25rem 0; border: 1px solid var(--border); background: var(--surface); overflow-wrap: anywhere; }
    li.check .mark { font-weight: 700; }
    li.check.pass .mark { color: var(--pass); }
    li.check.fail { border-color: var(--fail); }
    li.check.fail .mark, li.check .detail { color: var(--fail); }
    li.check .value { font-family: "DejaVu Sans Mono", monospace; }
    .status { display: inline-block; font-family: system-ui, sans-serif; font-size: 0.8rem; padding: 0.15rem 0.6rem; border-radius: 999px; border: 1px solid var(--border); }
    .status.pass { color: var(--pass); border-color: var(--pass); }
    .status.fail { color: var(--fail); border-color: var(--fail); }
    span.value { font-variant-numeric: tabular-nums; }
    span.value.missing { color: var(--fail); }
    .katex { font-size: 1.08em; }
    .nobreak { white-space: nowrap; }
    .katex-display { overflow-x: auto; overflow-y: hidden; padding: 0.25rem 0; }
    .math-error { color: var(--fail); }
    ol.chapters { padding-left: 1.5rem; }
    ol.chapters li { margin: 1rem 0; }
    ol.chapters li a { font-family: system-ui, sans-serif; font-weight: 600; font-size: 1.1rem; }
    ol.chapters li p { margin: 0.2rem 0; }
    nav.pager { display: flex; justify-content: space-between; gap: 1rem; margin-top: 3rem; padding-top: 1rem; border-top: 1px solid var(--border); font-family: system-ui, sans-serif; }
    nav.pager .next { margin-left: auto; }
    blockquote { margin: 1rem 0; padding-left: 1rem; border-left: 3px solid var(--border); color: var(--muted); }
    pre.code { position: relative; }
    button.copy {
      position: absolute; top: 0.35rem; right: 0.35rem; font: 0.7rem system-ui, sans-serif; padding: 0.15rem 0.45rem;
      color: var(--muted); background: var(--surface); border: 1px solid var(--border); border-radius: 4px;
      cursor: pointer; opacity: 0; transition: opacity 0.15s;
    }
    pre.code:hover button.copy, button.copy:focus { opacity: 1; }
    section.build-errors { border: 2px solid var(--fail); border-radius: 6px; padding: 0 1rem; margin: 1rem 0 2rem; }
    section.build-errors h2 { color: var(--fail); font-size: 1.1rem; }
    section.build-errors ul { list-style: none; padding: 0; }
    section.build-errors pre { white-space: pre-wrap; margin: 0.4rem 0; padding: 0; font-size: 0.8rem; }
    .exercise-label { font-family: system-ui, sans-serif; font-weight: 600; margin-bottom: 0.3rem; color: var(--accent); }
    details.solution { border-left: 3px solid var(--pass); padding-left: 0.75rem; margin: 0.5rem 0 1rem; }
    details.solution summary { cursor: pointer; font-family: system-ui, sans-serif; font-size: 0.9rem; color: var(--muted); }
    .figure-number { font-weight: 600; color: var(--text); }
    a.xref { text-decoration: none; border-bottom: 1px dotted var(--accent); }
    .xref.missing { color: var(--fail); }
    .equation { display: block; scroll-margin-top: 1rem; }
    figure, h2, h3 { scroll-margin-top: 1rem; }
    /* highlight.js classes, coloured for light and dark. */
    .hljs-keyword, .hljs-built_in, .hljs-literal { color: #8839ef; }
    .hljs-type, .hljs-title { color: #1a56c9; }
    .hljs-string { color: #2d7220; }
    .hljs-number { color: #d20f39; }
    .hljs-comment { color: #6c6f85; font-style: italic; }
    .hljs-meta, .hljs-attribute { color: #955300; }
    @media (prefers-color-scheme: dark) {
      .hljs-keyword, .hljs-built_in, .hljs-literal { color: #cba6f7; }
      .hljs-type, .hljs-title { color: #89b4fa; }
      .hljs-string { color: #a6e3a1; }
      .hljs-number { color: #fab387; }
      .hljs-comment { color: #9399b2; }
      .hljs-meta, .hljs-attribute { color: #f9e2af; }
    }
    @media (max-width: 52rem) {
      .layout { grid-template-columns: minmax(0, 1fr); gap: 0; }
      nav.toc { position: static; border-bottom: 1px solid var(--border); padding-bottom: 0.75rem; margin-bottom: 1rem; }
    }
    @media print {
      header.site, nav.toc, nav.pager, a.anchor, button.copy { display: none; }
      .hljs-comment { font-style: italic; }
      .layout { display: block; max-width: none; padding: 0; }
      main { max-width: none; }
      body { background: white; color: black; font-size: 11pt; }
      pre { white-space: pre-wrap; break-inside: avoid; }
      figure, .table-scroll { break-inside: avoid; }
      .explore { display: none; }
      a { color: inherit; text-decoration: none; }
    }

    """
}
