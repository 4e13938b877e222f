// The 廉政建设 pages: ECharts (strict CSP: data comes from json_script elements, never inline script) and two forms.
(function () {
  "use strict";
  function data(id) {
    var el = document.getElementById(id);
    return el ? JSON.parse(el.textContent) : null;
  }
  function heat(el, d) {
    var chart = echarts.init(el);
    chart.setOption({
      tooltip: { position: "top", formatter: function (p) { return d.departments[p.value[1]] + " · " + d.levels[p.value[0]] + "：" + p.value[2] + " 个"; } },
      grid: { left: 90, right: 16, top: 10, bottom: 90 },
      xAxis: { type: "category", data: d.levels, splitArea: { show: true } },
      yAxis: { type: "category", data: d.departments, splitArea: { show: true } },
      visualMap: { min: 0, max: Math.max(d.max, 1), calculable: true, orient: "horizontal", left: "center", bottom: 0,
                   inRange: { color: ["#f4f8f4", "#f0c36a", "#c0392b"] } },
      series: [{ type: "heatmap", data: d.data, label: { show: true } }]
    });
    window.addEventListener("resize", function () { chart.resize(); });
  }
  function forms(el, d) {
    var chart = echarts.init(el);
    chart.setOption({
      tooltip: { trigger: "item", formatter: "{b}：{c} 人次（{d}%）" },
      legend: { bottom: 0 },
      series: [{ type: "pie", radius: ["35%", "65%"], label: { formatter: "{b}\n{c}人次 {d}%" },
                 data: d.labels.map(function (label, i) { return { name: label, value: d.counts[i] }; }) }]
    });
    window.addEventListener("resize", function () { chart.resize(); });
  }
  document.addEventListener("DOMContentLoaded", function () {
    if (typeof echarts === "undefined") { return; }
    var h = document.getElementById("risk-heat");
    if (h) { heat(h, data("heat-data")); }
    var f = document.getElementById("forms-chart");
    if (f) { forms(f, data("forms-data")); }
  });
})();
// The ledger form: offer only the measures of the chosen form (the server checks it again).
(function () {
  "use strict";
  document.addEventListener("DOMContentLoaded", function () {
    var form = document.querySelector("select[name=form]");
    var measure = document.querySelector("select[name=measure]");
    if (!form || !measure) { return; }
    var labels = { "1": "第一种形态", "2": "第二种形态", "3": "第三种形态", "4": "第四种形态" };
    function sync() {
      var wanted = labels[form.value];
      Array.prototype.forEach.call(measure.querySelectorAll("optgroup"), function (group) {
        var show = !wanted || group.label === wanted;
        group.hidden = !show;
        group.disabled = !show;
      });
      var chosen = measure.options[measure.selectedIndex];
      if (chosen && chosen.parentNode.disabled) { measure.value = ""; }
    }
    form.addEventListener("change", sync);
    sync();
  });
})();
// The filing form: show the fields of the chosen kind only (the server checks what each kind needs).
(function () {
  "use strict";
  var FIELDS = {
    matters: ["year", "summary", "has_changes"],
    gift: ["event_date", "giver", "summary", "value"],
    event: ["event_date", "event_kind", "guests", "tables", "gifts_policy"],
    pledge: ["year", "summary", "file"]
  };
  var OPTIONAL = ["year", "event_date", "summary", "has_changes", "giver", "value", "event_kind", "guests", "tables",
                  "gifts_policy", "file"];
  document.addEventListener("DOMContentLoaded", function () {
    var kind = document.querySelector("form.filing-form select[name=kind]");
    if (!kind) { return; }
    function sync() {
      var shown = FIELDS[kind.value] || OPTIONAL;
      OPTIONAL.forEach(function (name) {
        var input = kind.form.querySelector("[name=" + name + "]");
        var box = input && input.closest(".field");
        if (box) { box.hidden = shown.indexOf(name) < 0; }
      });
    }
    kind.addEventListener("change", sync);
    sync();
  });
})();
