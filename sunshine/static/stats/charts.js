/* Charts of the statistics pages (Apache ECharts from static/vendor, no inline script: the CSP allows only
   'self'). Each <div class="chart" data-chart="ID"> is drawn from the JSON in <script type="application/json"
   id="ID"> that the page writes with json_script; the table below it carries the same figures without JS. */
(function () {
  "use strict";
  var COLORS = ["#e8590c", "#1c7ed6", "#2f9e44", "#c2255c", "#7048e8", "#f59f00"];

  function option(data) {
    var base = { color: COLORS, tooltip: { trigger: data.type === "pie" ? "item" : "axis" },
                 legend: { top: 0, type: "scroll" }, animation: false };
    if (data.type === "pie") {
      var s = data.series[0] || { name: "", data: [] };
      base.series = [{ name: s.name, type: "pie", radius: ["35%", "65%"], top: 30,
        data: data.categories.map(function (c, i) { return { name: c, value: s.data[i] }; }) }];
      return base;
    }
    var horizontal = data.categories.length > 8;
    var cat = { type: "category", data: data.categories, axisLabel: { interval: 0, width: 90, overflow: "truncate" } };
    var val = { type: "value" };
    base.grid = { left: 8, right: 16, top: 40, bottom: 8, containLabel: true };
    base.xAxis = horizontal ? val : cat;
    base.yAxis = horizontal ? Object.assign({}, cat, { inverse: true }) : val;
    base.series = data.series.map(function (s) {
      return { name: s.name, type: data.type === "line" ? "line" : "bar", data: s.data };
    });
    return base;
  }

  function draw(el) {
    var source = document.getElementById(el.getAttribute("data-chart"));
    if (!source || !window.echarts) { return; }
    var data = JSON.parse(source.textContent);
    if (!data.categories || !data.categories.length) { el.hidden = true; return; }
    var rows = data.categories.length > 8 ? data.categories.length : 0;
    el.style.height = Math.max(260, Math.min(900, 60 + rows * 26 * Math.max(1, data.series.length / 2))) + "px";
    var chart = window.echarts.init(el, null, { renderer: "svg" });
    chart.setOption(option(data));
    window.addEventListener("resize", function () { chart.resize(); });
  }

  function start() {
    var charts = document.querySelectorAll(".chart[data-chart]");
    for (var i = 0; i < charts.length; i++) { draw(charts[i]); }
  }
  if (document.readyState === "loading") { document.addEventListener("DOMContentLoaded", start); } else { start(); }
})();
