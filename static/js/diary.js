// The symptom diary of the appointment pack. Entries live only in this browser's
// localStorage: nothing here sends anything anywhere (and the page's CSP forbids it:
// connect-src 'none', form-action 'none'). Without this script the page offers the
// paper worksheet instead.
(function () {
  "use strict";
  var KEY = "nerve-health-guide:symptom-diary:v1";
  var SVG = "http://www.w3.org/2000/svg";
  var form = document.querySelector("[data-diary-form]");
  var storage = null;
  try {
    storage = window.localStorage;
    storage.setItem(KEY + ":test", "1");
    storage.removeItem(KEY + ":test");
  } catch (error) {
    storage = null; // storage switched off: keep the paper worksheet
  }
  if (!form || !storage) {
    return;
  }
  var status = document.querySelector("[data-diary-status]");
  var entriesBlock = document.querySelector("[data-diary-entries]");
  var rows = document.querySelector("[data-diary-rows]");
  var chart = document.querySelector("[data-diary-chart]");
  var worksheet = document.querySelector("[data-diary-worksheet]");

  function load() {
    try {
      var entries = JSON.parse(storage.getItem(KEY) || "[]");
      return Array.isArray(entries) ? entries : [];
    } catch (error) {
      return [];
    }
  }

  function save(entries) {
    storage.setItem(KEY, JSON.stringify(entries));
  }

  function sorted(entries) {
    return entries.slice().sort(function (a, b) {
      return a.date < b.date ? -1 : a.date > b.date ? 1 : a.created - b.created;
    });
  }

  function say(message) {
    status.textContent = message;
  }

  function cell(row, text) {
    var td = document.createElement("td");
    td.textContent = text;
    row.appendChild(td);
  }

  function drawChart(entries) {
    var old = chart.querySelector("svg");
    if (old) {
      chart.removeChild(old);
    }
    if (entries.length === 0) {
      return;
    }
    var width = 600, height = 220, left = 40, right = 10, top = 10, bottom = 40;
    var svg = document.createElementNS(SVG, "svg");
    svg.setAttribute("viewBox", "0 0 " + width + " " + height);
    svg.setAttribute("role", "img");
    var summary = entries.map(function (e) { return e.date + ": " + e.severity; }).join(", ");
    svg.setAttribute("aria-label", "Severity over time, from 0 to 10. " + summary);
    var plotWidth = width - left - right, plotHeight = height - top - bottom;
    function x(i) {
      return left + (entries.length === 1 ? plotWidth / 2 : (i * plotWidth) / (entries.length - 1));
    }
    function y(value) {
      return top + plotHeight - (value / 10) * plotHeight;
    }
    [0, 5, 10].forEach(function (value) {
      var line = document.createElementNS(SVG, "line");
      line.setAttribute("x1", left); line.setAttribute("x2", width - right);
      line.setAttribute("y1", y(value)); line.setAttribute("y2", y(value));
      line.setAttribute("stroke", "#8a8a8a"); line.setAttribute("stroke-width", "1");
      svg.appendChild(line);
      var label = document.createElementNS(SVG, "text");
      label.setAttribute("x", left - 8); label.setAttribute("y", y(value) + 4);
      label.setAttribute("text-anchor", "end"); label.setAttribute("font-size", "12");
      label.textContent = String(value);
      svg.appendChild(label);
    });
    var points = entries.map(function (e, i) { return x(i) + "," + y(Number(e.severity)); });
    var path = document.createElementNS(SVG, "polyline");
    path.setAttribute("points", points.join(" "));
    path.setAttribute("fill", "none"); path.setAttribute("stroke", "#1d5c96");
    path.setAttribute("stroke-width", "3");
    svg.appendChild(path);
    entries.forEach(function (e, i) {
      var dot = document.createElementNS(SVG, "circle");
      dot.setAttribute("cx", x(i)); dot.setAttribute("cy", y(Number(e.severity)));
      dot.setAttribute("r", "5"); dot.setAttribute("fill", "#1d5c96");
      svg.appendChild(dot);
      if (i === 0 || i === entries.length - 1) {
        var date = document.createElementNS(SVG, "text");
        date.setAttribute("x", x(i)); date.setAttribute("y", height - 12);
        date.setAttribute("text-anchor", i === 0 && entries.length > 1 ? "start" : "end");
        date.setAttribute("font-size", "12");
        date.textContent = e.date;
        svg.appendChild(date);
      }
    });
    chart.appendChild(svg);
  }

  function render() {
    var entries = sorted(load());
    rows.textContent = "";
    entries.forEach(function (entry) {
      var row = document.createElement("tr");
      cell(row, entry.date);
      cell(row, entry.symptom);
      cell(row, entry.where);
      cell(row, String(entry.severity));
      cell(row, entry.notes);
      var td = document.createElement("td");
      td.className = "no-print";
      var remove = document.createElement("button");
      remove.type = "button";
      remove.textContent = "Remove";
      remove.setAttribute("aria-label", "Remove the entry of " + entry.date + ": " + entry.symptom);
      remove.addEventListener("click", function () {
        save(load().filter(function (other) { return other.id !== entry.id; }));
        render();
        say("Entry removed.");
        form.elements.date.focus();
      });
      td.appendChild(remove);
      row.appendChild(td);
      rows.appendChild(row);
    });
    entriesBlock.hidden = entries.length === 0;
    worksheet.hidden = entries.length > 0;
    drawChart(entries);
  }

  function csvField(value) {
    var text = String(value == null ? "" : value);
    // A spreadsheet would run a field starting like a formula: keep it as text.
    if (/^[=+\-@\t\r]/.test(text)) {
      text = "'" + text;
    }
    return '"' + text.replace(/"/g, '""') + '"';
  }

  function exportCsv() {
    var lines = [["Date", "Symptom", "Where", "How bad (0-10)", "Notes"].map(csvField).join(",")];
    sorted(load()).forEach(function (e) {
      lines.push([e.date, e.symptom, e.where, e.severity, e.notes].map(csvField).join(","));
    });
    var blob = new Blob([lines.join("\r\n") + "\r\n"], { type: "text/csv;charset=utf-8" });
    var link = document.createElement("a");
    link.href = URL.createObjectURL(blob);
    link.download = "symptom-diary.csv";
    document.body.appendChild(link);
    link.click();
    document.body.removeChild(link);
    setTimeout(function () { URL.revokeObjectURL(link.href); }, 1000);
    say("The diary was exported as symptom-diary.csv.");
  }

  form.addEventListener("submit", function (event) {
    event.preventDefault();
    var date = form.elements.date.value;
    var symptom = form.elements.symptom.value.trim();
    var severityText = form.elements.severity.value.trim();
    var severity = Number(severityText);
    var problems = [];
    if (!/^\d{4}-\d{2}-\d{2}$/.test(date)) { problems.push("a date"); }
    if (!symptom) { problems.push("the symptom"); }
    if (severityText === "" || !(severity >= 0 && severity <= 10) || Math.round(severity) !== severity) {
      problems.push("how bad it was, a whole number from 0 to 10");
    }
    if (problems.length) {
      say("Please add " + problems.join(", ") + ".");
      return;
    }
    var entries = load();
    entries.push({
      id: Date.now().toString(36) + Math.random().toString(36).slice(2, 8),
      created: Date.now(),
      date: date,
      symptom: symptom,
      where: form.elements.where.value.trim(),
      severity: severity,
      notes: form.elements.notes.value.trim()
    });
    save(entries);
    form.reset();
    form.elements.date.value = date;
    render();
    say("Entry saved in this browser. " + entries.length + " entr" + (entries.length === 1 ? "y" : "ies") + " in your diary.");
    form.elements.symptom.focus();
  });

  document.querySelectorAll("[data-export]").forEach(function (button) {
    button.addEventListener("click", exportCsv);
  });
  document.querySelectorAll("[data-print]").forEach(function (button) {
    button.addEventListener("click", function () { window.print(); });
  });
  document.querySelectorAll("[data-clear]").forEach(function (button) {
    button.addEventListener("click", function () {
      if (window.confirm("Delete every entry of the diary from this browser? This cannot be undone.")) {
        storage.removeItem(KEY);
        render();
        say("The diary was deleted from this browser.");
      }
    });
  });
  document.querySelectorAll("[data-diary-enhanced]").forEach(function (element) {
    element.hidden = false;
  });
  form.hidden = false;
  if (!form.elements.date.value) {
    var today = new Date();
    var month = String(today.getMonth() + 1).padStart(2, "0");
    var day = String(today.getDate()).padStart(2, "0");
    form.elements.date.value = today.getFullYear() + "-" + month + "-" + day;
  }
  render();
})();
