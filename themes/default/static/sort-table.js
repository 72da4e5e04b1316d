// Sortable tables (guidegen default theme). A table with class "sortable" is readable as it is;
// with this script each column header becomes a button that sorts the rows by the cells'
// data-sort values (numbers or text; empty values last) and says the order in aria-sort. A header with
// data-first="descending" sorts highest first on its first click.
(function () {
  "use strict";
  function value(row, column) {
    var cell = row.children[column];
    return cell ? cell.getAttribute("data-sort") || "" : "";
  }
  function sort(table, column, type, ascending) {
    var body = table.tBodies[0];
    var rows = Array.prototype.slice.call(body.rows);
    var keyed = rows.map(function (row, index) { return { row: row, key: value(row, column), index: index }; });
    keyed.sort(function (a, b) {
      if (a.key === "" || b.key === "") {
        if (a.key === b.key) return a.index - b.index;
        return a.key === "" ? 1 : -1;
      }
      var order = type === "number" ? parseFloat(a.key) - parseFloat(b.key) : a.key.localeCompare(b.key);
      if (order === 0) return a.index - b.index;
      return ascending ? order : -order;
    });
    keyed.forEach(function (item) { body.appendChild(item.row); });
  }
  function setUp(table) {
    var headers = table.tHead ? table.tHead.rows[0].cells : [];
    Array.prototype.forEach.call(headers, function (header, column) {
      var button = document.createElement("button");
      button.type = "button";
      button.className = "sort";
      while (header.firstChild) button.appendChild(header.firstChild);
      header.appendChild(button);
      button.addEventListener("click", function () {
        // A column sorted for the first time starts where its header says (pay: highest first), then alternates.
        var current = header.getAttribute("aria-sort");
        var ascending = current ? current !== "ascending" : header.getAttribute("data-first") !== "descending";
        sort(table, column, header.getAttribute("data-type") || "text", ascending);
        Array.prototype.forEach.call(headers, function (other) { other.removeAttribute("aria-sort"); });
        header.setAttribute("aria-sort", ascending ? "ascending" : "descending");
      });
    });
  }
  function start() {
    Array.prototype.forEach.call(document.querySelectorAll("table.sortable"), setUp);
  }
  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", start);
  else start();
})();
