// Progressive enhancement for /conditions/: update the results as filters change.
// Without this script the form works the same way with its "Show conditions" button.
(function () {
  "use strict";
  var form = document.getElementById("condition-filters");
  var results = document.getElementById("results");
  if (!form || !results || !window.fetch || !window.URLSearchParams) {
    return;
  }
  var pending = null;
  // The form's address without the "#results" it carries for the no-JavaScript case.
  var listUrl = form.action.split("#")[0];

  function queryString() {
    var params = new URLSearchParams();
    new FormData(form).forEach(function (value, name) {
      if (value !== "") {
        params.append(name, value);
      }
    });
    return params.toString();
  }

  function update(showResults) {
    var query = queryString();
    var url = listUrl + (query ? "?" + query : "");
    if (pending) {
      pending.abort();
    }
    pending = new AbortController();
    results.setAttribute("aria-busy", "true");
    fetch(url, { headers: { "X-Partial": "results" }, signal: pending.signal })
      .then(function (response) {
        if (!response.ok) {
          // Let the full page explain what was not understood.
          window.location.assign(url);
          return null;
        }
        return response.text();
      })
      .then(function (html) {
        if (html === null) {
          return;
        }
        results.innerHTML = html;
        results.removeAttribute("aria-busy");
        window.history.replaceState(null, "", url);
        if (showResults) {
          // "Show conditions" was pressed: on a phone the list is below the long form, so
          // take the reader (and screen-reader focus) to the new result count.
          var count = document.getElementById("result-count");
          if (count) {
            count.focus();
          }
        }
      })
      .catch(function (error) {
        if (error.name !== "AbortError") {
          window.location.assign(url);
        }
      });
  }

  // "(N chosen)" beside a folded group's name follows the ticks.
  function updateChosenCount(group) {
    var summary = group.querySelector("summary");
    var chosen = group.querySelectorAll("input[type=checkbox]:checked").length;
    var count = summary.querySelector(".count");
    if (!chosen) {
      if (count) {
        summary.removeChild(count);
      }
      return;
    }
    if (!count) {
      count = document.createElement("span");
      count.className = "count";
      summary.appendChild(document.createTextNode(" "));
      summary.appendChild(count);
    }
    count.textContent = "(" + chosen + " chosen)";
  }

  form.addEventListener("change", function (event) {
    var group = event.target.closest ? event.target.closest("details.field-group") : null;
    if (group) {
      updateChosenCount(group);
    }
    // Typing in the search box waits for Enter or the button; choices update at once.
    if (event.target.type !== "search") {
      update();
    }
  });
  form.addEventListener("submit", function (event) {
    event.preventDefault();
    update(true);
  });
})();
