// Recent loads on the load page: the latest loads of the tables the caller may read (GET api/v1/loads), refreshed
// every 2 s while one runs and every 15 s otherwise; a running load shows its progress and a Cancel button, a
// finished one opens its report and its rejects downloads. No framework and no build step. Credentials are the
// ones typed into the page's Credentials fields (load.js's), read at each request and never stored.
(function () {
  'use strict';

  var FAST_MS = 2000;   // while a load runs
  var SLOW_MS = 15000;  // while none does
  var LIMIT = 20;
  var $ = function (id) { return document.getElementById(id); };
  var timer = null;
  var inFlight = false;
  var loads = [];       // the list as last shown
  var opened = null;    // the id of the load whose report is open

  // ---- requests --------------------------------------------------------------------------------------------------

  // the page's own credentials: load.js may expose them; else read the same fields it reads
  function authHeaders() {
    var page = window.bulkloadPage;
    if (page && typeof page.authHeaders === 'function') { return page.authHeaders(); }
    var secret = $('auth-secret') ? $('auth-secret').value.trim() : '';
    if (!secret) { return {}; }
    return ($('auth-kind') && $('auth-kind').value === 'bearer') ? { 'Authorization': 'Bearer ' + secret }
      : { 'X-API-Key': secret };
  }

  function request(method, path, accept) {
    var headers = authHeaders();
    headers['Accept'] = accept || 'application/json, application/problem+json';
    return fetch(path, { method: method, headers: headers, cache: 'no-store' });
  }

  function problemText(response) {
    return response.json().then(function (problem) {
      return (problem && (problem.detail || problem.title)) || ('the service answered ' + response.status);
    }, function () { return 'the service answered ' + response.status; });
  }

  // ---- formatting ------------------------------------------------------------------------------------------------

  function el(tag, value, className) {
    var node = document.createElement(tag);
    if (value !== undefined && value !== null) { node.textContent = String(value); }
    if (className) { node.className = className; }
    return node;
  }

  function number(n) { return (typeof n === 'number') ? n.toLocaleString('en-US') : '–'; }

  function size(bytes) {
    if (typeof bytes !== 'number') { return '–'; }
    if (bytes < 1024) { return bytes + ' B'; }
    var units = ['KB', 'MB', 'GB', 'TB'];
    var value = bytes;
    var unit = -1;
    do { value /= 1024; unit++; } while (value >= 1024 && unit < units.length - 1);
    return value.toFixed(1) + ' ' + units[unit];
  }

  function started(iso) {
    var date = new Date(iso);
    if (isNaN(date.getTime())) { return '–'; }
    var now = new Date();
    var time = date.toLocaleTimeString([], { hour: '2-digit', minute: '2-digit', second: '2-digit' });
    return date.toDateString() === now.toDateString() ? time
      : date.toLocaleDateString([], { year: 'numeric', month: 'short', day: 'numeric' }) + ' ' + time;
  }

  function duration(ms) {
    if (typeof ms !== 'number') { return '–'; }
    if (ms < 60000) { return (ms / 1000).toFixed(1) + ' s'; }
    var minutes = Math.floor(ms / 60000);
    return minutes + ' min ' + Math.round((ms % 60000) / 1000) + ' s';
  }

  // who sent it: the principal without its kind (key:, jwt:), or nobody named when authentication is off
  function who(load) {
    if (!load.principal) { return '–'; }
    return load.principal.replace(/^(key|jwt|legacy):/, '');
  }

  function statusText(load) {
    if (load.status === 'running') { return load.cancelRequested ? 'cancelling…' : 'running'; }
    if (load.status === 'succeeded' && load.dryRun) { return 'dry run'; }
    if (load.status === 'succeeded' && load.rowsRejected > 0) { return 'loaded, ' + number(load.rowsRejected) + ' rejected'; }
    return { succeeded: 'loaded', failed: 'failed', cancelled: 'cancelled' }[load.status] || load.status;
  }

  // ---- the list --------------------------------------------------------------------------------------------------

  function refresh() {
    clearTimeout(timer);
    if (inFlight) { schedule(FAST_MS); return; }
    inFlight = true;
    request('GET', 'api/v1/loads?limit=' + LIMIT).then(function (response) {
      if (response.status === 401) {
        show([], 'Enter credentials above (Credentials) to see the loads of your tables.');
        return;
      }
      if (response.status === 403) {
        return problemText(response).then(function (text) { show([], 'Not allowed to list loads: ' + text); });
      }
      if (!response.ok) {
        return problemText(response).then(function (text) { show(loads, 'Could not list the loads: ' + text); });
      }
      return response.json().then(function (page) {
        var list = Array.isArray(page) ? page : (page.loads || []);
        show(list, list.length ? '' : 'No loads yet of the tables you may read.');
      });
    }).catch(function (error) {
      show(loads, 'Could not list the loads: ' + error.message);
    }).then(function () {
      inFlight = false;
      // this page's own upload may not be listed yet (a load is listed from its first chunk or after 2 s)
      var busy = ['uploading', 'processing'].indexOf(document.body.dataset.state) >= 0;
      schedule(busy || loads.some(function (load) { return load.status === 'running'; }) ? FAST_MS : SLOW_MS);
    });
  }

  function schedule(ms) {
    clearTimeout(timer);
    if (!document.hidden) { timer = setTimeout(refresh, ms); }
  }

  function show(list, message) {
    loads = list;
    var status = $('recent-status');
    var running = list.filter(function (load) { return load.status === 'running'; }).length;
    status.textContent = message || (list.length + (list.length === 1 ? ' load' : ' loads')
      + (running ? ', ' + running + ' running (refreshed every 2 s)' : ''));
    $('recent-table').hidden = list.length === 0;
    render(list);
    if (opened) {
      var load = list.find(function (l) { return l.id === opened; });
      if (load) { fillReport(load); }
    }
  }

  // rows are kept per load and updated in place, so a focused Cancel or Report button keeps its focus
  function render(list) {
    var body = document.querySelector('#recent-table tbody');
    var rows = {};
    Array.prototype.forEach.call(body.rows, function (row) { rows[row.dataset.id] = row; });
    var wanted = list.map(function (load) {
      var row = rows[load.id] || createRow(load);
      delete rows[load.id];
      updateRow(row, load);
      return row;
    });
    Object.keys(rows).forEach(function (id) { rows[id].remove(); });
    var current = Array.prototype.slice.call(body.rows);
    var same = current.length === wanted.length && wanted.every(function (row, i) { return current[i] === row; });
    if (!same) { wanted.forEach(function (row) { body.appendChild(row); }); }
  }

  function cell(row, name, label) {
    var td = el('td', null, 'recent-' + name);
    td.dataset.label = label;
    row.appendChild(td);
    return td;
  }

  function createRow(load) {
    var row = el('tr');
    row.dataset.id = load.id;
    var status = cell(row, 'status', 'Status');
    status.appendChild(el('span', null, 'recent-state'));
    var progress = el('progress');
    progress.hidden = true;
    status.appendChild(progress);
    cell(row, 'table', 'Table');
    cell(row, 'rows', 'Rows');
    cell(row, 'rejects', 'Rejects');
    cell(row, 'rate', 'Rows/s');
    var time = el('time');
    cell(row, 'started', 'Started').appendChild(time);
    cell(row, 'who', 'Who');
    var actions = cell(row, 'actions', '');
    var cancel = el('button', 'Cancel', 'recent-cancel');
    cancel.type = 'button';
    cancel.addEventListener('click', function () { cancelLoad(row.dataset.id, cancel); });
    var report = el('button', 'Report', 'recent-open');
    report.type = 'button';
    report.addEventListener('click', function () { openReport(row.dataset.id); });
    actions.append(cancel, report);
    return row;
  }

  function updateRow(row, load) {
    var running = load.status === 'running';
    row.dataset.status = load.status;
    row.className = 'recent-' + load.status;
    var state = row.querySelector('.recent-state');
    state.textContent = statusText(load);
    var progress = row.querySelector('progress');
    progress.hidden = !running;
    progress.setAttribute('aria-label', 'Load into ' + load.table + ' running');
    var table = row.querySelector('.recent-table');
    table.textContent = load.table;
    table.title = load.source ? 'from ' + load.source : '';
    var rows = row.querySelector('.recent-rows');
    rows.textContent = number(load.rowsReceived) + (running ? ' so far' : '');
    rows.dataset.value = String(load.rowsReceived);
    rows.title = 'inserted ' + number(load.rowsInserted) + ', updated ' + number(load.rowsUpdated) + ', skipped '
      + number(load.rowsSkipped) + (load.atomic || load.dryRun ? '' : ', committed ' + number(load.rowsCommitted));
    var rejects = row.querySelector('.recent-rejects');
    rejects.textContent = number(load.rowsRejected);
    rejects.dataset.value = String(load.rowsRejected);
    row.querySelector('.recent-rate').textContent = number(load.rowsPerSecond);
    var time = row.querySelector('time');
    time.dateTime = load.startedAt || '';
    time.textContent = started(load.startedAt);
    time.title = load.startedAt || '';
    row.querySelector('.recent-who').textContent = who(load);
    var cancel = row.querySelector('.recent-cancel');
    cancel.hidden = !running;
    cancel.disabled = running && load.cancelRequested;
    cancel.setAttribute('aria-label', 'Cancel the load into ' + load.table + ' started ' + started(load.startedAt));
    var report = row.querySelector('.recent-open');
    report.setAttribute('aria-label', 'Report of the load into ' + load.table + ' started ' + started(load.startedAt));
  }

  // ---- cancel ----------------------------------------------------------------------------------------------------

  function cancelLoad(id, button) {
    button.disabled = true;
    request('DELETE', 'api/v1/loads/' + encodeURIComponent(id)).then(function (response) {
      if (response.status === 202) {
        $('recent-status').textContent = 'Cancel requested; the load stops within seconds.';
        return;
      }
      return problemText(response).then(function (text) {
        button.disabled = false;
        $('recent-status').textContent = (response.status === 403 ? 'You may see but not cancel this load: '
          : response.status === 409 ? 'Not cancelled: ' : 'Could not cancel: ') + text;
      });
    }).catch(function (error) {
      button.disabled = false;
      $('recent-status').textContent = 'Could not cancel: ' + error.message;
    }).then(function () { refresh(); });
  }

  // ---- one load's report -----------------------------------------------------------------------------------------

  function openReport(id) {
    opened = id;
    var load = loads.find(function (l) { return l.id === id; });
    if (load) { fillReport(load); }
    $('recent-report').hidden = false;
    $('recent-report-title').focus();
    // the list may be older than the load: read it on its own
    request('GET', 'api/v1/loads/' + encodeURIComponent(id)).then(function (response) {
      return response.ok ? response.json() : null;
    }).then(function (fresh) { if (fresh && opened === id) { fillReport(fresh); } }).catch(function () {});
  }

  function closeReport() {
    var id = opened;
    opened = null;
    $('recent-report').hidden = true;
    var row = document.querySelector('#recent-table tbody tr[data-id="' + (window.CSS ? CSS.escape(id) : id) + '"]');
    if (row) { row.querySelector('.recent-open').focus(); }
  }

  function fillReport(load) {
    $('recent-report').dataset.id = load.id;
    $('recent-report').dataset.status = load.status;
    $('recent-report-title').textContent = 'Load into ' + load.table + ', ' + statusText(load);
    var summary = $('recent-report-summary');
    summary.replaceChildren();
    function item(label, value, name) {
      var dd = el('dd', value);
      if (name) { dd.dataset.name = name; }
      summary.append(el('dt', label), dd);
    }
    item('Status', statusText(load), 'status');
    item('Table', load.table);
    if (load.source) { item('File', load.source); }
    item('Format', [load.format, load.mode, load.method, load.atomic ? 'atomic' : 'a commit per chunk']
      .concat(load.dryRun ? ['dry run'] : []).join(', '));
    var options = load.options || {};
    var used = Object.keys(options).map(function (name) { return name + '=' + options[name]; });
    if (used.length) { item('Options', used.join(', ')); }
    item('Rows received', number(load.rowsReceived), 'rowsReceived');
    item('Inserted', number(load.rowsInserted));
    item('Updated', number(load.rowsUpdated));
    item('Skipped', number(load.rowsSkipped));
    item('Rejected', number(load.rowsRejected), 'rowsRejected');
    if (!load.atomic && !load.dryRun) { item('Committed', number(load.rowsCommitted)); }
    item('Bytes read', size(load.bytesRead));
    item('Duration', duration(load.durationMs));
    item('Rate', number(load.rowsPerSecond) + ' rows/s');
    item('Started', load.startedAt ? new Date(load.startedAt).toLocaleString() : '–');
    if (load.finishedAt) { item('Finished', new Date(load.finishedAt).toLocaleString()); }
    item('Who', who(load));
    item('Id', load.id);
    var problem = $('recent-report-problem');
    if (load.problem) {
      problem.textContent = (load.problem.title || 'Failed') + (load.problem.detail ? ': ' + load.problem.detail : '');
      problem.hidden = false;
    }
    else { problem.hidden = true; }
    var downloads = $('recent-report-downloads');
    downloads.hidden = !(load.rowsRejected > 0);
    if (load.rowsRejected > 0) { offerDownloads(load); }
  }

  function offerDownloads(load) {
    var base = 'api/v1/loads/' + encodeURIComponent(load.id) + '/rejects';
    var report = $('recent-rejects-report');
    report.href = base;
    report.setAttribute('download', 'rejects-' + load.id + '.csv');
    report.dataset.accept = 'text/csv';
    var records = $('recent-rejects-records');
    var csv = load.format === 'csv';
    records.href = base + '?form=records';
    records.textContent = 'Rejected records to fix and load again (' + (csv ? 'CSV' : 'NDJSON') + ')';
    records.setAttribute('download', fileName(load, csv));
    records.dataset.accept = csv ? 'text/csv' : 'application/x-ndjson';
  }

  // what the service names the file too (its Content-Disposition wins where the browser follows the link)
  function fileName(load, csv) {
    var table = String(load.table).replace(/^public\./, '');
    var source = load.source ? String(load.source).split(/[\\/]/).pop().replace(/\.gz$/i, '') : '';
    if (!source) { return table + '-rejects-' + load.id + (csv ? '.csv' : '.ndjson'); }
    if (!csv) { source = source.replace(/\.(json|ndjson|jsonl)$/i, '') + '.ndjson'; }
    return table + '-rejects-' + source;
  }

  // with credentials a plain link would be refused: fetch with them and save what comes back
  function download(event) {
    var headers = authHeaders();
    if (!Object.keys(headers).length) { return; }
    event.preventDefault();
    var link = event.currentTarget;
    request('GET', link.href, link.dataset.accept).then(function (response) {
      if (!response.ok) { return problemText(response).then(function (text) { throw new Error(text); }); }
      return response.blob();
    }).then(function (blob) {
      var url = URL.createObjectURL(blob);
      var save = el('a');
      save.href = url;
      save.download = link.getAttribute('download') || 'rejects';
      document.body.appendChild(save);
      save.click();
      save.remove();
      setTimeout(function () { URL.revokeObjectURL(url); }, 10000);
    }).catch(function (error) {
      $('recent-status').textContent = 'Could not download: ' + error.message;
    });
  }

  // ---- wiring ----------------------------------------------------------------------------------------------------

  document.addEventListener('DOMContentLoaded', function () {
    if (!$('recent-loads')) { return; }
    $('recent-refresh').addEventListener('click', refresh);
    $('recent-report-close').addEventListener('click', closeReport);
    $('recent-rejects-report').addEventListener('click', download);
    $('recent-rejects-records').addEventListener('click', download);
    $('recent-report').addEventListener('keydown', function (e) { if (e.key === 'Escape') { closeReport(); } });
    // new credentials: list again with them
    if ($('reload-tables')) { $('reload-tables').addEventListener('click', refresh); }
    if ($('auth-kind')) { $('auth-kind').addEventListener('change', refresh); }
    if ($('auth-secret')) {
      $('auth-secret').addEventListener('change', refresh);
      $('auth-secret').addEventListener('keydown', function (e) { if (e.key === 'Enter') { refresh(); } });
    }
    document.addEventListener('bulkload:credentials', refresh);
    // a load started or ended on this page (load.js sets body[data-state]): list again at once
    new MutationObserver(function () {
      var state = document.body.dataset.state;
      if (state === 'processing' || state === 'done' || state === 'failed') { refresh(); }
      if (state === 'uploading') { schedule(FAST_MS); }
    }).observe(document.body, { attributes: true, attributeFilter: ['data-state'] });
    // a hidden tab stops polling; shown again, it lists at once
    document.addEventListener('visibilitychange', function () {
      if (document.hidden) { clearTimeout(timer); }
      else { refresh(); }
    });
    refresh();
  });
}());
