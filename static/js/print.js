// The day sheet's Print button: shown only where this script runs (without it, the page
// says to use the browser's Print command), it opens the browser's print dialog.
(function () {
  "use strict";

  document.querySelectorAll("button[data-print]").forEach(function (button) {
    button.hidden = false;
    button.addEventListener("click", function () {
      window.print();
    });
  });
})();
