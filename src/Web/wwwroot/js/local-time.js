// Shows every <time data-local-time> in the reader's locale and time zone. The server renders the
// instant in UTC (it cannot know the reader's zone), so without this script the page is still right.
// An external file because the Content-Security-Policy forbids inline script.
(() => {
  const format = new Intl.DateTimeFormat(undefined, { dateStyle: 'medium', timeStyle: 'short' });
  for (const element of document.querySelectorAll('time[data-local-time]')) {
    const instant = new Date(element.dateTime);
    if (Number.isNaN(instant.getTime())) continue;
    element.title = element.textContent.trim();
    element.textContent = format.format(instant);
    element.dataset.localized = 'true';
  }
})();
