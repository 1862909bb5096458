// Hover values for every chart, and a self-check the tests read.
// Each figure carries its hover points as JSON: [x, y, text] in the SVG's
// own pixel coordinates (computed when the chart was drawn). Text is set
// with textContent, never parsed as HTML.
(function () {
  "use strict";
  var errors = [];
  window.addEventListener("error", function (e) {
    errors.push(String(e.message || e) + " (line " + e.lineno + ")");
    document.body.setAttribute("data-js-errors", errors.join(" | "));
  });
  var NS = "http://www.w3.org/2000/svg";
  var tip = document.getElementById("tip");

  function nearest(points, x, y, mode) {
    var best = -1, bestD = Infinity;
    for (var i = 0; i < points.length; i++) {
      var dx = points[i][0] - x, dy = points[i][1] - y;
      var d = mode === "x" ? Math.abs(dx) : dx * dx + dy * dy;
      if (d < bestD) { bestD = d; best = i; }
    }
    if (mode === "xy" && bestD > 40 * 40) return -1;
    return best;
  }

  function attach(fig) {
    var svg = fig.querySelector("svg");
    var json = fig.querySelector("script.hover");
    if (!svg || !json) return 0;
    var points = JSON.parse(json.textContent);
    var mode = fig.getAttribute("data-hover");
    var vb = svg.viewBox.baseVal;
    var dot = document.createElementNS(NS, "circle");
    dot.setAttribute("r", "6");
    dot.setAttribute("class", "hover-dot");
    dot.style.display = "none";
    var line = document.createElementNS(NS, "line");
    line.setAttribute("class", "hover-line");
    line.setAttribute("y1", "0");
    line.setAttribute("y2", String(vb.height));
    line.style.display = "none";
    svg.appendChild(line);
    svg.appendChild(dot);
    function hide() {
      dot.style.display = "none";
      line.style.display = "none";
      tip.hidden = true;
    }
    svg.addEventListener("mousemove", function (ev) {
      var r = svg.getBoundingClientRect();
      var sx = (ev.clientX - r.left) * vb.width / r.width;
      var sy = (ev.clientY - r.top) * vb.height / r.height;
      var i = nearest(points, sx, sy, mode);
      if (i < 0) { hide(); return; }
      var p = points[i];
      dot.setAttribute("cx", String(p[0]));
      dot.setAttribute("cy", String(p[1]));
      dot.style.display = "";
      if (mode === "x") {
        line.setAttribute("x1", String(p[0]));
        line.setAttribute("x2", String(p[0]));
        line.style.display = "";
      }
      tip.textContent = p[2];
      tip.hidden = false;
      var left = ev.pageX + 14, top = ev.pageY + 14;
      var w = tip.offsetWidth;
      if (left + w > window.scrollX + document.documentElement.clientWidth - 8) left = ev.pageX - w - 14;
      tip.style.left = left + "px";
      tip.style.top = top + "px";
    });
    svg.addEventListener("mouseleave", hide);
    return points.length;
  }

  var ok = [], missing = [];
  var figures = document.querySelectorAll("figure.chart");
  var counts = {};
  for (var i = 0; i < figures.length; i++) {
    try {
      counts[figures[i].getAttribute("data-chart")] = attach(figures[i]);
    } catch (e) {
      errors.push(String(e));
    }
  }
  // Hover works: a synthetic mouse move over the middle of each chart must
  // show a tooltip with text.
  var hoverOk = [];
  for (var h = 0; h < figures.length; h++) {
    var svgEl = figures[h].querySelector("svg");
    if (!svgEl) continue;
    var box = svgEl.getBoundingClientRect();
    svgEl.dispatchEvent(new MouseEvent("mousemove", {
      clientX: box.left + box.width / 2, clientY: box.top + box.height / 2, bubbles: true
    }));
    if (!tip.hidden && tip.textContent.length > 0) hoverOk.push(figures[h].getAttribute("data-chart"));
    svgEl.dispatchEvent(new MouseEvent("mouseleave"));
  }
  document.body.setAttribute("data-hover-ok", hoverOk.join(","));

  var expected = (document.body.getAttribute("data-expected") || "").split(",").filter(Boolean);
  expected.forEach(function (id) {
    var fig = document.querySelector('figure.chart[data-chart="' + id + '"]');
    var marks = fig ? fig.querySelectorAll("svg polyline, svg path, svg circle, svg rect, svg polygon").length : 0;
    if (fig && marks > 10 && counts[id] > 0) ok.push(id); else missing.push(id);
  });
  try {
    JSON.parse(document.getElementById("report-data").textContent);
  } catch (e) {
    errors.push("report-data: " + e);
  }
  document.body.setAttribute("data-charts-ok", ok.join(","));
  document.body.setAttribute("data-charts-missing", missing.join(","));
  document.body.setAttribute("data-js-errors", errors.join(" | "));
  document.body.setAttribute("data-height", String(document.documentElement.scrollHeight));
  document.body.setAttribute("data-checked", "yes");
})();
