// The front desk's calendar (templates/admin/booking/appointmentrequest/calendar_*.html):
// keeps the "now" mark on the row that holds the current time, once a minute. The page is
// complete without it: the server marks the row when it renders the page. The filters are
// not submitted on change, so moving through a list with the keyboard never reloads the page.
(function () {
  "use strict";
  const rows = Array.from(document.querySelectorAll("tr[data-start][data-end]"));
  if (!rows.length) {
    return;
  }
  const spans = rows.map((row) => [row, Date.parse(row.dataset.start), Date.parse(row.dataset.end)]);
  function mark() {
    const now = Date.now();
    for (const [row, start, end] of spans) {
      row.classList.toggle("cal-now", start <= now && now < end);
    }
  }
  window.setInterval(mark, 60 * 1000);
})();
