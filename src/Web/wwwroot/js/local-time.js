// Shows <time datetime="…" data-local> in the reader's own time zone and locale. The server
// renders UTC first, so the page still reads correctly without JavaScript.
(function () {
  'use strict';
  var format = new Intl.DateTimeFormat(undefined, { dateStyle: 'medium', timeStyle: 'short' });
  document.querySelectorAll('time[datetime][data-local]').forEach(function (el) {
    var date = new Date(el.getAttribute('datetime'));
    if (!isNaN(date.getTime())) {
      el.title = el.textContent;
      el.textContent = format.format(date);
    }
  });
})();
