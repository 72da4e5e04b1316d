// Filters for the comparison table (guidegen default theme). Without this script the table is whole and
// the filter form stays hidden. With it the form shows; each select hides the rows whose data-NAME
// attribute differs (a select marked data-minimum: rows whose value is below the option's), a live line
// says how many rows show, and the choice is kept in the URL (?category=data&pay=80000) so a filtered
// view can be shared. A value in the URL that is not one of a select's options is left out.
(function () {
  "use strict";
  function setUp(form) {
    var table = form.parentNode.querySelector(".compare table");
    if (!table || !table.tBodies[0] || !window.URLSearchParams) return;
    var selects = Array.prototype.slice.call(form.querySelectorAll("select"));
    var count = form.querySelector(".filter-count");
    var clear = form.querySelector(".clear-filters");
    function matches(row) {
      return selects.every(function (select) {
        if (select.value === "") return true;
        var value = row.getAttribute("data-" + select.name);
        if (value === null) return false;
        if (select.hasAttribute("data-minimum")) return parseFloat(value) >= parseFloat(select.value);
        return value === select.value;
      });
    }
    function apply() {
      var rows = table.tBodies[0].rows, shown = 0;
      Array.prototype.forEach.call(rows, function (row) {
        row.hidden = !matches(row);
        if (!row.hidden) shown += 1;
      });
      if (count) count.textContent = "Showing " + shown + " of " + rows.length + (rows.length === 1 ? " role" : " roles");
      var params = new URLSearchParams(window.location.search);
      selects.forEach(function (select) {
        if (select.value === "") params.delete(select.name);
        else params.set(select.name, select.value);
      });
      var query = params.toString();
      window.history.replaceState(window.history.state, "", window.location.pathname + (query ? "?" + query : "") + window.location.hash);
    }
    var params = new URLSearchParams(window.location.search);
    selects.forEach(function (select) {
      var wanted = params.get(select.name);
      var known = Array.prototype.some.call(select.options, function (option) { return option.value === wanted; });
      select.value = known ? wanted : "";
      select.addEventListener("change", apply);
    });
    if (clear) clear.addEventListener("click", function () {
      selects.forEach(function (select) { select.value = ""; });
      apply();
    });
    form.addEventListener("submit", function (event) { event.preventDefault(); });
    form.hidden = false;
    apply();
  }
  function start() {
    Array.prototype.forEach.call(document.querySelectorAll("form.filters"), setUp);
  }
  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", start);
  else start();
})();
