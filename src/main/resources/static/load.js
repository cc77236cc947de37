// The load page: picks a table, uploads a file with progress, shows the report and its rejects.
// No framework and no build step; credentials live only in the password field, never in storage.
(function () {
  'use strict';

  var POLL_MS = 500;
  var $ = function (id) { return document.getElementById(id); };
  var tables = [];
  var upload = null; // the running upload: { xhr, poller }

  function setState(state) { document.body.dataset.state = state; }

  function authHeaders() {
    var secret = $('auth-secret').value.trim();
    if (!secret) { return {}; }
    return $('auth-kind').value === 'bearer' ? { 'Authorization': 'Bearer ' + secret } : { 'X-API-Key': secret };
  }

  function get(path) {
    var headers = authHeaders();
    headers['Accept'] = 'application/json';
    return fetch(path, { headers: headers, cache: 'no-store' });
  }

  function text(element, value) { element.textContent = value; return element; }

  function el(tag, value, className) {
    var node = document.createElement(tag);
    if (value !== undefined && value !== null) { node.textContent = String(value); }
    if (className) { node.className = className; }
    return node;
  }

  function number(n) { return (typeof n === 'number') ? n.toLocaleString('en-US') : '–'; }

  function size(bytes) {
    if (bytes < 1024) { return bytes + ' B'; }
    var units = ['KB', 'MB', 'GB', 'TB'];
    var value = bytes;
    var unit = -1;
    do { value /= 1024; unit++; } while (value >= 1024 && unit < units.length - 1);
    return value.toFixed(1) + ' ' + units[unit];
  }

  // ---- tables -------------------------------------------------------------------------------------------------

  function loadTables() {
    var select = $('table');
    var chosen = select.value;
    return get('api/v1/tables').then(function (response) {
      if (response.status === 401) {
        tables = [];
        fillTables(chosen);
        $('credentials').open = true;
        text($('table-info'), 'This service needs credentials: enter an API key or a bearer token above, '
          + 'then choose Reload tables.');
        return;
      }
      if (!response.ok) { throw new Error('the service answered ' + response.status); }
      return response.json().then(function (list) {
        tables = Array.isArray(list) ? list : [];
        fillTables(chosen);
        showTable();
      });
    }).catch(function (error) {
      text($('table-info'), 'Could not list the tables: ' + error.message);
    });
  }

  function fillTables(chosen) {
    var select = $('table');
    select.replaceChildren();
    var placeholder = el('option', tables.length ? '(choose a table)' : '(no tables)');
    placeholder.value = '';
    select.appendChild(placeholder);
    tables.forEach(function (table) {
      var option = el('option', table.qualifiedName);
      option.value = table.qualifiedName;
      select.appendChild(option);
    });
    if (chosen && tables.some(function (t) { return t.qualifiedName === chosen; })) { select.value = chosen; }
    else if (tables.length === 1) { select.value = tables[0].qualifiedName; }
  }

  function showTable() {
    var info = $('table-info');
    info.replaceChildren();
    var table = tables.find(function (t) { return t.qualifiedName === $('table').value; });
    if (!table) { return; }
    var columns = el('ul');
    table.columns.forEach(function (column) {
      var item = el('li');
      var required = !column.nullable && !column.hasDefault && !column.generated;
      item.appendChild(el('span', column.name, required ? 'required' : ''));
      var notes = [column.type];
      if (required) { notes.push('required'); }
      if (column.hasDefault) { notes.push('has a default'); }
      if (column.generated) { notes.push('generated, not loadable'); }
      item.appendChild(document.createTextNode(' — ' + notes.join(', ')));
      columns.appendChild(item);
    });
    info.appendChild(el('p', 'Columns:'));
    info.appendChild(columns);
    var keys = [];
    if (table.primaryKey && table.primaryKey.length) { keys.push('primary key (' + table.primaryKey.join(', ') + ')'); }
    (table.uniqueKeys || []).forEach(function (key) { keys.push('unique (' + key.join(', ') + ')'); });
    info.appendChild(el('p', 'Keys: ' + (keys.length ? keys.join('; ') : 'none')));
  }

  // ---- the load -----------------------------------------------------------------------------------------------

  function query() {
    var params = new URLSearchParams();
    var mode = $('mode').value;
    if (mode !== 'insert') {
      params.set('mode', mode);
      if ($('key').value.trim()) { params.set('key', $('key').value.trim()); }
    }
    if ($('method').value !== 'copy') { params.set('method', $('method').value); }
    if (!$('atomic').checked) { params.set('atomic', 'false'); }
    if ($('onError').value !== 'abort') { params.set('onError', $('onError').value); }
    if ($('unknownFields').value !== 'reject') { params.set('unknownFields', $('unknownFields').value); }
    if ($('match').value !== 'exact') { params.set('match', $('match').value); }
    $('map').value.split('\n').forEach(function (entry) {
      if (entry.trim()) { params.append('map', entry.replace(/\r$/, '')); }
    });
    if ($('dryRun').checked) { params.set('dryRun', 'true'); }
    if ($('recordsPath').value.trim()) { params.set('recordsPath', $('recordsPath').value.trim()); }
    if ($('dateStyle').value) { params.set('dateStyle', $('dateStyle').value); }
    if ($('charset').value !== 'utf-8') { params.set('charset', $('charset').value); }
    var text = params.toString();
    return text ? '?' + text : '';
  }

  function start(event) {
    event.preventDefault();
    var table = $('table').value;
    var file = $('file').files[0];
    if (!table || !file) {
      showProblemText(!table ? 'Choose a table first.' : 'Choose a file first.');
      (!table ? $('table') : $('file')).focus();
      return;
    }
    resetResult();
    setState('uploading');
    $('load').disabled = true;
    $('cancel').hidden = false;
    $('progress-section').hidden = false;
    showBytes(0, file.size);
    text($('rows-text'), '');
    delete $('rows-text').dataset.rowsReceived;

    var xhr = new XMLHttpRequest();
    var key = idempotencyKey();
    var poller = registryPoller(table, key);
    upload = { xhr: xhr, poller: poller };
    xhr.open('POST', 'api/v1/tables/' + encodeURIComponent(table) + '/rows' + query());
    var headers = authHeaders();
    Object.keys(headers).forEach(function (name) { xhr.setRequestHeader(name, headers[name]); });
    xhr.setRequestHeader('Accept', 'application/json, application/problem+json');
    // names this upload's load in the registry (and makes a retry of it safe where the service supports that)
    xhr.setRequestHeader('Idempotency-Key', '"' + key + '"');
    xhr.upload.addEventListener('progress', function (e) {
      // the request is the file plus a little multipart framing: show it as the file's bytes
      var sent = (e.lengthComputable && e.total > 0) ? Math.min(file.size, Math.round(e.loaded * file.size / e.total))
        : e.loaded;
      showBytes(sent, file.size);
    });
    xhr.upload.addEventListener('load', function () {
      showBytes(file.size, file.size);
      if (document.body.dataset.state === 'uploading') {
        setState('processing');
        if (!$('rows-text').textContent) { text($('rows-text'), 'Sent; the service is finishing the load…'); }
      }
    });
    xhr.addEventListener('load', function () { finish(xhr, file); });
    xhr.addEventListener('error', function () {
      end();
      showProblemText('The connection closed before the service answered. An atomic load leaves nothing behind.');
    });
    xhr.addEventListener('abort', function () {
      end();
      showProblemText('Upload stopped. An atomic load leaves nothing behind.');
    });
    var form = new FormData();
    form.append('file', file, file.name);
    poller.begin().then(function () { xhr.send(form); });
  }

  function showBytes(sent, total) {
    var percent = total > 0 ? Math.min(100, Math.floor(sent * 100 / total)) : 100;
    var progress = $('upload-progress');
    progress.value = percent;
    progress.textContent = percent + ' %';
    progress.dataset.percent = String(percent);
    text($('bytes-text'), size(sent) + ' of ' + size(total) + ' sent (' + percent + ' %)');
  }

  function end() {
    if (upload) { upload.poller.stop(); }
    upload = null;
    $('load').disabled = false;
    $('cancel').hidden = true;
  }

  function finish(xhr, file) {
    end();
    if (!$('rows-text').dataset.rowsReceived) { text($('rows-text'), ''); }
    var body = null;
    try { body = JSON.parse(xhr.responseText); } catch (ignored) { body = null; }
    if (xhr.status === 200 && body) {
      showBytes(file.size, file.size);
      showReport(body, loadId(xhr, body));
      setState('done');
    }
    else {
      showProblem(xhr.status, body);
      setState('failed');
    }
    $('result').hidden = false;
  }

  function loadId(xhr, report) {
    if (report.id) { return report.id; }
    var location = xhr.getResponseHeader('Location');
    var match = location && /\/loads\/([^/?#]+)/.exec(location);
    return match ? decodeURIComponent(match[1]) : null;
  }

  // a fresh random key per Load (crypto.getRandomValues works outside secure contexts too, randomUUID does not)
  function idempotencyKey() {
    var bytes = new Uint8Array(16);
    crypto.getRandomValues(bytes);
    return 'load-page-' + Array.prototype.map.call(bytes, function (b) { return (b + 256).toString(16).slice(1); })
      .join('');
  }

  // ---- progress from the load registry (GET /api/v1/loads), when the service has one ------------------------

  // This upload's load is the one carrying its Idempotency-Key; failing that, the newest running load of the
  // table that was not running before the upload began.
  function registryPoller(table, key) {
    var known = null; // ids of the table's loads already running before this upload
    var id = null;
    var timer = null;
    var stopped = false;

    function list() {
      return get('api/v1/loads?table=' + encodeURIComponent(table) + '&status=running&limit=20')
        .then(function (response) {
          if (!response.ok) { return null; } // no registry (404) or not allowed: bytes only
          return response.json().then(function (body) { return Array.isArray(body) ? body : (body.loads || []); });
        })
        .catch(function () { return null; });
    }

    function tick() {
      if (stopped) { return; }
      var next = id ? get('api/v1/loads/' + encodeURIComponent(id)).then(function (r) { return r.ok ? r.json() : null; })
        : list().then(function (loads) {
          if (!loads) { return null; }
          var ours = loads.find(function (load) { return String(load.idempotencyKey || '').replace(/"/g, '') === key; })
            || loads.filter(function (load) { return !known.has(load.id); })
              .sort(function (a, b) { return String(b.startedAt).localeCompare(String(a.startedAt)); })[0];
          if (ours) { id = ours.id; }
          return ours || null;
        });
      next.catch(function () { return null; }).then(function (load) {
        if (load && !stopped) { showRows(load); }
        if (!stopped) { timer = setTimeout(tick, POLL_MS); }
      });
    }

    return {
      begin: function () {
        return list().then(function (loads) {
          if (!loads) { stopped = true; return; }
          known = new Set(loads.map(function (load) { return load.id; }));
          timer = setTimeout(tick, POLL_MS);
        });
      },
      stop: function () { stopped = true; clearTimeout(timer); }
    };
  }

  function showRows(load) {
    var parts = [number(load.rowsReceived) + ' rows received'];
    if (typeof load.rowsInserted === 'number') { parts.push(number(load.rowsInserted) + ' inserted'); }
    if (typeof load.rowsPerSecond === 'number') { parts.push(number(load.rowsPerSecond) + ' rows/s'); }
    var rows = text($('rows-text'), parts.join(' · '));
    rows.dataset.rowsReceived = String(load.rowsReceived);
  }

  // ---- the answer ---------------------------------------------------------------------------------------------

  function resetResult() {
    $('result').hidden = true;
    $('summary').replaceChildren();
    $('problem').hidden = true;
    $('rejects-section').hidden = true;
    $('rejects-download-line').hidden = true;
    document.querySelector('#rejects tbody').replaceChildren();
  }

  function summaryItem(name, label, value, shown) {
    var dt = el('dt', label);
    var dd = el('dd', shown !== undefined ? shown : value);
    dd.id = 'summary-' + name;
    dd.dataset.value = String(value);
    $('summary').append(dt, dd);
  }

  function showReport(report, id) {
    text($('result-title'), report.dryRun ? 'Dry run: nothing was kept' : 'Loaded');
    summaryItem('table', 'Table', report.table);
    summaryItem('format', 'Format', report.format + ', ' + report.mode + ', ' + report.method
      + (report.atomic ? ', atomic' : ', a commit per chunk'));
    // every option the load used that is not its default (recordsPath, dateStyle, onError, ...); the field
    // mapping has a line of its own
    var options = report.options || {};
    var used = Object.keys(options).filter(function (name) { return ['map', 'match', 'unknownFields'].indexOf(name) < 0; })
      .map(function (name) { return name + '=' + options[name]; });
    if (used.length) { summaryItem('options', 'Options', used.join('&'), used.join(', ')); }
    var counts = { rowsReceived: 'Rows received', rowsInserted: 'Inserted', rowsUpdated: 'Updated',
      rowsSkipped: 'Skipped', rowsRejected: 'Rejected' };
    Object.keys(counts).forEach(function (field) {
      summaryItem(field, counts[field], report[field], number(report[field]));
    });
    showMapping(report.options || {}, report.ignoredFields);
    summaryItem('bytesRead', 'Bytes read', report.bytesRead, size(report.bytesRead));
    summaryItem('durationMs', 'Duration', report.durationMs, (report.durationMs / 1000).toFixed(2) + ' s');
    summaryItem('rowsPerSecond', 'Rate', report.rowsPerSecond, number(report.rowsPerSecond) + ' rows/s');
    showRejects(report.rejects || [], report.rowsRejected, report.rejectsTruncated);
    if (id && report.rowsRejected > 0) { offerDownload(id); }
  }

  // which fields went where: the map entries, how names matched, what unknown fields did
  function showMapping(options, ignoredFields) {
    var map = Array.isArray(options.map) ? options.map : [];
    var parts = [map.length ? 'map ' + map.map(function (entry) {
      var colon = entry.lastIndexOf(':');
      var column = entry.slice(colon + 1);
      return entry.slice(0, colon) + (column ? ' \u2192 ' + column : ' dropped');
    }).join(', ') : 'no map'];
    parts.push((options.match || 'exact') + ' names');
    parts.push('unknown fields ' + ((options.unknownFields || 'reject') === 'ignore' ? 'ignored' : 'rejected'));
    summaryItem('mapping', 'Fields', JSON.stringify({ map: map, match: options.match || 'exact',
      unknownFields: options.unknownFields || 'reject' }), parts.join('; '));
    if (Array.isArray(ignoredFields)) {
      summaryItem('ignoredFields', 'Ignored fields', ignoredFields.join(','),
        ignoredFields.length ? ignoredFields.join(', ') + (ignoredFields.length >= 100 ? ' (the first 100)' : '')
          : 'none');
    }
  }

  function showRejects(rejects, total, truncated) {
    if (!rejects.length) { return; }
    var body = document.querySelector('#rejects tbody');
    rejects.forEach(function (reject) {
      var row = el('tr');
      row.dataset.record = String(reject.record);
      row.append(el('td', reject.record, 'num'), el('td', reject.line, 'num'), el('td', reject.column),
        el('td', reject.message), el('td', reject.raw, 'raw'));
      body.appendChild(row);
    });
    text($('rejects-title'), truncated
      ? 'Rejects: the first ' + number(rejects.length) + ' of ' + number(total)
      : 'Rejects (' + number(rejects.length) + ')');
    $('rejects-section').hidden = false;
  }

  function offerDownload(id) {
    var link = $('rejects-download');
    link.href = 'api/v1/loads/' + encodeURIComponent(id) + '/rejects';
    link.setAttribute('download', 'rejects-' + id + '.csv');
    $('rejects-download-line').hidden = false;
  }

  // with credentials a plain link would be refused: fetch with them and save what comes back
  function download(event) {
    var headers = authHeaders();
    if (!Object.keys(headers).length) { return; }
    event.preventDefault();
    var link = event.currentTarget;
    headers['Accept'] = 'text/csv';
    fetch(link.href, { headers: headers }).then(function (response) {
      if (!response.ok) { throw new Error('the service answered ' + response.status); }
      return response.blob();
    }).then(function (blob) {
      var url = URL.createObjectURL(blob);
      var save = el('a');
      save.href = url;
      save.download = link.getAttribute('download') || 'rejects.csv';
      document.body.appendChild(save);
      save.click();
      save.remove();
      setTimeout(function () { URL.revokeObjectURL(url); }, 10000);
    }).catch(function (error) { showProblemText('Could not download the rejects: ' + error.message); });
  }

  function showProblem(status, problem) {
    text($('result-title'), 'Not loaded');
    if (!problem) {
      showProblemText('The service answered ' + status + '.');
      return;
    }
    var where = ['record', 'line', 'column'].filter(function (f) { return problem[f] !== undefined && problem[f] !== null; })
      .map(function (f) { return f + ' ' + problem[f]; });
    showProblemText((problem.title || ('HTTP ' + status)) + ': ' + (problem.detail || '')
      + (where.length ? ' (' + where.join(', ') + ')' : '')
      + (typeof problem.rowsCommitted === 'number' ? ' Rows committed: ' + number(problem.rowsCommitted) + '.' : ''));
    if (Array.isArray(problem.rejects)) { showRejects(problem.rejects, problem.rejects.length, false); }
    if (problem.loadId && Array.isArray(problem.rejects) && problem.rejects.length) { offerDownload(problem.loadId); }
  }

  function showProblemText(message) {
    var problem = text($('problem'), message);
    problem.hidden = false;
    $('result').hidden = false;
    if (document.body.dataset.state !== 'failed') { setState('failed'); }
  }

  // ---- wiring -------------------------------------------------------------------------------------------------

  function wireDropZone() {
    var zone = $('drop-zone');
    ['dragenter', 'dragover'].forEach(function (type) {
      zone.addEventListener(type, function (e) { e.preventDefault(); zone.classList.add('over'); });
    });
    ['dragleave', 'drop'].forEach(function (type) {
      zone.addEventListener(type, function () { zone.classList.remove('over'); });
    });
    zone.addEventListener('drop', function (e) {
      e.preventDefault();
      if (e.dataTransfer && e.dataTransfer.files.length) { $('file').files = e.dataTransfer.files; }
    });
  }

  document.addEventListener('DOMContentLoaded', function () {
    setState('idle');
    $('load-form').addEventListener('submit', start);
    $('table').addEventListener('change', showTable);
    $('reload-tables').addEventListener('click', loadTables);
    $('mode').addEventListener('change', function () { $('key').disabled = $('mode').value === 'insert'; });
    $('cancel').addEventListener('click', function () { if (upload) { upload.xhr.abort(); } });
    $('rejects-download').addEventListener('click', download);
    wireDropZone();
    loadTables();
  });
}());
