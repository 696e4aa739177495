// tongbao review site: filtering, sorting and paging of the index lists; linking rows and
// source lines on a circular's page. No library, no network. Document text is only ever
// written with textContent, never parsed as HTML.
"use strict";

function listing(section) {
  var data = JSON.parse(document.getElementById(section.dataset.source).textContent);
  var columns = section.dataset.columns.split(" ");
  var link = section.dataset.link;
  var pageSize = parseInt(section.dataset.pageSize, 10) || 100;
  var body = section.querySelector("tbody");
  var shown = section.querySelector("[data-shown]");
  var search = section.querySelector("[data-search]");
  var primary = section.querySelector("[data-primary]");
  var filters = Array.prototype.slice.call(section.querySelectorAll("[data-filter]"));
  var state = { sort: null, desc: false, page: 0 };

  filters.forEach(function (select) {
    var key = select.dataset.filter;
    var values = {};
    data.forEach(function (row) { if (row[key] !== "" && row[key] != null) values[row[key]] = true; });
    Object.keys(values).sort().forEach(function (value) {
      var option = document.createElement("option");
      option.value = value;
      option.textContent = value;
      select.appendChild(option);
    });
    select.addEventListener("change", function () { state.page = 0; render(); });
  });
  if (search) search.addEventListener("input", function () { state.page = 0; render(); });
  if (primary) primary.addEventListener("change", function () { state.page = 0; render(); });
  section.querySelectorAll("th[data-sort]").forEach(function (th) {
    function sortBy() {
      var key = th.dataset.sort;
      state.desc = state.sort === key ? !state.desc : false;
      state.sort = key;
      state.page = 0;
      section.querySelectorAll("th[data-sort]").forEach(function (other) { other.removeAttribute("aria-sort"); });
      th.setAttribute("aria-sort", state.desc ? "descending" : "ascending");
      render();
    }
    th.addEventListener("click", sortBy);
    th.addEventListener("keydown", function (e) { if (e.key === "Enter") sortBy(); });
  });
  section.querySelector("[data-prev]").addEventListener("click", function () { state.page = Math.max(0, state.page - 1); render(); });
  section.querySelector("[data-next]").addEventListener("click", function () { state.page += 1; render(); });

  function selected() {
    var wanted = filters.map(function (s) { return [s.dataset.filter, s.value]; }).filter(function (f) { return f[1] !== ""; });
    var text = search ? search.value.trim().toLowerCase() : "";
    var onlyPrimary = primary ? primary.checked : false;
    var rows = data.filter(function (row) {
      if (onlyPrimary && row.primary === false) return false;
      for (var i = 0; i < wanted.length; i++) if (String(row[wanted[i][0]]) !== wanted[i][1]) return false;
      if (text) {
        for (var j = 0; j < columns.length; j++) if (String(row[columns[j]]).toLowerCase().indexOf(text) >= 0) return true;
        return false;
      }
      return true;
    });
    if (state.sort) {
      var key = state.sort === "period" ? "sort_period" : state.sort;
      rows.sort(function (a, b) {
        var x = a[key], y = b[key];
        var c = (typeof x === "number" && typeof y === "number") ? x - y : String(x).localeCompare(String(y), "zh");
        return state.desc ? -c : c;
      });
    }
    return rows;
  }

  function render() {
    var rows = selected();
    var pages = Math.max(1, Math.ceil(rows.length / pageSize));
    state.page = Math.min(state.page, pages - 1);
    var first = state.page * pageSize;
    var page = rows.slice(first, first + pageSize);
    var fragment = document.createDocumentFragment();
    page.forEach(function (row) {
      var tr = document.createElement("tr");
      if (row.severity) tr.className = "sev-" + row.severity;
      columns.forEach(function (key) {
        var td = document.createElement("td");
        var value = row[key] == null ? "" : String(row[key]);
        if (key === link) {
          var a = document.createElement("a");
          a.href = row.href;
          a.textContent = value || row.file;
          td.appendChild(a);
        } else {
          td.textContent = value;
        }
        if (typeof row[key] === "number") td.className = "num";
        else if (key === link) td.className = "wide";
        tr.appendChild(td);
      });
      fragment.appendChild(tr);
    });
    body.textContent = "";
    body.appendChild(fragment);
    shown.textContent = shown.dataset.template
      .replace("{first}", rows.length ? first + 1 : 0)
      .replace("{last}", first + page.length)
      .replace("{total}", rows.length);
  }
  render();
}

function circularPage() {
  var rows = document.querySelectorAll("[data-ref]");
  var lines = document.querySelectorAll("li.line[data-refs]");
  var boxes = document.querySelectorAll("rect.box[data-refs]");
  if (!rows.length && !lines.length) return;

  function clear() {
    document.querySelectorAll(".hl").forEach(function (el) { el.classList.remove("hl"); });
  }
  function holds(el, ref) { return (" " + el.dataset.refs + " ").indexOf(" " + ref + " ") >= 0; }

  // A row shows its lines (and page boxes); returns the lines it lit.
  function showRow(ref) {
    clear();
    var row = document.getElementById(ref);
    if (row) row.classList.add("hl");
    var lit = [];
    lines.forEach(function (li) { if (holds(li, ref)) { li.classList.add("hl"); lit.push(li); } });
    boxes.forEach(function (box) { if (holds(box, ref)) box.classList.add("hl"); });
    if (lit.length) lit[0].scrollIntoView({ block: "center" });
    return lit;
  }
  function showLine(li) {
    clear();
    li.classList.add("hl");
    var refs = li.dataset.refs.split(" ").filter(Boolean);
    refs.forEach(function (ref) {
      var row = document.getElementById(ref);
      if (row) row.classList.add("hl");
      boxes.forEach(function (box) { if (holds(box, ref)) box.classList.add("hl"); });
    });
    var first = refs.length ? document.getElementById(refs[0]) : null;
    if (first) first.scrollIntoView({ block: "center" });
  }
  rows.forEach(function (row) {
    row.addEventListener("click", function () { showRow(row.dataset.ref); history.replaceState(null, "", "#" + row.dataset.ref); });
    row.addEventListener("keydown", function (e) { if (e.key === "Enter") row.click(); });
  });
  lines.forEach(function (li) {
    if (li.dataset.refs) li.addEventListener("click", function () { showLine(li); });
  });
  // The index links a finding as page.html#f3: open with that finding's lines shown.
  function showHash() {
    var target = location.hash ? document.getElementById(location.hash.slice(1)) : null;
    if (target && target.dataset.ref) showRow(target.dataset.ref);
  }
  window.addEventListener("hashchange", showHash);
  showHash();
}

document.querySelectorAll("section.listing").forEach(listing);
circularPage();
