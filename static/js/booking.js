// The appointment form, made smoother: free times update in place when the visit, the
// practitioner or the day changes; "new or returning" re-selects the visit it suits; only
// the practitioners who offer the chosen visit are shown; the error summary takes focus
// after a failed submit. The form works without it ("Show free times").
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

  function checkedValue(name) {
    var checked = form.querySelector("input[name=" + name + "]:checked");
    return checked ? checked.value : "";
  }

  function loadTimes(day) {
    var query = new URLSearchParams({ date: day });
    // The chosen time too: it stays chosen if it is still free.
    ["treatment", "practitioner", "time"].forEach(function (name) {
      if (checkedValue(name)) {
        query.set(name, checkedValue(name));
      }
    });
    var url = form.getAttribute("data-times-url") + "?" + query.toString();
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

  // A practitioner who does not offer the chosen visit is hidden; if they were chosen, the
  // first available is chosen instead (the server refuses the pair anyway).
  function showPractitionersFor(treatmentId) {
    var radios = form.querySelectorAll("input[name=practitioner][data-treatment-ids]");
    radios.forEach(function (radio) {
      var offered = radio.getAttribute("data-treatment-ids").split(" ");
      var offers = !treatmentId || offered.indexOf(treatmentId) >= 0;
      radio.closest(".practitioner-option").hidden = !offers;
      if (!offers && radio.checked) {
        var anyone = form.querySelector("input[name=practitioner]:not([data-treatment-ids])");
        if (anyone) {
          anyone.checked = true;
        }
      }
    });
  }

  // The first visit for a new patient, the first follow-up for a returning one (as the
  // form's suggested_treatment does).
  function selectSuggestedTreatment(isNew) {
    var wanted = isNew ? "true" : "false";
    var radio = form.querySelector("input[name=treatment][data-for-new-patients=" + wanted + "]");
    if (radio) {
      radio.checked = true;
    }
  }

  function reloadTimes() {
    var day = dateInput && dateInput.value;
    if (day && isBookable(day) && times) {
      window.clearTimeout(typingTimer);
      loadTimes(day);
    }
  }

  form.addEventListener("change", function (event) {
    var name = event.target.name;
    if (["patient_type", "treatment", "practitioner"].indexOf(name) < 0) {
      return;
    }
    var before = checkedValue("treatment") + "/" + checkedValue("practitioner");
    if (name === "patient_type") {
      selectSuggestedTreatment(event.target.value !== "returning");
    }
    showPractitionersFor(checkedValue("treatment"));
    var after = checkedValue("treatment") + "/" + checkedValue("practitioner");
    if (name !== "patient_type" || after !== before) {
      reloadTimes();
    }
  });
  showPractitionersFor(checkedValue("treatment"));

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
