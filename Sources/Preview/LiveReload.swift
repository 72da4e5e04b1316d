import Foundation

/// The preview's reload client and how it gets into pages. Only the preview server adds it, and only
/// to HTML responses; `guidegen build` never writes it.
public enum LiveReload {
    /// Where the preview's own files live, under the site's base path.
    public static let folder = "__guidegen/"

    /// The tag put before `</body>` of every HTML page the preview serves.
    public static func tag(basePath: String) -> String {
        "<script src=\"\(basePath)\(folder)live.js\"></script>"
    }

    /// `html` with the reload tag before its last `</body>` (or at the end when it has none).
    public static func inject(into html: Data, basePath: String) -> Data {
        let tag = Data(tag(basePath: basePath).utf8)
        guard let close = html.range(of: Data("</body>".utf8), options: .backwards) else { return html + tag }
        var result = html
        result.insert(contentsOf: tag, at: close.lowerBound)
        return result
    }

    /// Server-sent events: `hello` (the site's generation, on connect), `reload` (a new site is complete),
    /// `problems` (`{"problems": [...], "total": N}`: the errors that keep the last good site served, as
    /// many as fit in a bounded event, and how many there are).
    /// The overlay is built with DOM calls and textContent, so no message can inject markup.
    public static let script = #"""
    (function () {
      "use strict";
      var here = document.currentScript && document.currentScript.src;
      if (!here || !window.EventSource) return;
      var base = here.replace(/live\.js(\?.*)?$/, "");
      var key = "guidegen-scroll:" + location.pathname;
      var saved = sessionStorage.getItem(key);
      if (saved !== null) {
        sessionStorage.removeItem(key);
        var restore = function () { window.scrollTo(0, Number(saved)); };
        restore();
        window.addEventListener("load", restore);
      }
      var generation = null;
      function reload() {
        sessionStorage.setItem(key, String(window.scrollY));
        location.reload();
      }
      function hide() {
        var old = document.getElementById("guidegen-overlay");
        if (old) old.remove();
      }
      function show(problems, total) {
        hide();
        if (!problems.length) return;
        var box = document.createElement("div");
        box.id = "guidegen-overlay";
        box.setAttribute("role", "alert");
        box.style.cssText = "position:fixed;inset:auto 0 0 0;max-height:60vh;overflow:auto;z-index:2147483647;" +
          "background:#2b0b0b;color:#fff;font:14px/1.5 ui-monospace,Menlo,Consolas,monospace;padding:1em 1.5em;" +
          "border-top:4px solid #e5484d;box-shadow:0 -4px 24px rgba(0,0,0,.4)";
        var title = document.createElement("strong");
        title.textContent = total === 1 ? "1 problem: the preview shows the last good version"
          : total + " problems: the preview shows the last good version";
        box.appendChild(title);
        var list = document.createElement("ul");
        list.style.cssText = "margin:.5em 0 0;padding-left:1.2em";
        problems.forEach(function (p) {
          var item = document.createElement("li");
          var where = document.createElement("code");
          where.textContent = p.file + (p.line ? ":" + p.line + (p.column ? ":" + p.column : "") : "");
          where.style.color = "#ffb4b4";
          item.appendChild(where);
          item.appendChild(document.createTextNode(" " + p.severity + ": " + p.message));
          if (p.hint) {
            var hint = document.createElement("div");
            hint.textContent = "hint: " + p.hint;
            hint.style.opacity = ".8";
            item.appendChild(hint);
          }
          list.appendChild(item);
        });
        box.appendChild(list);
        if (total > problems.length) {
          var more = document.createElement("div");
          more.textContent = "... and " + (total - problems.length) + " more: see the terminal";
          box.appendChild(more);
        }
        document.body.appendChild(box);
      }
      var events = new EventSource(base + "events");
      events.addEventListener("hello", function (e) {
        if (generation !== null && generation !== e.data) reload();
        generation = e.data;
      });
      events.addEventListener("reload", reload);
      events.addEventListener("problems", function (e) {
        var data = JSON.parse(e.data);
        show(data.problems, data.total);
      });
    })();
    """#
}
