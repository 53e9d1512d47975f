import Foundation

extension TrackMap {
    /// One self-contained HTML page: inline SVG and a little JavaScript, no network fetches.
    /// Hover shows a track's path, label and split; a click plays it in the `<audio>` element
    /// (when `audio` is set); wheel zooms and drag pans the SVG viewBox; the search box
    /// highlights tracks whose path contains the text (also set by a `#search=text` URL fragment).
    public func html() -> String {
        var out = [String]()
        out.append("<!DOCTYPE html>")
        out.append("<html lang=\"en\"><head><meta charset=\"utf-8\">")
        out.append("<title>\(xmlEscape(title))</title>")
        out.append("<style>")
        out.append(Self.style)
        out.append("</style></head><body>")
        out.append("<header><h1>\(xmlEscape(title))</h1>")
        out.append("<input id=\"search\" type=\"search\" placeholder=\"search tracks by name\" autocomplete=\"off\"> <span id=\"matches\"></span>")
        out.append("<audio id=\"player\" controls preload=\"none\"></audio></header>")
        out.append("<main><div id=\"plot\">")
        out.append(String(format: "<svg id=\"map\" viewBox=\"0 0 %.0f %.0f\" preserveAspectRatio=\"xMidYMid meet\">", Self.width, Self.height))
        out.append("<g id=\"points\">")
        out.append(contentsOf: pointElements(interactive: true))
        out.append("</g></svg>")
        out.append("<div id=\"info\">hover a point; click to play; wheel to zoom, drag to pan, double-click to reset</div>")
        out.append("</div><aside><ul id=\"legend\">")
        var rows = groups.enumerated().map { ($0.offset, $0.element) }
        if group.contains(-1) { rows.append((-1, "unknown")) }
        for (g, name) in rows {
            let n = group.lazy.filter { $0 == g }.count
            out.append("<li class=\"legend-entry\" data-g=\"\(g)\"><span class=\"swatch\" style=\"background:\(Self.colour(g, of: groups.count))\"></span>\(xmlEscape(name)) <small>(\(n))</small></li>")
        }
        out.append("</ul></aside></main>")
        out.append("<script>")
        out.append("const TRACKS = [")
        for i in 0 ..< count {
            let split = splits?[i] ?? ""
            let src = audio?[i] ?? ""
            out.append("[\(jsString(paths[i])),\(jsString(labels[i])),\(jsString(split)),\(jsString(src))],")
        }
        out.append("];")
        out.append(Self.script)
        out.append("</script></body></html>")
        return out.joined(separator: "\n") + "\n"
    }

    static let style = """
    body{margin:0;font:14px sans-serif;color:#222}
    header{display:flex;gap:12px;align-items:center;padding:8px 12px;border-bottom:1px solid #ddd;flex-wrap:wrap}
    h1{font-size:18px;margin:0}
    #search{width:260px;padding:4px}
    audio{height:32px}
    main{display:flex}
    #plot{flex:1;min-width:0}
    #map{width:100%;height:calc(100vh - 110px);cursor:grab;background:#fff;display:block}
    #map.dragging{cursor:grabbing}
    .pt{stroke:#fff;stroke-width:0.5;cursor:pointer}
    .pt:hover{stroke:#000;stroke-width:1.5}
    #map.searching .pt{opacity:0.12}
    #map.searching .pt.hit{opacity:1;stroke:#000;stroke-width:1.5}
    .pt.playing{stroke:#000;stroke-width:2.5}
    #info{padding:4px 12px;min-height:20px;font-family:monospace;white-space:nowrap;overflow:hidden;text-overflow:ellipsis}
    aside{width:240px;border-left:1px solid #ddd;padding:8px;overflow-y:auto;max-height:calc(100vh - 70px)}
    #legend{list-style:none;margin:0;padding:0}
    .legend-entry{padding:2px 0;cursor:pointer;white-space:nowrap;overflow:hidden;text-overflow:ellipsis}
    .legend-entry.off{opacity:0.35}
    .swatch{display:inline-block;width:12px;height:12px;border-radius:6px;margin-right:6px;vertical-align:-1px}
    """

