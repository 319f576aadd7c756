// The appointment form, made smoother: free times update in place when the day changes,
// and the error summary takes focus after a failed submit. The form works without it.
(function () {
  "use strict";

  var form = document.querySelector("form[data-times-url]");
  if (!form) {
    return;
  }
  var dateInput = form.querySelector("input[name=date]");
  var times = document.getElementById("times");
  var showTimesButton = form.querySelector("button[value=times]");

  function loadTimes(day) {
    var url = form.getAttribute("data-times-url") + "?date=" + encodeURIComponent(day);
    times.setAttribute("aria-busy", "true");
    fetch(url, { headers: { Accept: "text/html" }, credentials: "same-origin" })
      .then(function (response) {
        if (!response.ok) {
          throw new Error("status " + response.status);
        }
        return response.text();
      })
      .then(function (html) {
        times.innerHTML = html;
      })
      .catch(function () {
        // Fall back to the page reload the form does without JavaScript.
        showTimesButton.click();
      })
      .finally(function () {
        times.removeAttribute("aria-busy");
      });
  }

  if (dateInput && times && showTimesButton) {
    showTimesButton.hidden = true;
    dateInput.addEventListener("change", function () {
      if (dateInput.value) {
        loadTimes(dateInput.value);
      }
    });
    times.addEventListener("click", function (event) {
      var button = event.target.closest("button[data-show-day]");
      if (button) {
        event.preventDefault();
        dateInput.value = button.getAttribute("data-show-day");
        loadTimes(dateInput.value);
        dateInput.focus();
      }
    });
  }

  var summary = document.getElementById("error-summary");
  if (summary) {
    summary.focus();
    summary.addEventListener("click", function (event) {
      var link = event.target.closest("a[href^='#']");
      var target = link && document.getElementById(link.getAttribute("href").slice(1));
      if (target) {
        event.preventDefault();
        var group = target.closest("fieldset") || target.closest(".mb-3") || target;
        group.scrollIntoView();
        target.focus({ preventScroll: true });
      }
    });
  }
})();
