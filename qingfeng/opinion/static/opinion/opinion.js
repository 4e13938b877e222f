// 舆情看板: incidents per month (ECharts; strict CSP: the data comes from a json_script element).
(function () {
  "use strict";
  document.addEventListener("DOMContentLoaded", function () {
    var el = document.getElementById("month-chart");
    var source = document.getElementById("month-data");
    if (!el || !source || typeof echarts === "undefined") { return; }
    var d = JSON.parse(source.textContent);
    var chart = echarts.init(el);
    chart.setOption({
      tooltip: { trigger: "axis" },
      grid: { left: 8, right: 8, top: 20, bottom: 8, containLabel: true },
      xAxis: { type: "category", data: d.months, axisLabel: { rotate: 45 } },
      yAxis: { type: "value", minInterval: 1 },
      series: [{ type: "bar", data: d.counts, itemStyle: { color: "#1f7a4d" }, label: { show: true, position: "top" } }]
    });
    window.addEventListener("resize", function () { chart.resize(); });
  });
})();
