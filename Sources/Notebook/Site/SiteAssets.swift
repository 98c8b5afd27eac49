import Foundation

/// Every file the pages use besides themselves: the stylesheet, the copy-button script, and
/// KaTeX's stylesheet and fonts read from Debian's packages, so the site works offline.
public enum SiteAssets {
  /// The files a page loads, or its script does: what a link check without the assets must
  /// take as present.
  static let pageFiles = [
    "assets/notebook.css", "assets/notebook.js", "assets/katex/katex.min.css", SearchIndex.path, SearchIndex.lunrPath,
  ]

  public static func files(katexDist: String) throws -> [String: [UInt8]] {
    var files: [String: [UInt8]] = [
      "assets/notebook.css": Array(Stylesheet.css.utf8),
      "assets/notebook.js": Array(script.utf8),
    ]
    try collect(from: katexDist + "/katex.min.css", as: "assets/katex/katex.min.css", into: &files)
    try collect(from: katexDist + "/fonts", as: "assets/katex/fonts", into: &files)
    return files
  }

  /// Reads a file, or a folder's files, following symbolic links: Debian's KaTeX reaches its
  /// CSS and fonts through links that would dangle inside the site.
  static func collect(from source: String, as path: String, into files: inout [String: [UInt8]]) throws {
    let manager = FileManager.default
    let resolved = URL(fileURLWithPath: source).resolvingSymlinksInPath()
    var isDirectory: ObjCBool = false
    guard manager.fileExists(atPath: resolved.path, isDirectory: &isDirectory) else {
      throw ToolchainError("missing \(source) (\(resolved.path)): run `make deps`")
    }
    if isDirectory.boolValue {
      for name in try manager.contentsOfDirectory(atPath: resolved.path).sorted() {
        try collect(from: resolved.path + "/" + name, as: path + "/" + name, into: &files)
      }
    } else {
      files[path] = Array(try Data(contentsOf: resolved))
    }
  }

  /// Adds a copy button to every code block, and runs the search box (below). Pages read fine
  /// without it.
  static let script = copyButtons + explorables + search

  /// Explorable figures: loads each one's frames (`<figure data-frames>`, a plain script, so a
  /// page opened from the file system can load it) and shows the slider, which switches frames:
  /// an SVG frame is its packed lines joined (`FigureMarkup.PackedFrames`), a PNG frame a file.
  static let explorables = """
    document.querySelectorAll('figure.explorable[data-frames]').forEach(function (figure) {
      var img = figure.querySelector('img'), control = figure.querySelector('.explore');
      var input = control.querySelector('input'), output = control.querySelector('output');
      var name = control.querySelector('label').textContent;
      var script = document.createElement('script');
      script.src = figure.getAttribute('data-frames');
      script.onload = function () {
        var data = (window.notebookFrames || {})[figure.id], cache = [];
        if (!data) return;
        function source(k) {
          if (data.srcs) return data.srcs[k];
          if (!cache[k]) {
            var runs = data.frames[k], lines = [];
            for (var i = 0; i + 1 < runs.length; i += 2) {
              for (var j = 0; j < runs[i + 1]; j++) lines.push(data.parts[runs[i] + j]);
            }
            cache[k] = 'data:image/svg+xml;charset=utf-8,' + encodeURIComponent(lines.join('\\n'));
          }
          return cache[k];
        }
        function show() {
          var k = Number(input.value);
          img.src = source(k);
          img.alt = data.alts[k];
          output.textContent = data.values[k];
          input.setAttribute('aria-valuetext', name + ' = ' + data.values[k]);
        }
        input.addEventListener('input', show);
        input.addEventListener('change', show);
        control.hidden = false;
        figure.setAttribute('data-ready', '');
      };
      document.head.appendChild(script);
    });

    """

  static let copyButtons = """
    document.querySelectorAll('pre.code').forEach(function (pre) {
      if (!navigator.clipboard) return;
      var button = document.createElement('button');
      button.className = 'copy';
      button.type = 'button';
      button.textContent = 'Copy';
      button.setAttribute('aria-label', 'Copy this code');
      button.addEventListener('click', function () {
        navigator.clipboard.writeText(pre.querySelector('code').innerText).then(function () {
          button.textContent = 'Copied';
          setTimeout(function () { button.textContent = 'Copy'; }, 1500);
        }, function () { button.textContent = 'Select and copy'; });
      });
      pre.appendChild(button);
    });

    """

