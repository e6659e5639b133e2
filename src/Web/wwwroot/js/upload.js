// Direct uploads (docs/decisions/0010-direct-uploads.md): the app starts a multipart upload and
// signs part URLs; this script PUTs the parts straight to the bucket, four at a time, and asks the
// app to complete. Several files at once (picker or drag and drop), each with its progress, speed,
// time left, error, Pause/Resume and Cancel. The upload id is kept in localStorage (per user, file
// name, size and modification time), so choosing the same file after a reload resumes: the app
// lists the parts the bucket holds and only the missing ones are sent; Pause aborts the parts in
// flight and Resume sends the parts still missing. The app never lists uploads (IAM cannot limit that to a user's
// folder). When a batch is stored the page reloads the list and names every file of it in one
// notice. Without JavaScript the form posts the file to the app instead.
(function () {
  'use strict';
  var form = document.getElementById('upload-form');
  if (!form || !window.fetch || !window.XMLHttpRequest || !window.Blob || !Blob.prototype.slice) return;

  var CONCURRENCY = 4;
  var RETRIES = 4;
  var SIGN_BATCH = 20;
  // The names of the batch just stored, carried across the reload that shows them in the list.
  var STORED_KEY = 'cc-upload-stored';
  // A URL this close to its expiry is signed again before use.
  var EXPIRY_MARGIN_MS = 60 * 1000;

  var input = form.querySelector('input[type=file]');
  var overwrite = form.querySelector('#overwrite');
  var message = document.getElementById('upload-message');
  var token = form.querySelector('input[name="__RequestVerificationToken"]');
  var maxBytes = Number(form.dataset.maxDirectBytes);
  var user = form.dataset.user || '';
  var list = document.createElement('ul');
  list.id = 'upload-list';
  list.className = 'upload-list';
  form.parentNode.insertBefore(list, form.nextSibling);
  var label = document.getElementById('file-label');
  if (label && label.dataset.directText) label.textContent = label.dataset.directText;
  input.multiple = true;
  input.required = false;
  form.classList.add('drop-zone');
  var hint = document.createElement('p');
  hint.className = 'hint';
  hint.textContent = 'Choose one or more files, or drop them here.';
  form.insertBefore(hint, form.firstChild);

  var progressBox = document.getElementById('upload-progress');
  var overallBar = document.getElementById('upload-progress-bar');
  var overallText = document.getElementById('upload-progress-text');
  var uploads = [];
  var shownPercent = 0;
  var active = 0;
  var anyStored = false;

  // One notice for the whole batch: every file stored, not only the last one to finish.
  function storedNotice(names) {
    return names.length === 1 ? 'Uploaded ' + names[0] + '.' : names.length + ' files uploaded: ' + names.join(', ') + '.';
  }

  // Where the server puts its own notice (after the heading), so both look and read the same.
  function showNotice(names) {
    var old = document.getElementById('files-notice');
    if (old) old.remove();
    if (!names.length) return;
    var notice = document.createElement('p');
    notice.className = 'notice success';
    notice.setAttribute('role', 'status');
    notice.id = 'files-notice';
    notice.textContent = storedNotice(names);
    var heading = document.querySelector('main h1');
    if (heading) heading.insertAdjacentElement('afterend', notice);
    else form.parentNode.insertBefore(notice, form);
  }

  function takeStoredNames() {
    try {
      var names = JSON.parse(sessionStorage.getItem(STORED_KEY) || '[]');
      sessionStorage.removeItem(STORED_KEY);
      return Array.isArray(names) ? names.filter(function (n) { return typeof n === 'string'; }) : [];
    } catch (e) {
      return [];
    }
  }

  // Then the list with the new files, once the last upload has settled, and the notice naming them
  // all. Not while a row still has something to say (an error, a Replace button): the reload would
  // take it away, so the notice shows at once and each row keeps its own error.
  function reloadWhenSettled() {
    if (active > 0 || !anyStored) return;
    var names = uploads.filter(function (u) { return u.row.dataset.state === 'done'; }).map(function (u) { return u.file.name; });
    var settled = uploads.every(function (u) { return u.row.dataset.state === 'done' || u.row.dataset.state === 'cancelled'; });
    if (!settled) {
      if (uploads.every(function (u) { return u.row.dataset.state !== 'uploading' && u.row.dataset.state !== 'paused'; })) showNotice(names);
      return;
    }
    try {
      sessionStorage.setItem(STORED_KEY, JSON.stringify(names));
    } catch (e) {
      // No session storage: the list still shows the files, without the notice.
    }
    window.location.assign(window.location.pathname);
  }

  // All files of the current batch together; never goes back (a retried part restarts its own count).
  function overall() {
    var total = 0;
    var done = 0;
    uploads.forEach(function (u) {
      if (u.row.dataset.state === 'failed' || u.row.dataset.state === 'cancelled') return;
      total += u.file.size;
      done += u.row.dataset.state === 'done' ? u.file.size : u.doneBytes();
    });
    var percent = total ? Math.floor((done / total) * 100) : 0;
    if (percent < shownPercent) return;
    shownPercent = percent;
    overallBar.value = percent;
    overallText.textContent = percent + '%';
  }

  function show(msg) {
    message.textContent = msg;
    message.hidden = !msg;
  }

  function handlerUrl(name) {
    return form.dataset.handlerBase + (form.dataset.handlerBase.indexOf('?') < 0 ? '?' : '&') + 'handler=' + name;
  }

  // One JSON call to the page; a problem answer becomes an Error with .status and .problem.
  function call(handler, body) {
    return fetch(handlerUrl(handler), {
      method: 'POST',
      credentials: 'same-origin',
      redirect: 'manual',
      headers: { 'Content-Type': 'application/json', 'RequestVerificationToken': token ? token.value : '' },
      body: JSON.stringify(body)
    }).then(function (response) {
      if (response.type === 'opaqueredirect' || response.status === 401) {
        var signedOut = new Error('Your session has ended. Reload the page and sign in again.');
        signedOut.status = 401;
        throw signedOut;
      }
      if (response.status === 204) return null;
      return response.json().catch(function () { return {}; }).then(function (json) {
        if (response.ok) return json;
        var error = new Error((json && json.title) || ('The request failed (HTTP ' + response.status + ').'));
        error.status = response.status;
        error.problem = json;
        throw error;
      });
    });
  }

  function storageKey(file) {
    return 'cc-upload:' + user + ':' + file.name + ':' + file.size + ':' + file.lastModified;
  }

  function remember(file, session) {
    try {
      localStorage.setItem(storageKey(file), JSON.stringify({ uploadId: session.uploadId, partSize: session.partSize, partCount: session.partCount }));
    } catch (e) { /* private mode or full: no resume, the upload still works */ }
  }

  function remembered(file) {
    try {
      var value = JSON.parse(localStorage.getItem(storageKey(file)) || 'null');
      return value && typeof value.uploadId === 'string' ? value : null;
    } catch (e) {
      return null;
    }
  }

  function forget(file) {
    try { localStorage.removeItem(storageKey(file)); } catch (e) { /* nothing kept */ }
  }

  function formatBytes(n) {
    if (n < 1024) return n + ' B';
    if (n < 1048576) return (n / 1024).toFixed(1) + ' KB';
    if (n < 1073741824) return (n / 1048576).toFixed(1) + ' MB';
    return (n / 1073741824).toFixed(2) + ' GB';
  }

  function formatSeconds(s) {
    if (!isFinite(s)) return '…';
    if (s < 60) return Math.ceil(s) + ' s';
    if (s < 3600) return Math.floor(s / 60) + ' min ' + Math.ceil(s % 60) + ' s';
    return Math.floor(s / 3600) + ' h ' + Math.ceil((s % 3600) / 60) + ' min';
  }

  function delay(ms) {
    return new Promise(function (resolve) { setTimeout(resolve, ms); });
  }

  // One file's row and its upload.
  function Upload(file) {
    this.file = file;
    this.cancelled = false;
    this.paused = false;
    this.resumeWaiter = null;
    this.pausedMs = 0;
    this.requests = [];
    this.urls = {};
    this.loaded = {};
    this.sentBytes = 0;
    this.resumedParts = 0;

    var row = this.row = document.createElement('li');
    row.className = 'upload';
    row.dataset.name = file.name;
    var name = document.createElement('span');
    name.className = 'upload-name';
    name.textContent = file.name + ' (' + formatBytes(file.size) + ')';
    this.bar = document.createElement('progress');
    this.bar.max = 100;
    this.bar.value = 0;
    this.bar.setAttribute('aria-label', 'Upload progress of ' + file.name);
    this.status = document.createElement('span');
    this.status.className = 'upload-status';
    this.status.setAttribute('aria-live', 'polite');
    this.error = document.createElement('span');
    this.error.className = 'field-error upload-error';
    this.error.setAttribute('role', 'alert');
    this.error.hidden = true;
    this.cancelButton = document.createElement('button');
    this.cancelButton.type = 'button';
    this.cancelButton.className = 'secondary upload-cancel';
    this.cancelButton.textContent = 'Cancel';
    this.cancelButton.setAttribute('aria-label', 'Cancel the upload of ' + file.name);
    this.cancelButton.addEventListener('click', this.cancel.bind(this));
    // One button that says what it will do, its accessible name naming the file.
    this.pauseButton = document.createElement('button');
    this.pauseButton.type = 'button';
    this.pauseButton.className = 'secondary upload-pause';
    this.pauseButton.addEventListener('click', this.togglePause.bind(this));
    this.labelPause();
    this.pauseButton.hidden = true;
    row.append(name, ' ', this.bar, ' ', this.status, ' ', this.pauseButton, ' ', this.cancelButton, ' ', this.error);
    list.appendChild(row);
  }

  Upload.prototype.fail = function (text) {
    this.row.dataset.state = 'failed';
    this.error.textContent = text;
    this.error.hidden = false;
    this.cancelButton.hidden = true;
    this.pauseButton.hidden = true;
  };

  Upload.prototype.labelPause = function () {
    this.pauseButton.textContent = this.paused ? 'Resume' : 'Pause';
    this.pauseButton.setAttribute('aria-label', (this.paused ? 'Resume' : 'Pause') + ' the upload of ' + this.file.name);
  };

  Upload.prototype.togglePause = function () {
    if (this.paused) this.resume();
    else this.pause();
  };

  // Stops sending: the parts in flight are aborted (their bytes no longer count) and sent again on
  // Resume, with every part not yet in the bucket. The clock stops too, so speed and time left stay true.
  Upload.prototype.pause = function () {
    if (this.paused || this.cancelled || this.row.dataset.state !== 'uploading') return;
    this.paused = true;
    this.pausedAt = Date.now();
    this.row.dataset.state = 'paused';
    this.labelPause();
    var self = this;
    this.requests.slice().forEach(function (xhr) {
      self.loaded[xhr.partNumber] = 0;
      xhr.abort();
    });
    var percent = this.file.size ? Math.floor((this.doneBytes() / this.file.size) * 100) : 0;
    this.bar.value = percent;
    this.status.textContent = 'Paused at ' + percent + '%.';
  };

  Upload.prototype.resume = function () {
    if (!this.paused) return;
    this.paused = false;
    if (this.pausedAt) this.pausedMs += Date.now() - this.pausedAt;
    this.pausedAt = 0;
    this.row.dataset.state = 'uploading';
    this.labelPause();
    this.status.textContent = 'Resuming…';
    var wake = this.resumeWaiter;
    this.resumeWaiter = null;
    if (wake) wake();
  };

  Upload.prototype.whenResumed = function () {
    var self = this;
    if (!self.paused || self.cancelled) return Promise.resolve();
    return new Promise(function (resolve) { self.resumeWaiter = resolve; });
  };

  Upload.prototype.doneBytes = function () {
    var done = 0;
    var parts = this.loaded;
    Object.keys(parts).forEach(function (k) { done += parts[k]; });
    return Math.min(done, this.file.size);
  };

  Upload.prototype.progress = function () {
    var done = this.doneBytes();
    var percent = this.file.size ? Math.floor((done / this.file.size) * 100) : 100;
    this.bar.value = percent;
    if (this.paused) return;
    var elapsed = (Date.now() - this.startedAt - this.pausedMs) / 1000;
    var speed = elapsed > 0.5 ? (done - this.resumedBytes) / elapsed : 0;
    var left = speed > 0 ? (this.file.size - done) / speed : Infinity;
    this.status.textContent = percent + '% · ' + (speed > 0 ? formatBytes(Math.round(speed)) + '/s' : '…') + ' · ' + formatSeconds(left) + ' left';
    overall();
  };

  Upload.prototype.run = function (replace) {
    var self = this;
    var file = self.file;
    active++;
    self.row.dataset.state = 'uploading';
    self.status.textContent = 'Starting…';
    self.pauseButton.hidden = false;
    return self.open().then(function () {
      self.startedAt = Date.now();
      self.pausedMs = 0;
      if (self.pausedAt) self.pausedAt = self.startedAt;
      self.progress();
      return self.sendMissing();
    }).then(function () {
      self.pauseButton.hidden = true;
      return self.complete(replace);
    }).catch(function (error) {
      self.pauseButton.hidden = true;
      if (self.cancelled) return;
      if (error.status === 409) {
        self.offerReplace();
        return;
      }
      if (error.status === 404) forget(file);
      self.fail(error.message || 'The upload failed. Please try again.');
    }).then(function () {
      active--;
      reloadWhenSettled();
    });
  };

  // Resumes the upload this browser remembers for the file, or starts one.
  Upload.prototype.open = function () {
    var self = this;
    var file = self.file;
    var kept = remembered(file);
    self.etags = {};
    self.resumedBytes = 0;
    var resume = kept
      ? call('ListParts', { name: file.name, uploadId: kept.uploadId }).then(function (parts) {
        self.uploadId = kept.uploadId;
        self.partSize = kept.partSize;
        self.partCount = kept.partCount;
        parts.forEach(function (p) {
          var expected = Math.min(self.partSize, file.size - (p.partNumber - 1) * self.partSize);
          // A part of the wrong size (another file) is sent again.
          if (p.size === expected) {
            self.etags[p.partNumber] = p.eTag;
            self.loaded[p.partNumber] = p.size;
            self.resumedBytes += p.size;
            self.resumedParts++;
          }
        });
        self.row.dataset.resumedParts = String(self.resumedParts);
        return true;
      }).catch(function (error) {
        if (error.status === 404) {
          forget(file);
          return false;
        }
        throw error;
      })
      : Promise.resolve(false);
    return resume.then(function (resumed) {
      if (resumed) return;
      return call('StartUpload', { name: file.name, size: file.size, contentType: file.type || null }).then(function (session) {
        self.uploadId = session.uploadId;
        self.partSize = session.partSize;
        self.partCount = session.partCount;
        self.keep(session.parts);
        remember(file, session);
      });
    });
  };

  Upload.prototype.keep = function (urls) {
    var self = this;
    urls.forEach(function (u) { self.urls[u.partNumber] = u; });
  };

  Upload.prototype.urlFor = function (n) {
    var self = this;
    var known = self.urls[n];
    if (known && Date.parse(known.expiresAt) - Date.now() > EXPIRY_MARGIN_MS) return Promise.resolve(known.url);
    var last = Math.min(self.partCount, n + SIGN_BATCH - 1);
    return call('SignParts', { name: self.file.name, uploadId: self.uploadId, firstPart: n, lastPart: last }).then(function (urls) {
      self.keep(urls);
      return self.urls[n].url;
    });
  };

  // Every part the bucket does not hold yet, CONCURRENCY at a time; after a pause, on Resume, again
  // with what is still missing (the parts aborted by the pause among them).
  Upload.prototype.sendMissing = function () {
    var self = this;
    if (self.cancelled) return Promise.resolve();
    if (self.paused) return self.whenResumed().then(function () { return self.sendMissing(); });
    var missing = [];
    for (var n = 1; n <= self.partCount; n++) {
      if (!self.etags[n]) missing.push(n);
    }
    var workers = [];
    for (var w = 0; w < Math.min(CONCURRENCY, missing.length); w++) workers.push(self.worker(missing));
    return Promise.all(workers).then(function () {
      // A part aborted by a pause is missing still (also when Resume came before the workers stopped).
      if (self.cancelled) return undefined;
      for (var m = 1; m <= self.partCount; m++) {
        if (!self.etags[m]) return self.sendMissing();
      }
      return undefined;
    });
  };

  Upload.prototype.worker = function (queue) {
    var self = this;
    function next() {
      if (self.cancelled || self.paused || queue.length === 0) return Promise.resolve();
      var n = queue.shift();
      return self.sendPart(n, 0).then(next);
    }
    return next();
  };

  // PUTs one part: the bytes alone (no type, no extra header, so no preflight the bucket's CORS refuses).
  Upload.prototype.sendPart = function (n, attempt) {
    var self = this;
    var start = (n - 1) * self.partSize;
    var blob = self.file.slice(start, Math.min(start + self.partSize, self.file.size));
    return self.urlFor(n).then(function (url) {
      return new Promise(function (resolve, reject) {
        if (self.paused || self.cancelled) {
          resolve();
          return;
        }
        var xhr = new XMLHttpRequest();
        xhr.partNumber = n;
        self.requests.push(xhr);
        xhr.addEventListener('loadend', function () {
          var i = self.requests.indexOf(xhr);
          if (i >= 0) self.requests.splice(i, 1);
        });
        xhr.open('PUT', url);
        xhr.upload.addEventListener('progress', function (e) {
          if (self.paused) return;
          self.loaded[n] = e.loaded;
          self.progress();
        });
        xhr.addEventListener('load', function () {
          var etag = xhr.getResponseHeader('ETag');
          if (xhr.status >= 200 && xhr.status < 300 && etag) {
            self.etags[n] = etag;
            self.loaded[n] = blob.size;
            self.progress();
            resolve();
          } else {
            var error = new Error('The storage refused part ' + n + ' (HTTP ' + xhr.status + ').');
            error.status = xhr.status === 404 ? 404 : 0;
            error.retry = xhr.status >= 500 || xhr.status === 403 || xhr.status === 400;
            reject(error);
          }
        });
        xhr.addEventListener('error', function () {
          var error = new Error('The connection to the storage was lost.');
          error.retry = true;
          reject(error);
        });
        xhr.addEventListener('abort', function () {
          var error = new Error('Cancelled.');
          error.paused = self.paused && !self.cancelled;
          reject(error);
        });
        xhr.send(blob);
      });
    }).catch(function (error) {
      if (self.paused && !self.cancelled) {
        // Aborted by Pause (or failed meanwhile): not in the bucket, so Resume sends it again.
        self.loaded[n] = 0;
        return;
      }
      if (self.cancelled || !error.retry || attempt >= RETRIES) throw error;
      self.loaded[n] = 0;
      // A 403/400 may be an expired URL: sign it again.
      delete self.urls[n];
      return delay(1000 * Math.pow(2, attempt)).then(function () {
        if (self.paused || self.cancelled) return undefined;
        return self.sendPart(n, attempt + 1);
      });
    });
  };

  Upload.prototype.complete = function (replace) {
    var self = this;
    if (self.cancelled) return Promise.resolve();
    var parts = [];
    for (var n = 1; n <= self.partCount; n++) parts.push({ partNumber: n, eTag: self.etags[n] });
    self.status.textContent = 'Finishing…';
    return call('CompleteUpload', { name: self.file.name, uploadId: self.uploadId, parts: parts, overwrite: !!replace }).then(function () {
      forget(self.file);
      anyStored = true;
      self.bar.value = 100;
      self.row.dataset.state = 'done';
      self.status.textContent = 'Uploaded.';
      self.cancelButton.hidden = true;
      self.pauseButton.hidden = true;
      overall();
    });
  };

  // The name is taken: the parts are all there, so Replace only completes again, unconditionally.
  Upload.prototype.offerReplace = function () {
    var self = this;
    // The one message is the page's; the row holds the file's Replace button.
    var clash = 'A file named "' + self.file.name + '" already exists.';
    show(message.hidden ? clash : message.textContent + ' ' + clash);
    self.row.dataset.state = 'exists';
    self.status.textContent = 'Already exists.';
    self.error.textContent = '';
    self.error.hidden = false;
    self.cancelButton.hidden = false;
    var replace = document.createElement('button');
    replace.type = 'button';
    if (!document.getElementById('replace-button')) replace.id = 'replace-button';
    replace.className = 'secondary upload-replace';
    replace.textContent = 'Replace it';
    replace.setAttribute('aria-label', 'Replace it: ' + self.file.name);
    replace.addEventListener('click', function () {
      replace.remove();
      self.error.hidden = true;
      show('');
      active++;
      self.complete(true).catch(function (error) {
        if (!self.cancelled) self.fail(error.message);
      }).then(function () {
        active--;
        reloadWhenSettled();
      });
    });
    self.error.appendChild(replace);
  };

  Upload.prototype.cancel = function () {
    var self = this;
    self.cancelled = true;
    self.requests.slice().forEach(function (xhr) { xhr.abort(); });
    self.cancelButton.hidden = true;
    self.pauseButton.hidden = true;
    var wake = self.resumeWaiter;
    self.resumeWaiter = null;
    if (wake) wake();
    self.status.textContent = 'Cancelling…';
    forget(self.file);
    var abort = self.uploadId
      ? call('AbortUpload', { name: self.file.name, uploadId: self.uploadId }).catch(function (error) {
        if (error.status !== 404) throw error;
      })
      : Promise.resolve();
    abort.then(function () {
      self.row.dataset.state = 'cancelled';
      self.status.textContent = 'Cancelled.';
      reloadWhenSettled();
    }, function (error) {
      self.fail('Cancelling failed: ' + error.message);
    });
  };

  function clearEarlierMessages() {
    ['files-notice', 'files-clash'].forEach(function (id) {
      var old = document.getElementById(id);
      if (old) old.remove();
    });
    var summary = document.getElementById('files-errors');
    if (summary) summary.replaceChildren();
  }

  function startAll(files) {
    clearEarlierMessages();
    show('');
    if (active === 0) {
      uploads = [];
      shownPercent = 0;
      overallBar.value = 0;
      overallText.textContent = '0%';
    }
    progressBox.hidden = false;
    Array.prototype.forEach.call(files, function (file) {
      var upload = new Upload(file);
      uploads.push(upload);
      if (file.size === 0) {
        upload.fail('The file is empty: choose a file with content.');
      } else if (maxBytes && file.size > maxBytes) {
        upload.fail('The file is too large: at most ' + formatBytes(maxBytes) + '.');
      } else {
        upload.run(overwrite && overwrite.checked);
      }
    });
  }

  showNotice(takeStoredNames());

  form.addEventListener('submit', function (e) {
    e.preventDefault();
    if (!input.files || input.files.length === 0) {
      show('Choose a file to upload.');
      return;
    }
    startAll(input.files);
    input.value = '';
  });

  ['dragenter', 'dragover'].forEach(function (type) {
    form.addEventListener(type, function (e) {
      e.preventDefault();
      form.classList.add('dragging');
    });
  });
  ['dragleave', 'drop'].forEach(function (type) {
    form.addEventListener(type, function () { form.classList.remove('dragging'); });
  });
  form.addEventListener('drop', function (e) {
    e.preventDefault();
    if (e.dataTransfer && e.dataTransfer.files && e.dataTransfer.files.length) startAll(e.dataTransfer.files);
  });
})();