    static let script = """
    (function () {
      const svg = document.getElementById('map');
      const info = document.getElementById('info');
      const player = document.getElementById('player');
      const search = document.getElementById('search');
      const matches = document.getElementById('matches');
      const points = Array.from(svg.querySelectorAll('.pt'));
      const full = svg.viewBox.baseVal;
      let view = {x: full.x, y: full.y, w: full.width, h: full.height};
      const home = Object.assign({}, view);
      function apply() { svg.setAttribute('viewBox', view.x + ' ' + view.y + ' ' + view.w + ' ' + view.h); }
      function toUser(ev) {
        const r = svg.getBoundingClientRect();
        const s = Math.max(view.w / r.width, view.h / r.height);
        const ox = (r.width * s - view.w) / 2, oy = (r.height * s - view.h) / 2;
        return {x: view.x - ox + (ev.clientX - r.left) * s, y: view.y - oy + (ev.clientY - r.top) * s, s: s};
      }
      svg.addEventListener('wheel', function (ev) {
        ev.preventDefault();
        const p = toUser(ev);
        const f = ev.deltaY < 0 ? 0.8 : 1.25;
        view = {x: p.x - (p.x - view.x) * f, y: p.y - (p.y - view.y) * f, w: view.w * f, h: view.h * f};
        apply();
      }, {passive: false});
      let drag = null;
      svg.addEventListener('mousedown', function (ev) { drag = {x: ev.clientX, y: ev.clientY, v: Object.assign({}, view), s: toUser(ev).s, moved: false}; svg.classList.add('dragging'); });
      window.addEventListener('mousemove', function (ev) {
        if (!drag) return;
        const dx = ev.clientX - drag.x, dy = ev.clientY - drag.y;
        if (Math.abs(dx) + Math.abs(dy) > 3) drag.moved = true;
        view = {x: drag.v.x - dx * drag.s, y: drag.v.y - dy * drag.s, w: drag.v.w, h: drag.v.h};
        apply();
      });
      window.addEventListener('mouseup', function () { svg.classList.remove('dragging'); setTimeout(function () { drag = null; }, 0); });
      svg.addEventListener('dblclick', function () { view = Object.assign({}, home); apply(); });
      function describe(i) {
        const t = TRACKS[i];
        return t[0] + '  |  label: ' + t[1] + '  |  split: ' + (t[2] || 'unknown');
      }
      points.forEach(function (pt) {
        const i = +pt.dataset.i;
        pt.addEventListener('mouseenter', function () { info.textContent = describe(i); });
        pt.addEventListener('click', function () {
          if (drag && drag.moved) return;
          const src = TRACKS[i][3];
          points.forEach(function (q) { q.classList.remove('playing'); });
          pt.classList.add('playing');
          if (!src) { info.textContent = describe(i) + '  |  no audio (see --audio-root)'; return; }
          player.src = src;
          player.play().catch(function (e) { info.textContent = describe(i) + '  |  cannot play ' + src + ': ' + e.message; });
        });
      });
      search.addEventListener('input', function () {
        const q = search.value.trim().toLowerCase();
        let n = 0;
        points.forEach(function (pt) {
          const hit = q !== '' && TRACKS[+pt.dataset.i][0].toLowerCase().indexOf(q) >= 0;
          pt.classList.toggle('hit', hit);
          if (hit) n++;
        });
        svg.classList.toggle('searching', q !== '');
        matches.textContent = q === '' ? '' : n + ' match' + (n === 1 ? '' : 'es');
      });
      if (location.hash.indexOf('#search=') === 0) {
        search.value = decodeURIComponent(location.hash.slice(8));
        search.dispatchEvent(new Event('input'));
      }
      document.querySelectorAll('.legend-entry').forEach(function (li) {
        li.addEventListener('click', function () {
          li.classList.toggle('off');
          const g = li.dataset.g, off = li.classList.contains('off');
          points.forEach(function (pt) { if (pt.dataset.g === g) pt.style.display = off ? 'none' : ''; });
        });
      });
    })();
    """
}

/// A JavaScript string literal that is also safe inside a `<script>` element.
func jsString(_ s: String) -> String {
    var out = "\""
    for u in s.unicodeScalars {
        switch u {
        case "\"": out += "\\\""
        case "\\": out += "\\\\"
        case "\n": out += "\\n"
        case "\r": out += "\\r"
        case "<": out += "\\u003c"
        case ">": out += "\\u003e"
        case "&": out += "\\u0026"
        case "\u{2028}": out += "\\u2028"
        case "\u{2029}": out += "\\u2029"
        default:
            if u.value < 0x20 { out += String(format: "\\u%04x", u.value) } else { out.unicodeScalars.append(u) }
        }
    }
    return out + "\""
}

extension TrackMap {
    /// The `src` of each track's audio for a page written into `pageDirectory`: the track path
    /// (joined to `audioRoot` when relative) made relative to the page and percent-encoded.
    public static func audioSources(paths: [String], audioRoot: String, pageDirectory: String) -> [String] {
        let root = URL(fileURLWithPath: audioRoot).standardizedFileURL.path
        let page = URL(fileURLWithPath: pageDirectory).standardizedFileURL.pathComponents
        return paths.map { path in
            let absolute = path.hasPrefix("/") ? path : (root as NSString).appendingPathComponent(path)
            let target = URL(fileURLWithPath: absolute).standardizedFileURL.pathComponents
            var common = 0
            while common < min(page.count, target.count) && page[common] == target[common] { common += 1 }
            let parts = Array(repeating: "..", count: page.count - common) + target[common...]
            var allowed = CharacterSet.urlPathAllowed
            allowed.remove(charactersIn: "#?%;:")
            return parts.map { $0.addingPercentEncoding(withAllowedCharacters: allowed) ?? $0 }.joined(separator: "/")
        }
    }
}
