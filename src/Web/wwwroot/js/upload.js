// Progressive enhancement of the upload form: sends the file itself as the request body with
// XMLHttpRequest so a progress bar can follow it. Without JavaScript the same form posts as
// multipart and the server answers with the page.
(function () {
  'use strict';
  var form = document.getElementById('upload-form');
  if (!form || !window.XMLHttpRequest) return;

  var input = form.querySelector('input[type=file]');
  var overwrite = form.querySelector('#overwrite');
  var button = form.querySelector('#upload-button');
  var progress = document.getElementById('upload-progress');
  var bar = document.getElementById('upload-progress-bar');
  var text = document.getElementById('upload-progress-text');
  var message = document.getElementById('upload-message');
  var maxBytes = Number(form.dataset.maxBytes);
  var token = form.querySelector('input[name="__RequestVerificationToken"]');

  function show(msg) {
    message.textContent = msg;
    message.hidden = !msg;
  }

  function setProgress(percent) {
    bar.value = percent;
    text.textContent = percent + '%';
  }

  // The server's validation message, from the page it rendered for a 400.
  function serverMessage(html) {
    try {
      var doc = new DOMParser().parseFromString(html, 'text/html');
      var summary = doc.getElementById('files-errors');
      return summary ? summary.textContent.trim() : '';
    } catch (e) {
      return '';
    }
  }

  function send(file, replace) {
    var url = form.dataset.streamUrl +
      (form.dataset.streamUrl.indexOf('?') < 0 ? '?' : '&') +
      'name=' + encodeURIComponent(file.name) +
      '&overwrite=' + (replace ? 'true' : 'false') +
      '&type=' + encodeURIComponent(file.type || '');
    var xhr = new XMLHttpRequest();
    xhr.open('POST', url);
    // Always a raw body: a form content type here would make the server parse it as a form.
    xhr.setRequestHeader('Content-Type', 'application/octet-stream');
    if (token) xhr.setRequestHeader('RequestVerificationToken', token.value);

    xhr.upload.addEventListener('progress', function (e) {
      if (e.lengthComputable) setProgress(Math.floor((e.loaded / e.total) * 100));
    });
    xhr.addEventListener('load', function () {
      button.disabled = false;
      if (xhr.status >= 200 && xhr.status < 300) {
        setProgress(100);
        form.dataset.uploaded = file.name;
        // Then the list with the new file (the page's notice names it).
        window.location.assign(window.location.pathname);
        return;
      }
      progress.hidden = true;
      if (xhr.status === 409) {
        show('A file named "' + file.name + '" already exists.');
        var replaceButton = document.createElement('button');
        replaceButton.type = 'button';
        replaceButton.id = 'replace-button';
        replaceButton.className = 'secondary';
        replaceButton.textContent = 'Replace it';
        replaceButton.addEventListener('click', function () { start(file, true); });
        message.appendChild(document.createTextNode(' '));
        message.appendChild(replaceButton);
      } else if (xhr.status === 413) {
        show('The file is too large.');
      } else if (xhr.status === 400) {
        show(serverMessage(xhr.responseText) || 'The file could not be uploaded: check its name.');
      } else if (xhr.status === 401 || xhr.status === 302) {
        show('Your session has ended. Reload the page and sign in again.');
      } else {
        show('The upload failed (HTTP ' + xhr.status + '). Please try again.');
      }
    });
    xhr.addEventListener('error', function () {
      button.disabled = false;
      progress.hidden = true;
      show('The upload was interrupted. Please try again.');
    });
    xhr.send(file);
  }

  // A notice belongs to the action that caused it: once a new upload starts, the page's earlier
  // "Uploaded …"/"Deleted …" notice or error is about something else, so it goes.
  function clearEarlierMessages() {
    ['files-notice', 'files-clash'].forEach(function (id) {
      var old = document.getElementById(id);
      if (old) old.remove();
    });
    var summary = document.getElementById('files-errors');
    if (summary) summary.replaceChildren();
  }

  function start(file, replace) {
    clearEarlierMessages();
    show('');
    setProgress(0);
    progress.hidden = false;
    button.disabled = true;
    send(file, replace);
  }

  form.addEventListener('submit', function (e) {
    var file = input.files && input.files[0];
    if (!file) return; // let the browser's "required" message show
    e.preventDefault();
    clearEarlierMessages();
    if (file.size === 0) {
      show('The file is empty: choose a file with content.');
      return;
    }
    if (maxBytes && file.size > maxBytes) {
      show('The file is too large: at most ' + Math.floor(maxBytes / 1048576) + ' MB.');
      return;
    }
    start(file, overwrite && overwrite.checked);
  });
})();