  /// The search box in every page's header: `/` focuses it; typing loads Debian's lunr.js and
  /// the index as plain scripts (never `fetch`, which a page opened from the file system may not
  /// use) and lists matching sections, each with its chapter, its title and a snippet, linked to
  /// the section's anchor.
  static let search = """
    (function () {
      var input = document.getElementById('search');
      var list = document.getElementById('search-results');
      var status = document.getElementById('search-status');
      if (!input || !list) return;
      var state = null, waiting = [];
      function load(then) {
        if (state) return then();
        waiting.push(then);
        if (waiting.length > 1) return;
        var add = function (src, next) {
          var script = document.createElement('script');
          script.src = src;
          script.onload = next;
          script.onerror = function () { if (status) status.textContent = 'The search index could not be loaded.'; };
          document.head.appendChild(script);
        };
        add('assets/lunr.min.js', function () {
          add('assets/search-index.js', function () {
            var data = window.notebookSearch;
            state = { index: data.index ? lunr.Index.load(data.index) : null, docs: data.docs };
            var queued = waiting;
            waiting = [];
            queued.forEach(function (f) { f(); });
          });
        });
      }
      function terms(text) {
        return lunr.tokenizer(text).map(function (t) { return t.toString(); }).filter(function (t) { return t; });
      }
      function snippet(text, words) {
        var lower = text.toLowerCase(), at = -1, length = 0;
        words.forEach(function (w) {
          var i = lower.indexOf(w);
          if (i >= 0 && (at < 0 || i < at)) { at = i; length = w.length; }
        });
        var span = document.createElement('span');
        span.className = 'search-snippet';
        if (at < 0) { span.textContent = text.slice(0, 140) + (text.length > 140 ? '…' : ''); return span; }
        var start = Math.max(0, at - 60), end = Math.min(text.length, at + length + 80);
        span.appendChild(document.createTextNode((start > 0 ? '…' : '') + text.slice(start, at)));
        var mark = document.createElement('mark');
        mark.textContent = text.slice(at, at + length);
        span.appendChild(mark);
        span.appendChild(document.createTextNode(text.slice(at + length, end) + (end < text.length ? '…' : '')));
        return span;
      }
      function show() {
        var text = input.value.trim();
        list.textContent = '';
        if (!text) { list.hidden = true; if (status) status.textContent = ''; return; }
        var words = terms(text);
        var results = words.length && state.index ? state.index.query(function (q) {
          words.forEach(function (w) {
            q.term(w, { boost: 10 });
            q.term(w, { usePipeline: false, wildcard: lunr.Query.wildcard.TRAILING });
          });
        }).slice(0, 12) : [];
        results.forEach(function (r) {
          var doc = state.docs[Number(r.ref)];
          var item = document.createElement('li'), link = document.createElement('a');
          link.href = doc[0];
          var where = document.createElement('span');
          where.className = 'search-where';
          where.textContent = doc[1] + (doc[2] !== doc[1] ? ' › ' + doc[2] : '');
          link.appendChild(where);
          link.appendChild(snippet(doc[3], words));
          item.appendChild(link);
          list.appendChild(item);
        });
        if (!results.length) {
          var none = document.createElement('li');
          none.className = 'search-none';
          none.textContent = 'No section matches “' + text + '”.';
          list.appendChild(none);
        }
        list.hidden = false;
        if (status) status.textContent = results.length + (results.length === 1 ? ' result' : ' results');
      }
      input.addEventListener('input', function () { load(show); });
      input.addEventListener('focus', function () { load(function () {}); });
      input.addEventListener('keydown', function (event) {
        var first = list.querySelector('a');
        if (event.key === 'Escape') { input.value = ''; show(); }
        else if (event.key === 'ArrowDown' && first) { event.preventDefault(); first.focus(); }
        else if (event.key === 'Enter' && first) { event.preventDefault(); first.click(); }
      });
      list.addEventListener('keydown', function (event) {
        var links = Array.prototype.slice.call(list.querySelectorAll('a'));
        var i = links.indexOf(document.activeElement);
        if (event.key === 'ArrowDown' && i + 1 < links.length) { event.preventDefault(); links[i + 1].focus(); }
        else if (event.key === 'ArrowUp') { event.preventDefault(); (i > 0 ? links[i - 1] : input).focus(); }
        else if (event.key === 'Escape') { input.focus(); }
      });
      document.addEventListener('keydown', function (event) {
        var target = event.target;
        var typing = target && (target.isContentEditable || /^(INPUT|TEXTAREA|SELECT)$/.test(target.tagName));
        if (event.key === '/' && !typing && !event.ctrlKey && !event.metaKey && !event.altKey) {
          event.preventDefault();
          input.focus();
          input.select();
        }
      });
      document.addEventListener('click', function (event) {
        if (!input.parentNode.contains(event.target)) list.hidden = true;
      });
    })();

    """
}
