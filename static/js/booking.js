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
  var latestDay = null;
  var typingTimer = null;

  // While a day is typed digit by digit (02 → 2026), the field passes through days outside
  // the bookable range: those are skipped, never fetched.
  function isBookable(day) {
    return (!dateInput.min || day >= dateInput.min) && (!dateInput.max || day <= dateInput.max);
  }

  function showOutOfRange() {
    latestDay = null;
    var note = document.createElement("p");
    note.className = "no-times";
    note.textContent = form.getAttribute("data-out-of-range");  // in the page's language
    times.replaceChildren(note);
    times.removeAttribute("aria-busy");
  }

  function loadTimes(day) {
    var url = form.getAttribute("data-times-url") + "?date=" + encodeURIComponent(day);
    latestDay = day;
    times.setAttribute("aria-busy", "true");
    fetch(url, { headers: { Accept: "text/html" }, credentials: "same-origin" })
      .then(function (response) {
        if (!response.ok) {
          throw new Error("status " + response.status);
        }
        return response.text();
      })
      .then(function (html) {
        if (day === latestDay) {  // an answer for a day typed over since is dropped
          times.innerHTML = html;
        }
      })
      .catch(function () {
        // Fall back to the page reload the form does without JavaScript.
        if (day === latestDay) {
          showTimesButton.click();
        }
      })
      .finally(function () {
        if (day === latestDay) {
          times.removeAttribute("aria-busy");
        }
      });
  }

  if (dateInput && times && showTimesButton) {
    showTimesButton.hidden = true;
    dateInput.addEventListener("change", function () {
      window.clearTimeout(typingTimer);
      var day = dateInput.value;
      if (day) {
        typingTimer = window.setTimeout(function () {
          if (isBookable(day)) {
            loadTimes(day);
          } else {
            showOutOfRange();
          }
        }, 250);
      }
    });
    // A day changed before this script ran, or restored by the browser on "Back", is not
    // the day whose times the page shows.
    var day = dateInput.value;
    if (day && day !== dateInput.defaultValue && isBookable(day)) {
      loadTimes(day);
    }
    times.addEventListener("click", function (event) {
      var button = event.target.closest("button[data-show-day]");
      if (button) {
        event.preventDefault();
        window.clearTimeout(typingTimer);
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
