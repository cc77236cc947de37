// The load page: says whose credentials were accepted, picks a table (or a new one), previews the file's first
// rows in the browser, maps its fields to columns, checks the load as a dry run, uploads with progress and shows
// the report and its rejects. No framework and no build step; credentials live only in the password field, never
// in storage. The "Recent loads" section is recent.js's.
(function () {
  'use strict';

  var POLL_MS = 500;
  /** How much of a file the preview reads (after decompression): never the whole file. */
  var PREFIX_BYTES = 256 * 1024;
  /** Rows the preview shows. */
  var PREVIEW_ROWS = 10;
  /** Records sent to the service to propose a new table's columns and types (its sampleRows at most). */
  var SAMPLE_RECORDS = 1000;
  var NEW_TABLE = '\u0000new';
  var IGNORE = '';
  var UNDECIDED = '\u0000undecided';

  var $ = function (id) { return document.getElementById(id); };
  var tables = [];
  var upload = null; // the running upload: { xhr, poller }
  var file = null; // what the preview knows of the chosen file, see readFile
  var preview = null; // the parsed preview: { format, fields, rows, sample (a Blob for the new-table proposal) }
  var proposal = null; // the service's proposal for a new table: { name, columns: [{ field, column, type }] }
  var fileGeneration = 0;
  var proposalGeneration = 0;
  var proposalTimer = null;
  var headerTouched = false;

  function setState(state) { document.body.dataset.state = state; }

  function authHeaders() {
    var secret = $('auth-secret').value.trim();
    if (!secret) { return {}; }
    return $('auth-kind').value === 'bearer' ? { 'Authorization': 'Bearer ' + secret } : { 'X-API-Key': secret };
  }

  function get(path) {
    var headers = authHeaders();
    headers['Accept'] = 'application/json, application/problem+json';
    return fetch(path, { headers: headers, cache: 'no-store' });
  }

  function text(element, value) { element.textContent = value; return element; }

  function el(tag, value, className) {
    var node = document.createElement(tag);
    if (value !== undefined && value !== null) { node.textContent = String(value); }
    if (className) { node.className = className; }
    return node;
  }

  function option(value, label) {
    var node = el('option', label);
    node.value = value;
    return node;
  }

  function number(n) { return (typeof n === 'number') ? n.toLocaleString('en-US') : '–'; }

  function plural(n, one, many) { return number(n) + ' ' + (n === 1 ? one : many); }

  function size(bytes) {
    if (bytes < 1024) { return bytes + ' B'; }
    var units = ['KB', 'MB', 'GB', 'TB'];
    var value = bytes;
    var unit = -1;
    do { value /= 1024; unit++; } while (value >= 1024 && unit < units.length - 1);
    return value.toFixed(1) + ' ' + units[unit];
  }

  function isNewTable() { return $('table').value === NEW_TABLE; }

  function chosenTable() {
    var name = $('table').value;
    return tables.find(function (t) { return t.qualifiedName === name; }) || null;
  }

  // ---- credentials: who the service takes the caller for ----------------------------------------------------

  // Other scripts of the page (recent.js) read the credentials through window.bulkloadPage.authHeaders() and
  // hear 'bulkload:credentials' when they change and 'bulkload:load-finished' when a load of this page ends.
  function announce(name, detail) {
    document.dispatchEvent(new CustomEvent(name, { detail: detail }));
  }

  function applyCredentials(event) {
    if (event) { event.preventDefault(); }
    announce('bulkload:credentials', null);
    return Promise.all([whoAmI(), loadTables()]);
  }

  function authStatus(kind, message) {
    var status = text($('auth-status'), message);
    status.dataset.auth = kind;
    status.className = 'auth-status ' + kind;
  }

  function whoAmI() {
    var sent = $('auth-secret').value.trim() !== '';
    var what = $('auth-kind').value === 'bearer' ? 'bearer token' : 'API key';
    return get('api/v1/me').then(function (response) {
      if (response.status === 401) {
        return response.json().catch(function () { return {}; }).then(function (problem) {
          $('credentials').open = true;
          if (sent) {
            authStatus('rejected', 'The service did not accept this ' + what + ': it is wrong, expired or revoked. '
              + 'Check it and press Enter.' + (problem.detail ? ' (The service said: ' + problem.detail + ')' : ''));
          }
          else {
            authStatus('missing', 'This service needs credentials: open Credentials, enter an API key or a bearer '
              + 'token and press Enter.');
          }
        });
      }
      if (response.status === 404) { authStatus('unknown', ''); return null; } // a service without /me
      if (!response.ok) { throw new Error('the service answered ' + response.status); }
      return response.json().then(function (me) {
        if (me.securityEnabled === false) {
          authStatus('off', sent ? 'Security is off on this service: the ' + what + ' you typed is not needed.'
            : 'Security is off on this service: no credentials are needed.');
          return;
        }
        if (!me.authenticated) {
          $('credentials').open = true;
          authStatus('missing', 'This service needs credentials: open Credentials, enter an API key or a bearer '
            + 'token and press Enter.');
          return;
        }
        var loads = Array.isArray(me.tables) ? me.tables : [];
        var creates = Array.isArray(me.createTables) ? me.createTables : [];
        authStatus('accepted', 'Credentials accepted: ' + me.caller + (me.role ? ' (database role ' + me.role + ')' : '')
          + '. May load ' + (loads.length ? loads.join(', ') : 'no table') + '; may create '
          + (creates.length ? 'tables ' + creates.join(', ') : 'no table') + '.');
      });
    }).catch(function (error) { authStatus('unknown', 'Could not ask the service who you are: ' + error.message); });
  }

  // ---- tables -------------------------------------------------------------------------------------------------

  function loadTables() {
    var chosen = $('table').value;
    return get('api/v1/tables').then(function (response) {
      if (response.status === 401) {
        tables = [];
        fillTables(chosen);
        $('credentials').open = true;
        text($('table-info'), $('auth-secret').value.trim()
          ? 'The credentials were not accepted, so no table is listed: check them and press Enter in the field.'
          : 'This service needs credentials: enter an API key or a bearer token above and press Enter.');
        return;
      }
      if (!response.ok) { throw new Error('the service answered ' + response.status); }
      return response.json().then(function (list) {
        tables = Array.isArray(list) ? list : [];
        fillTables(chosen);
        tableChanged();
      });
    }).catch(function (error) {
      text($('table-info'), 'Could not list the tables: ' + error.message);
    });
  }

  function fillTables(chosen) {
    var select = $('table');
    select.replaceChildren(option('', tables.length ? '(choose a table)' : '(no tables)'));
    tables.forEach(function (table) { select.appendChild(option(table.qualifiedName, table.qualifiedName)); });
    select.appendChild(option(NEW_TABLE, 'New table…'));
    if (chosen && Array.prototype.some.call(select.options, function (o) { return o.value === chosen; })) {
      select.value = chosen;
    }
    else if (tables.length === 1) { select.value = tables[0].qualifiedName; }
  }

  function tableChanged() {
    showTable();
    fillKeys();
    $('new-table-section').hidden = !isNewTable();
    if (isNewTable()) {
      if (!$('new-table-name').value && file) { $('new-table-name').value = proposedName(file.name); }
      proposeColumns();
    }
    showMapping();
  }

  function required(column) {
    return !column.nullable && !column.hasDefault && !column.generated && !column.identity;
  }

  function showTable() {
    var info = $('table-info');
    info.replaceChildren();
    if (isNewTable()) {
      info.appendChild(el('p', 'The table is created from the file: see New table below.'));
      return;
    }
    var table = chosenTable();
    if (!table) { return; }
    var columns = el('ul');
    table.columns.forEach(function (column) {
      var item = el('li');
      item.appendChild(el('span', column.name, required(column) ? 'required' : ''));
      var notes = [column.type];
      if (required(column)) { notes.push('required'); }
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

  // the match key: the table's primary key (the API's default) or one of its unique keys
  function fillKeys() {
    var select = $('key');
    var table = chosenTable();
    select.replaceChildren();
    if (!table) {
      select.appendChild(option('', 'the primary key'));
      return;
    }
    var primary = table.primaryKey || [];
    select.appendChild(option('', primary.length ? 'primary key (' + primary.join(', ') + ')'
      : '(no primary key: choose a unique key)'));
    (table.uniqueKeys || []).forEach(function (key) {
      select.appendChild(option(key.join(','), 'unique (' + key.join(', ') + ')'));
    });
  }

  // ---- reading the start of the file --------------------------------------------------------------------------

  /** The first PREFIX_BYTES of the file's content (decompressed when gzipped), never the whole file. */
  function readFile(chosen) {
    return chosen.slice(0, PREFIX_BYTES).arrayBuffer().then(function (buffer) {
      var head = new Uint8Array(buffer);
      var gzip = head.length >= 2 && head[0] === 0x1f && head[1] === 0x8b;
      if (!gzip) {
        return { name: chosen.name, size: chosen.size, gzip: false, bytes: head, complete: chosen.size <= PREFIX_BYTES };
      }
      if (typeof DecompressionStream === 'undefined') {
        return { name: chosen.name, size: chosen.size, gzip: true, bytes: null, complete: false };
      }
      var reader = chosen.stream().pipeThrough(new DecompressionStream('gzip')).getReader();
      var chunks = [];
      var total = 0;
      function next() {
        return reader.read().then(function (step) {
          if (step.done) { return true; }
          chunks.push(step.value);
          total += step.value.length;
          if (total >= PREFIX_BYTES) { reader.cancel().catch(function () {}); return false; }
          return next();
        });
      }
      return next().then(function (done) {
        var bytes = new Uint8Array(Math.min(total, PREFIX_BYTES));
        var at = 0;
        chunks.forEach(function (chunk) {
          var part = chunk.subarray(0, Math.min(chunk.length, bytes.length - at));
          bytes.set(part, at);
          at += part.length;
        });
        return { name: chosen.name, size: chosen.size, gzip: true, bytes: bytes, complete: done && total <= PREFIX_BYTES };
      });
    });
  }

  function extension(name) {
    var lower = name.toLowerCase().replace(/\.gz$/, '');
    var dot = lower.lastIndexOf('.');
    return dot < 0 ? '' : lower.slice(dot + 1);
  }

  /** The byte-order mark's charset and length, or null. */
  function byteOrderMark(bytes) {
    if (bytes.length >= 3 && bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf) {
      return { charset: 'utf-8', decoder: 'utf-8', length: 3 };
    }
    if (bytes.length >= 2 && bytes[0] === 0xff && bytes[1] === 0xfe) { return { charset: 'utf-16', decoder: 'utf-16le', length: 2 }; }
    if (bytes.length >= 2 && bytes[0] === 0xfe && bytes[1] === 0xff) { return { charset: 'utf-16', decoder: 'utf-16be', length: 2 }; }
    return null;
  }

  /** The file's text as the chosen charset reads it; a byte-order mark is dropped, as the service does. */
  function decode(bytes, charset) {
    var mark = byteOrderMark(bytes);
    var label = mark ? mark.decoder : (charset === 'utf-16' ? 'utf-16be' : charset === 'us-ascii' ? 'windows-1252' : charset);
    // stream: a character cut at the end of the slice is left out rather than shown as a replacement character
    return new TextDecoder(label, { ignoreBOM: true }).decode(bytes.subarray(mark ? mark.length : 0), { stream: true });
  }

  function isUtf8(bytes) {
    try {
      new TextDecoder('utf-8', { fatal: true }).decode(bytes, { stream: true });
      return true;
    }
    catch (ignored) { return false; }
  }

  /** What a file seems to be, from its name, else from its first character. */
  function sniffFormat(name, content) {
    var ext = extension(name);
    if (ext === 'csv' || ext === 'tsv' || ext === 'txt' || ext === 'tab') { return 'csv'; }
    if (ext === 'json') { return 'json'; }
    if (ext === 'ndjson' || ext === 'jsonl') { return 'ndjson'; }
    var start = content.replace(/^\s+/, '');
    if (start.charAt(0) === '[') { return 'json'; }
    if (start.charAt(0) === '{') {
      var lines = start.split(/\r?\n/).filter(function (line) { return line.trim(); });
      return (lines.length > 1 && lines[1].trim().charAt(0) === '{') ? 'ndjson' : 'json';
    }
    return 'csv';
  }

  function fileChosen() {
    var chosen = $('file').files[0];
    var generation = ++fileGeneration;
    file = null;
    preview = null;
    proposal = null;
    headerTouched = false;
    clearProposal();
    if (!chosen) { showPreview(); return Promise.resolve(); }
    text($('preview-info'), 'Reading the first rows of ' + chosen.name + '…');
    $('preview-section').hidden = false;
    return readFile(chosen).then(function (read) {
      if (generation !== fileGeneration) { return; }
      file = read;
      if (read.bytes) {
        var mark = byteOrderMark(read.bytes);
        if (mark) { $('charset').value = mark.charset; }
        else if ($('charset').value === 'utf-8' && !isUtf8(read.bytes)) { $('charset').value = 'windows-1252'; read.guessedCharset = true; }
        var content = decode(read.bytes, $('charset').value);
        $('format').value = sniffFormat(read.name, content);
        if ($('format').value === 'csv') {
          var detected = detectDelimiter(content, $('quote').value || '"');
          if (extension(read.name) === 'tsv' || extension(read.name) === 'tab') { detected = '\t'; }
          if (detected) { setDelimiter(detected); }
        }
      }
      else {
        $('format').value = sniffFormat(read.name, '');
      }
      formatChanged();
      parsePreview(true);
      if (isNewTable() && !$('new-table-name').value) { $('new-table-name').value = proposedName(read.name); }
      tableChanged();
    }).catch(function (error) {
      if (generation !== fileGeneration) { return; }
      text($('preview-info'), 'Could not read the start of the file for a preview (' + error.message
        + '); it can still be loaded.');
    });
  }

  // ---- CSV in the browser -----------------------------------------------------------------------------------

  function delimiterValue() {
    var chosen = $('delimiter').value;
    if (chosen === 'other') { return $('delimiter-other').value; }
    return chosen === '\\t' ? '\t' : chosen;
  }

  function setDelimiter(character) {
    var value = character === '\t' ? '\\t' : character;
    if (Array.prototype.some.call($('delimiter').options, function (o) { return o.value === value; })) {
      $('delimiter').value = value;
      $('delimiter-other').hidden = true;
    }
    else {
      $('delimiter').value = 'other';
      $('delimiter-other').hidden = false;
      $('delimiter-other').value = character;
    }
  }

  /** The one of , ; tab | that splits the first lines into the same number of fields, the most of them. */
  function detectDelimiter(content, quote) {
    var records = null;
    var best = null;
    var bestScore = 0;
    [',', ';', '\t', '|'].forEach(function (candidate) {
      records = parseCsv(content, candidate, quote, 20, false).records;
      if (records.length === 0) { return; }
      var width = records[0].length;
      if (width < 2) { return; }
      var consistent = records.every(function (record) { return record.length === width; });
      var score = width + (consistent ? 1000 : 0);
      if (score > bestScore) { bestScore = score; best = candidate; }
    });
    return best;
  }

  /**
   * Records of CSV text as the service reads them: quoted fields with doubled quotes, CRLF or LF, blank lines
   * skipped. Unless the text is the whole file, a record the text ends in the middle of is left out.
   * @return {{ records: string[][], end: number }} end: where the last whole record ends in the text
   */
  function parseCsv(content, delimiter, quote, limit, complete) {
    var records = [];
    var record = [];
    var field = '';
    var quoted = false;
    var started = false; // the record has a character
    var end = 0;
    var i = 0;
    var n = content.length;
    while (i < n && records.length < limit) {
      var c = content.charAt(i);
      if (quoted) {
        if (c === quote) {
          if (content.charAt(i + 1) === quote) { field += quote; i += 2; continue; }
          if (i + 1 >= n && !complete) { break; }
          quoted = false;
        }
        else { field += c; }
        i++;
        continue;
      }
      if (c === quote && quote) { quoted = true; started = true; i++; continue; }
      if (c === delimiter) { record.push(field); field = ''; started = true; i++; continue; }
      if (c === '\r' || c === '\n') {
        var next = (c === '\r' && content.charAt(i + 1) === '\n') ? i + 2 : i + 1;
        if (c === '\r' && i + 1 >= n && !complete) { break; }
        if (started || field !== '') { record.push(field); records.push(record); }
        record = [];
        field = '';
        started = false;
        i = next;
        end = i;
        continue;
      }
      field += c;
      started = true;
      i++;
    }
    if (i >= n && complete && !quoted && (started || field !== '') && records.length < limit) {
      record.push(field);
      records.push(record);
      end = n;
    }
    return { records: records, end: end };
  }

  function looksLikeData(value) {
    var v = value.trim();
    return /^[-+]?(\d+([.,]\d*)?|[.,]\d+)([eE][-+]?\d+)?$/.test(v) || /^\d{1,4}[-/.]\d{1,2}[-/.]\d{1,4}/.test(v)
      || /@/.test(v) || /^(true|false)$/i.test(v);
  }

  /** A first record of distinct, non-empty names none of which looks like a value is taken for a header row. */
  function detectHeader(records) {
    if (!records.length) { return true; }
    var first = records[0].map(function (v) { return v.trim(); });
    var distinct = new Set(first).size === first.length;
    return distinct && first.every(function (v) { return v !== '' && !looksLikeData(v); });
  }

  // ---- JSON in the browser ----------------------------------------------------------------------------------

  /** The whole values at the top level of a JSON array's start, leniently: a value cut by the end is left out. */
  function jsonArrayValues(content, limit) {
    var values = [];
    var i = content.indexOf('[');
    if (i < 0) { return values; }
    var n = content.length;
    i++;
    while (i < n && values.length < limit) {
      var c = content.charAt(i);
      if (c === ']') { break; }
      if (c === ',' || /\s/.test(c)) { i++; continue; }
      var start = i;
      var depth = 0;
      var inString = false;
      var done = false;
      for (; i < n; i++) {
        c = content.charAt(i);
        if (inString) {
          if (c === '\\') { i++; }
          else if (c === '"') {
            inString = false;
            if (depth === 0) { i++; done = true; break; }
          }
          continue;
        }
        if (c === '"') { inString = true; }
        else if (c === '{' || c === '[') { depth++; }
        else if (c === '}' || c === ']') {
          if (depth === 0) { done = true; break; } // the array's end after a number, true, false or null
          depth--;
          if (depth === 0) { i++; done = true; break; }
        }
        else if (depth === 0 && (c === ',' || /\s/.test(c))) { done = true; break; }
      }
      if (!done) { break; } // cut by the end of what was read
      values.push(JSON.parse(content.slice(start, i)));
    }
    return values;
  }

  function pointer(value, path) {
    if (!path) { return value; }
    return path.split('/').slice(1).reduce(function (at, token) {
      if (at === undefined || at === null) { return undefined; }
      return at[token.replace(/~1/g, '/').replace(/~0/g, '~')];
    }, value);
  }

  function jsonRecords(content, complete) {
    var start = content.replace(/^\s+/, '').charAt(0);
    var path = $('recordsPath').value.trim();
    if (start === '[' && !path) { return { records: jsonArrayValues(content, SAMPLE_RECORDS) }; }
    if (!complete) {
      return { records: [], note: 'The records are inside an object: the preview reads a top-level array, or the '
        + 'whole of a file up to ' + size(PREFIX_BYTES) + '. Give the Records path.' };
    }
    var found = pointer(JSON.parse(content), path);
    if (!Array.isArray(found)) {
      return { records: [], note: path ? 'Nothing is an array at the records path ' + path + '.'
        : 'The records are inside an object: give the Records path (e.g. /data).' };
    }
    return { records: found.slice(0, SAMPLE_RECORDS) };
  }

  function ndjsonRecords(content, complete) {
    var lines = content.split('\n');
    if (!complete) { lines.pop(); }
    var records = [];
    lines.some(function (line) {
      if (line.trim()) { records.push(JSON.parse(line)); }
      return records.length >= SAMPLE_RECORDS;
    });
    return { records: records };
  }

  function display(value) {
    if (value === null || value === undefined) { return ''; }
    return (typeof value === 'object') ? JSON.stringify(value) : String(value);
  }

  // ---- the preview ------------------------------------------------------------------------------------------

  /** Parses the start of the file with the options as chosen; detect: also decide whether it has a header row. */
  function parsePreview(detect) {
    preview = null;
    if (!file) { showPreview(); return; }
    if (!file.bytes) {
      preview = { note: 'This browser cannot decompress gzip, so there is no preview; the file can still be loaded.',
        fields: [] };
      showPreview();
      return;
    }
    var content = decode(file.bytes, $('charset').value);
    var format = $('format').value;
    try {
      if (format === 'csv') {
        var delimiter = delimiterValue();
        var quote = $('quote').value;
        var parsed = parseCsv(content, delimiter, quote, SAMPLE_RECORDS + 1, file.complete);
        if (detect && !headerTouched) { $('header').checked = detectHeader(parsed.records); }
        var header = $('header').checked;
        var width = parsed.records.reduce(function (w, r) { return Math.max(w, r.length); }, 0);
        var fields = header ? (parsed.records[0] || []) : Array.from({ length: width }, function (_, i) {
          return 'field ' + (i + 1);
        });
        var rows = parsed.records.slice(header ? 1 : 0);
        var nullText = $('nullText').value;
        preview = { format: 'csv', fields: fields, positional: !header, rows: rows.slice(0, PREVIEW_ROWS),
          records: rows.length, nullText: nullText,
          sample: new Blob([content.slice(0, parsed.end)], { type: 'text/csv' }) };
      }
      else {
        var read = (format === 'json') ? jsonRecords(content, file.complete) : ndjsonRecords(content, file.complete);
        var keys = [];
        read.records.forEach(function (record) {
          if (record && typeof record === 'object' && !Array.isArray(record)) {
            Object.keys(record).forEach(function (key) { if (keys.indexOf(key) < 0) { keys.push(key); } });
          }
        });
        preview = { format: format, fields: keys, note: read.note, records: read.records.length,
          rows: read.records.slice(0, PREVIEW_ROWS).map(function (record) {
            return keys.map(function (key) { return display(record ? record[key] : null); });
          }),
          sample: new Blob([read.records.map(function (r) { return JSON.stringify(r); }).join('\n') + '\n'],
            { type: 'application/x-ndjson' }) };
      }
    }
    catch (error) {
      preview = { fields: [], note: 'The start of the file is not ' + ({ csv: 'CSV', json: 'a JSON array',
        ndjson: 'NDJSON' })[format] + ' as set above (' + error.message + '): check the format.' };
    }
    showPreview();
  }

  function showPreview() {
    var section = $('preview-section');
    var head = document.querySelector('#preview thead');
    var body = document.querySelector('#preview tbody');
    head.replaceChildren();
    body.replaceChildren();
    if (!file) { section.hidden = true; return; }
    section.hidden = false;
    if (!preview || !preview.rows) {
      text($('preview-info'), (preview && preview.note) || '');
      return;
    }
    var row = el('tr');
    preview.fields.forEach(function (field) {
      var th = el('th', field);
      th.scope = 'col';
      row.appendChild(th);
    });
    head.appendChild(row);
    preview.rows.forEach(function (values) {
      var tr = el('tr');
      preview.fields.forEach(function (_, i) {
        var value = values[i];
        var cell = el('td', value === undefined ? '' : value);
        if (preview.format === 'csv' && value === preview.nullText && value !== undefined) {
          cell.className = 'null';
          cell.textContent = 'NULL';
        }
        tr.appendChild(cell);
      });
      body.appendChild(tr);
    });
    var parts = ['The first ' + plural(preview.rows.length, 'record', 'records') + ' of ' + file.name
      + (file.gzip ? ' (gzip, decompressed here)' : '')];
    if (preview.format === 'csv') {
      var d = delimiterValue();
      parts.push('delimiter ' + ({ ',': 'comma', ';': 'semicolon', '\t': 'tab', '|': 'pipe' }[d] || '“' + d + '”'));
      parts.push($('header').checked ? 'a header row' : 'no header row');
    }
    else { parts.push(preview.format === 'json' ? 'JSON array' : 'NDJSON'); }
    parts.push($('charset').value + (file.guessedCharset ? ' (not UTF-8, so read as windows-1252: change it if wrong)' : ''));
    text($('preview-info'), parts.join('; ') + '.' + (preview.note ? ' ' + preview.note : ''));
  }

  function formatChanged() {
    var format = $('format').value;
    document.querySelectorAll('#format-options .csv-only').forEach(function (row) { row.hidden = format !== 'csv'; });
    document.querySelectorAll('#format-options .json-only').forEach(function (row) { row.hidden = format !== 'json'; });
  }

  // ---- columns: which field goes where ----------------------------------------------------------------------

  function looseKey(name) { return name.replace(/[\s_.\-]/g, '').toLowerCase(); }

  /** The column a field meets by name: the same name, else the only one differing in case, else loosely. */
  function meet(field, columns) {
    if (columns.indexOf(field) >= 0) { return field; }
    var byCase = columns.filter(function (c) { return c.toLowerCase() === field.toLowerCase(); });
    if (byCase.length === 1) { return byCase[0]; }
    var loose = columns.filter(function (c) { return looseKey(c) === looseKey(field); });
    return loose.length === 1 ? loose[0] : null;
  }

  function showMapping() {
    var section = $('mapping-section');
    var list = $('mapping');
    var table = chosenTable();
    var previous = currentChoices();
    list.replaceChildren();
    if (!table || !preview || !preview.fields || !preview.fields.length || isNewTable()) {
      section.hidden = true;
      validateMapping();
      return;
    }
    var columns = table.columns.filter(function (c) { return !c.generated; }).map(function (c) { return c.name; });
    preview.fields.forEach(function (field, i) {
      var row = el('div', null, 'row mapping-row');
      var label = el('label', field);
      label.htmlFor = 'map-' + i;
      var select = el('select');
      select.id = 'map-' + i;
      select.dataset.field = field;
      select.appendChild(option(UNDECIDED, '(choose a column)'));
      select.appendChild(option(IGNORE, '(ignore)'));
      columns.forEach(function (column) { select.appendChild(option(column, column)); });
      // without a header row a field has no name to meet a column by: the person says which column it is
      var met = preview.positional ? null : meet(field, columns);
      var kept = previous[field];
      select.value = (kept !== undefined && (kept === IGNORE || columns.indexOf(kept) >= 0)) ? kept
        : (met !== null ? met : UNDECIDED);
      var note = el('span', '', 'hint match-note');
      note.id = 'map-note-' + i;
      select.setAttribute('aria-describedby', note.id);
      select.addEventListener('change', validateMapping);
      row.append(label, select, note);
      list.appendChild(row);
    });
    section.hidden = false;
    validateMapping();
  }

  function mappingSelects() { return Array.prototype.slice.call(document.querySelectorAll('#mapping select')); }

  /** The fields the extra map entries (under More) take care of: a JSON Pointer's first member, or the field named. */
  function extraMappedFields() {
    var fields = new Set();
    $('map').value.split('\n').forEach(function (entry) {
      var colon = entry.lastIndexOf(':');
      if (colon <= 0) { return; }
      var field = entry.slice(0, colon);
      if (field.charAt(0) === '/') {
        field = field.split('/')[1].replace(/~1/g, '/').replace(/~0/g, '~');
      }
      fields.add(field);
    });
    return fields;
  }

  /** The columns the extra map entries load. */
  function extraMappedNames() {
    return $('map').value.split('\n').map(function (entry) {
      return entry.slice(entry.lastIndexOf(':') + 1).trim();
    }).filter(Boolean);
  }

  /** The selects whose choice is sent: not those of fields an extra map entry takes care of. */
  function decidingSelects() {
    var extra = extraMappedFields();
    return mappingSelects().filter(function (select) { return !extra.has(select.dataset.field); });
  }

  function currentChoices() {
    var choices = {};
    mappingSelects().forEach(function (select) {
      if (select.value !== UNDECIDED) { choices[select.dataset.field] = select.value; }
    });
    return choices;
  }

  /** What keeps the mapping from being sent, in words; marks the fields that met no column. */
  function mappingProblems() {
    var problems = [];
    var selects = mappingSelects();
    if (!selects.length || $('mapping-section').hidden) { return problems; }
    var fed = {};
    var extra = extraMappedFields();
    extraMappedNames(extra).forEach(function (column) { fed[column] = fed[column] || []; });
    selects.forEach(function (select) {
      var note = document.getElementById(select.getAttribute('aria-describedby'));
      var row = select.parentNode;
      if (extra.has(select.dataset.field)) {
        row.classList.remove('unmatched');
        text(note, 'taken care of by the map entries under More');
        return;
      }
      row.classList.toggle('unmatched', select.value === UNDECIDED);
      if (select.value === UNDECIDED) {
        text(note, 'no column of this name: choose one or ignore it');
        problems.push({ control: select, message: 'Choose a column for the field “' + select.dataset.field
          + '”, or (ignore) it.' });
        return;
      }
      text(note, select.value === IGNORE ? 'not loaded' : '');
      if (select.value !== IGNORE) { (fed[select.value] = fed[select.value] || []).push(select); }
    });
    Object.keys(fed).forEach(function (column) {
      if (fed[column].length > 1 && fed[column].every(Boolean)) {
        problems.push({ control: fed[column][1], message: 'The fields ' + fed[column].map(function (s) {
          return '“' + s.dataset.field + '”';
        }).join(' and ') + ' both go to column ' + column + ': choose one.' });
      }
    });
    if ($('mode').value !== 'update') {
      chosenTable().columns.filter(required).forEach(function (column) {
        if (!fed[column.name]) {
          problems.push({ control: selects[0], message: 'Column ' + column.name + ' is required (NOT NULL without a '
            + 'default) and no field feeds it: choose the field that holds it.' });
        }
      });
    }
    return problems;
  }

  function validateMapping() {
    var problems = mappingProblems();
    var box = $('mapping-problems');
    box.replaceChildren();
    if (problems.length) {
      var list = el('ul');
      problems.forEach(function (problem) { list.appendChild(el('li', problem.message)); });
      box.append(el('p', 'Before anything is sent:'), list);
    }
    box.dataset.problems = String(problems.length);
    // a "Not sent" answer about a mapping since put right would only mislead
    if (!problems.length && $('result').dataset.outcome === 'not-sent') { resetResult(); }
    return problems;
  }

  // ---- a new table ------------------------------------------------------------------------------------------

  /** A table name from a file name: lower case, letters, digits and _ only, not starting with a digit. */
  function proposedName(name) {
    var base = name.replace(/\.gz$/i, '').replace(/\.[^.]*$/, '').toLowerCase()
      .replace(/[^a-z0-9_]+/g, '_').replace(/^_+|_+$/g, '');
    if (!base) { base = 'loaded'; }
    if (/^[0-9]/.test(base)) { base = 't_' + base; }
    return base.slice(0, 63);
  }

  function clearProposal() {
    proposal = null;
    document.querySelector('#new-columns tbody').replaceChildren();
    text($('new-table-statement'), '');
    $('new-table-key').replaceChildren(option('', '(none)'));
  }

  /** Asks the service, by a dry run with create=true over the preview's records, what table it would create. */
  function proposeColumns() {
    var name = $('new-table-name').value.trim();
    if (!isNewTable() || !preview || !preview.sample || !name) {
      if (isNewTable()) {
        text($('new-table-status'), !file ? 'Choose a file: its first rows propose the columns.'
          : !name ? 'Give the table a name.' : 'No records in the preview to propose columns from.');
      }
      return Promise.resolve();
    }
    clearProposal();
    var generation = ++proposalGeneration;
    var status = text($('new-table-status'), 'Asking the service which columns and types the file gives…');
    status.dataset.state = 'proposing';
    var params = formatParams(preview.format === 'csv' ? 'csv' : 'ndjson');
    params.set('create', 'true');
    params.set('dryRun', 'true');
    params.set('onError', 'skip');
    params.delete('charset'); // the sample is the preview's text, sent as UTF-8
    params.set('sampleRows', String(Math.max(1, Math.min(preview.records || 1, SAMPLE_RECORDS))));
    var headers = authHeaders();
    headers['Accept'] = 'application/json, application/problem+json';
    headers['Content-Type'] = preview.format === 'csv' ? 'text/csv; charset=utf-8' : 'application/x-ndjson; charset=utf-8';
    return fetch('api/v1/tables/' + encodeURIComponent(name) + '/rows?' + params.toString(),
      { method: 'POST', headers: headers, body: preview.sample }).then(function (response) {
      return response.json().catch(function () { return null; }).then(function (body) {
        if (generation !== proposalGeneration) { return; } // a newer proposal was asked for
        if (!response.ok || !body) {
          status.dataset.state = 'failed';
          text(status, 'The service proposed no table: ' + ownWords(response.status, body || {}).join(' '));
          return;
        }
        var table = body.table;
        if (!table || typeof table !== 'object' || !table.created) {
          status.dataset.state = 'exists';
          text(status, 'A table ' + (typeof table === 'object' && table ? table.name : name) + ' exists already: '
            + 'choose it in the Table list to load into it.');
          return;
        }
        proposal = { name: table.name, columns: table.columns || [] };
        showProposal(table);
        status.dataset.state = 'proposed';
        text(status, 'The service would create ' + table.name + ' with ' + plural(proposal.columns.length, 'column',
          'columns') + ' (types from the first ' + plural(body.rowsReceived, 'record', 'records')
          + '). Change names and types as needed.');
      });
    }).catch(function (error) {
      if (generation !== proposalGeneration) { return; }
      status.dataset.state = 'failed';
      text(status, 'Could not ask the service: ' + error.message);
    });
  }

  function showProposal(table) {
    var body = document.querySelector('#new-columns tbody');
    proposal.columns.forEach(function (column, i) {
      var row = el('tr');
      row.dataset.field = column.field;
      var field = el('th', column.field);
      field.scope = 'row';
      field.id = 'new-field-' + i;
      var name = el('input');
      name.type = 'text';
      name.id = 'new-column-' + i;
      name.value = column.column;
      name.spellcheck = false;
      name.autocomplete = 'off';
      name.setAttribute('aria-label', 'Column for ' + column.field);
      name.dataset.proposed = column.column;
      name.addEventListener('input', fillNewKeys);
      var type = el('input');
      type.type = 'text';
      type.id = 'new-type-' + i;
      type.value = column.type;
      type.spellcheck = false;
      type.autocomplete = 'off';
      type.setAttribute('list', 'column-types');
      type.setAttribute('aria-label', 'Type of ' + column.field);
      type.dataset.proposed = column.type;
      var nameCell = el('td');
      nameCell.appendChild(name);
      var typeCell = el('td');
      typeCell.appendChild(type);
      row.append(field, nameCell, typeCell);
      body.appendChild(row);
    });
    text($('new-table-statement'), table.statement || '');
    fillNewKeys();
  }

  function newColumns() {
    if (!proposal) { return []; }
    return proposal.columns.map(function (column, i) {
      return { field: column.field, proposed: column.column, column: $('new-column-' + i).value.trim(),
        type: $('new-type-' + i).value.trim() };
    });
  }

  function fillNewKeys() {
    var select = $('new-table-key');
    var chosen = select.value;
    select.replaceChildren(option('', '(none)'));
    newColumns().forEach(function (c) { if (c.column) { select.appendChild(option(c.column, c.column)); } });
    if (Array.prototype.some.call(select.options, function (o) { return o.value === chosen; })) { select.value = chosen; }
  }

  function newTableProblems() {
    var problems = [];
    if (!$('new-table-name').value.trim()) { problems.push({ control: $('new-table-name'), message: 'Give the new table a name.' }); }
    if (!proposal) {
      problems.push({ control: $('propose-columns'), message: 'Propose the columns first (Propose columns).' });
      return problems;
    }
    var seen = {};
    newColumns().forEach(function (c, i) {
      if (!c.column) { problems.push({ control: $('new-column-' + i), message: 'Give the field “' + c.field + '” a column name.' }); }
      else if (seen[c.column]) { problems.push({ control: $('new-column-' + i), message: 'Two fields are named ' + c.column + ': rename one.' }); }
      seen[c.column] = true;
      if (!c.type) { problems.push({ control: $('new-type-' + i), message: 'Give the column ' + c.column + ' a type.' }); }
    });
    return problems;
  }

  // ---- the request --------------------------------------------------------------------------------------------

  /** The format options as parameters, for a payload of the given format (CSV options only for CSV: else a 400). */
  function formatParams(format) {
    var params = new URLSearchParams();
    if (format === 'csv') {
      if (!$('header').checked) { params.set('header', 'false'); }
      var delimiter = delimiterValue();
      if (delimiter && delimiter !== ',') { params.set('delimiter', delimiter === '\t' ? '\\t' : delimiter); }
      if ($('quote').value && $('quote').value !== '"') { params.set('quote', $('quote').value); }
      if ($('nullText').value) { params.set('null', $('nullText').value); }
    }
    if (format === 'json' && $('recordsPath').value.trim()) { params.set('recordsPath', $('recordsPath').value.trim()); }
    if ($('dateStyle').value) { params.set('dateStyle', $('dateStyle').value); }
    if ($('charset').value !== 'utf-8') { params.set('charset', $('charset').value); }
    return params;
  }

  /** Every parameter of the load as chosen; check: as a dry run that skips bad rows. */
  function query(check) {
    var format = $('format').value;
    var params = formatParams(format);
    var mode = $('mode').value;
    if (mode !== 'insert') { params.set('mode', mode); }
    if (isNewTable()) {
      params.set('create', 'true');
      if ($('new-table-key').value) { params.set('key', $('new-table-key').value); }
      newColumns().forEach(function (c) {
        if (c.column !== c.proposed) { params.append('map', c.field + ':' + c.column); }
        params.append('types', c.column + ':' + c.type);
      });
    }
    else if (mode !== 'insert' && $('key').value) { params.set('key', $('key').value); }
    if ($('method').value !== 'copy') { params.set('method', $('method').value); }
    if (!$('atomic').checked) { params.set('atomic', 'false'); }
    var onError = check ? 'skip' : $('onError').value;
    if (onError !== 'abort') { params.set('onError', onError); }
    if (!check && onError === 'skip' && $('maxErrors').value !== '') { params.set('maxErrors', $('maxErrors').value); }
    var unknownFields = $('unknownFields').value;
    var selects = $('mapping-section').hidden ? [] : decidingSelects();
    if (preview && preview.positional && selects.length) {
      selects = mappingSelects();
      // no header row: the fields are positions, named by columns=; an ignored position gets a name that is dropped
      params.set('columns', selects.map(function (s, i) { return s.value === IGNORE ? '_ignored_' + (i + 1) : s.value; }).join(','));
      selects.forEach(function (s, i) { if (s.value === IGNORE) { params.append('map', '_ignored_' + (i + 1) + ':'); } });
    }
    else {
      selects.forEach(function (select) {
        var field = select.dataset.field;
        if (select.value === IGNORE) { params.append('map', field + ':'); }
        else if (select.value !== field) { params.append('map', field + ':' + select.value); }
      });
    }
    if (selects.some(function (s) { return s.value === IGNORE; })) { unknownFields = 'ignore'; }
    if (unknownFields !== 'reject') { params.set('unknownFields', unknownFields); }
    if ($('match').value !== 'exact') { params.set('match', $('match').value); }
    $('map').value.split('\n').forEach(function (entry) {
      if (entry.trim()) { params.append('map', entry.replace(/\r$/, '')); }
    });
    if (check || $('dryRun').checked) { params.set('dryRun', 'true'); }
    var text = params.toString();
    return text ? '?' + text : '';
  }

  /** The file as the upload's part: a type and a name that tell the service its format (a .tsv is CSV). */
  function filePart(chosen) {
    var format = $('format').value;
    var gzip = file ? file.gzip : /\.gz$/i.test(chosen.name);
    var ext = { csv: 'csv', json: 'json', ndjson: 'ndjson' }[format];
    if (!gzip) {
      var type = { csv: 'text/csv', json: 'application/json', ndjson: 'application/x-ndjson' }[format];
      return new File([chosen], chosen.name, { type: type });
    }
    var base = chosen.name.replace(/\.gz$/i, '');
    var known = { csv: ['csv'], json: ['json'], ndjson: ['ndjson', 'jsonl'] }[format];
    if (known.indexOf(extension(base)) < 0) { base += '.' + ext; }
    return new File([chosen], base + '.gz', { type: 'application/gzip' });
  }

  function targetTable() {
    return isNewTable() ? $('new-table-name').value.trim() : $('table').value;
  }

  function problemsBeforeSending() {
    var table = $('table').value;
    var chosen = $('file').files[0];
    if (!table) { return [{ control: $('table'), message: 'Choose a table first.' }]; }
    if (!chosen) { return [{ control: $('file'), message: 'Choose a file first.' }]; }
    return isNewTable() ? newTableProblems() : validateMapping();
  }

  function start(event, check) {
    if (event) { event.preventDefault(); }
    if (upload) { return; }
    var problems = problemsBeforeSending();
    resetResult();
    if (problems.length) {
      text($('result-title'), 'Not sent: nothing was uploaded');
      $('result').dataset.outcome = 'not-sent';
      showProblemText(problems.map(function (p) { return p.message; }).join(' '), '');
      setState('invalid');
      problems[0].control.focus();
      return;
    }
    var chosen = $('file').files[0];
    var table = targetTable();
    setState('uploading');
    $('load').disabled = true;
    $('check').disabled = true;
    $('cancel').hidden = false;
    $('progress-section').hidden = false;
    showBytes(0, chosen.size);
    text($('rows-text'), '');
    delete $('rows-text').dataset.rowsReceived;

    var xhr = new XMLHttpRequest();
    var key = idempotencyKey();
    var atomic = $('atomic').checked;
    var poller = registryPoller(table, key, atomic);
    upload = { xhr: xhr, poller: poller, check: !!check };
    xhr.open('POST', 'api/v1/tables/' + encodeURIComponent(table) + '/rows' + query(check));
    var headers = authHeaders();
    Object.keys(headers).forEach(function (name) { xhr.setRequestHeader(name, headers[name]); });
    xhr.setRequestHeader('Accept', 'application/json, application/problem+json');
    // names this upload's load in the registry (and makes a retry of it safe where the service supports that)
    xhr.setRequestHeader('Idempotency-Key', '"' + key + '"');
    xhr.upload.addEventListener('progress', function (e) {
      // the request is the file plus a little multipart framing: show it as the file's bytes
      var sent = (e.lengthComputable && e.total > 0) ? Math.min(chosen.size, Math.round(e.loaded * chosen.size / e.total))
        : e.loaded;
      showBytes(sent, chosen.size);
    });
    xhr.upload.addEventListener('load', function () {
      showBytes(chosen.size, chosen.size);
      if (document.body.dataset.state === 'uploading') {
        setState('processing');
        if (!$('rows-text').textContent) {
          text($('rows-text'), 'Sent; the service is finishing the load' + (atomic ? ' (rows commit at the end)…' : '…'));
        }
      }
    });
    xhr.addEventListener('load', function () { finish(xhr, chosen, !!check); });
    xhr.addEventListener('error', function () {
      end();
      showProblemText('The connection closed before the service answered. An atomic load leaves nothing behind.', '');
      focusResult();
    });
    xhr.addEventListener('abort', function () {
      end();
      showProblemText('Upload stopped. An atomic load leaves nothing behind.', '');
      focusResult();
    });
    var form = new FormData();
    form.append('file', filePart(chosen));
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
    if (upload) { upload.poller.stop(); announce('bulkload:load-finished', null); }
    upload = null;
    $('load').disabled = false;
    $('check').disabled = false;
    $('cancel').hidden = true;
  }

  function focusResult() {
    $('result').hidden = false;
    $('result').focus();
  }

  function finish(xhr, chosen, check) {
    end();
    if (!$('rows-text').dataset.rowsReceived) { text($('rows-text'), ''); }
    var body = null;
    try { body = JSON.parse(xhr.responseText); } catch (ignored) { body = null; }
    if (xhr.status === 200 && body) {
      showBytes(chosen.size, chosen.size);
      showReport(body, loadId(xhr, body), check);
      setState('done');
      if (!check && !body.dryRun && isNewTable() && body.table && body.table.created !== false) { newTableLoaded(body); }
    }
    else {
      showProblem(xhr.status, body);
      setState('failed');
    }
    focusResult();
  }

  // the table now exists: list it and choose it, so that the next load goes into it
  function newTableLoaded(report) {
    var name = (typeof report.table === 'object') ? report.table.name : report.table;
    loadTables().then(function () {
      if (tables.some(function (t) { return t.qualifiedName === name; })) {
        $('table').value = name;
        tableChanged();
      }
    });
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
  function registryPoller(table, key, atomic) {
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
        if (load && !stopped) { showRows(load, atomic); }
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

  // an atomic load commits nothing until it ends: its rows received, never a "0 inserted" that looks stuck
  function showRows(load, atomic) {
    var parts = [number(load.rowsReceived) + ' rows received'];
    if (!atomic && typeof load.rowsInserted === 'number') { parts.push(number(load.rowsInserted) + ' committed'); }
    if (typeof load.rowsPerSecond === 'number') { parts.push(number(load.rowsPerSecond) + ' rows/s'); }
    var line = parts.join(' · ') + (atomic ? ' — one transaction: the rows commit when the load ends' : '');
    var rows = text($('rows-text'), line);
    rows.dataset.rowsReceived = String(load.rowsReceived);
  }

  // ---- the answer ---------------------------------------------------------------------------------------------

  function resetResult() {
    $('result').hidden = true;
    $('result').dataset.outcome = '';
    $('summary').replaceChildren();
    $('problem-box').hidden = true;
    text($('problem'), '');
    text($('problem-detail'), '');
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

  function showReport(report, id, check) {
    var rejected = report.rowsRejected || 0;
    var outcome;
    var title;
    if (check) {
      outcome = 'checked';
      title = rejected ? 'Checked: ' + plural(rejected, 'row', 'rows') + ' would be rejected' : 'Checked: every row would load';
    }
    else if (report.dryRun) {
      outcome = 'dry-run';
      title = 'Dry run: nothing was kept' + (rejected ? ' (' + number(rejected) + ' rejected)' : '');
    }
    else {
      outcome = rejected ? 'loaded-with-rejects' : 'loaded';
      title = rejected ? 'Loaded with ' + number(rejected) + ' rejected' : 'Loaded';
    }
    text($('result-title'), title);
    $('result').dataset.outcome = outcome;
    var table = report.table;
    var tableName = (table && typeof table === 'object') ? table.name : table;
    summaryItem('table', 'Table', tableName, tableName + ((table && typeof table === 'object' && table.created)
      ? (report.dryRun ? ' (would be created)' : ' (created)') : ''));
    if (check) {
      summaryItem('check', 'Check', 'nothing written', 'a dry run that skips bad rows: nothing was written; press '
        + 'Load to load' + (rejected ? ' (with On a bad row: skip, to load the others)' : ''));
    }
    summaryItem('format', 'Format', report.format + ', ' + report.mode + ', ' + report.method
      + (report.atomic ? ', atomic' : ', a commit per chunk'));
    // every option the load used that is not its default (recordsPath, dateStyle, onError, ...); the field
    // mapping has a line of its own
    var options = report.options || {};
    var used = Object.keys(options).filter(function (name) { return ['map', 'match', 'unknownFields', 'types'].indexOf(name) < 0; })
      .map(function (name) { return name + '=' + options[name]; });
    if (used.length) { summaryItem('options', 'Options', used.join('&'), used.join(', ')); }
    var counts = { rowsReceived: 'Rows received', rowsInserted: 'Inserted', rowsUpdated: 'Updated',
      rowsSkipped: 'Skipped', rowsRejected: 'Rejected' };
    Object.keys(counts).forEach(function (field) {
      summaryItem(field, (report.dryRun && field !== 'rowsReceived' ? 'Would be ' : '') + counts[field].toLowerCase()
        .replace(/^./, function (c) { return c.toUpperCase(); }), report[field], number(report[field]));
    });
    showFieldMapping(report.options || {}, report.ignoredFields);
    summaryItem('bytesRead', 'Bytes read', report.bytesRead, size(report.bytesRead));
    summaryItem('durationMs', 'Duration', report.durationMs, (report.durationMs / 1000).toFixed(2) + ' s');
    summaryItem('rowsPerSecond', 'Rate', report.rowsPerSecond, number(report.rowsPerSecond) + ' rows/s');
    showRejects(report.rejects || [], rejected, report.rejectsTruncated);
    if (id && rejected > 0) { offerDownload(id); }
  }

  // which fields went where: the map entries, how names matched, what unknown fields did
  function showFieldMapping(options, ignoredFields) {
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

  /** What a reject's SQLSTATE means, in the page's words (the database's message goes beside it). */
  function rejectWords(sqlState) {
    var words = {
      '23502': 'A required value is missing.',
      '23505': 'The key exists already (in the table or earlier in the file).',
      '23503': 'It refers to a row that does not exist.',
      '23514': 'It fails a check of the table.',
      '23P01': 'It conflicts with another row.',
      '22P02': 'A value is not of the column\'s type.',
      '22001': 'A value is too long for its column.',
      '22003': 'A number is out of range.',
      '22007': 'A date or time is not valid.',
      '22008': 'A date or time is out of range (try another “Dates read as”).',
      '22P04': 'The record has too many or too few fields.',
      '22021': 'The text has bytes the character set cannot have.'
    };
    if (words[sqlState]) { return words[sqlState]; }
    if (/^22/.test(sqlState || '')) { return 'A value is not valid for its column.'; }
    if (/^23/.test(sqlState || '')) { return 'It breaks a rule of the table.'; }
    return '';
  }

  function cell(label, value, className) {
    var node = el('td', value, className);
    node.dataset.label = label;
    return node;
  }

  function showRejects(rejects, total, truncated) {
    if (!rejects.length) { return; }
    var body = document.querySelector('#rejects tbody');
    rejects.forEach(function (reject) {
      var row = el('tr');
      row.dataset.record = String(reject.record);
      var problem = cell('Problem', null, 'message');
      var words = rejectWords(reject.sqlState);
      var said = el('div');
      if (words) { said.appendChild(el('span', words + ' ', 'own-words')); }
      said.appendChild(el('span', reject.message, 'db-detail'));
      problem.appendChild(said);
      var raw = cell('Raw text', null, 'raw');
      raw.appendChild(el('code', String(reject.raw === undefined || reject.raw === null ? '' : reject.raw).replace(/\r?\n$/, '')));
      row.append(cell('Record', reject.record, 'num'), cell('Line', reject.line, 'num'), cell('Column', reject.column),
        problem, raw);
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
    // the rejected records themselves, as the file had them (its header first): the service names the file
    var records = $('rejects-records');
    records.href = link.href + '?form=records';
    records.setAttribute('download', '');
    $('rejects-download-line').hidden = false;
  }

  // with credentials a plain link would be refused: fetch with them and save what comes back
  function download(event) {
    var headers = authHeaders();
    if (!Object.keys(headers).length) { return; }
    event.preventDefault();
    var link = event.currentTarget;
    if (link.id === 'rejects-download') { headers['Accept'] = 'text/csv'; }
    var name = link.getAttribute('download') || 'rejects.csv';
    fetch(link.href, { headers: headers }).then(function (response) {
      if (!response.ok) { throw new Error('the service answered ' + response.status); }
      var disposition = /filename="?([^";]+)"?/.exec(response.headers.get('Content-Disposition') || '');
      if (disposition) { name = disposition[1]; }
      return response.blob();
    }).then(function (blob) {
      var url = URL.createObjectURL(blob);
      var save = el('a');
      save.href = url;
      save.download = name;
      document.body.appendChild(save);
      save.click();
      save.remove();
      setTimeout(function () { URL.revokeObjectURL(url); }, 10000);
    }).catch(function (error) { showProblemText('Could not download the rejects: ' + error.message, ''); });
  }

  /** A problem in the page's words: what happened and what to do; the service's own detail goes beside it. */
  function ownWords(status, problem) {
    var slug = String(problem.type || '').replace(/^urn:bulkload:problem:/, '');
    var atomic = $('atomic').checked;
    var committed = typeof problem.rowsCommitted === 'number'
      ? ' ' + plural(problem.rowsCommitted, 'row was', 'rows were') + ' committed before it.' : '';
    var words = {
      'row-rejected': 'The database refused a row, so ' + (atomic ? 'nothing was loaded.' : 'the load stopped.' + committed)
        + ' Check lists every bad row; On a bad row: skip loads the good ones.',
      'too-many-rejects': 'More rows were refused than the limit allows, so the load failed' + (atomic
        ? ' and nothing was loaded.' : '.' + committed),
      'malformed-payload': 'The file could not be read as ' + ({ csv: 'CSV', json: 'a JSON array', ndjson: 'NDJSON' }[
        $('format').value]) + ' with the options above; nothing was loaded. Check the format, delimiter, quote and '
        + 'header settings against the Preview.',
      'invalid-parameter': 'An option is not valid; nothing was loaded.',
      'unauthorized': $('auth-secret').value.trim() ? 'The service did not accept the credentials; nothing was loaded.'
        : 'The service needs credentials (open Credentials above); nothing was loaded.',
      'forbidden-table': 'These credentials may not load this table (or may not create it).',
      'forbidden-role': 'The database role of these credentials cannot be used.',
      'table-not-found': 'No such table may be loaded: it does not exist or is not open to loads.',
      'table-changed': 'The table changed during the load; nothing was loaded. Load again.',
      'payload-too-large': 'The file is larger than this service accepts.',
      'unsupported-media-type': 'The service does not read this format or character set.',
      'body-too-slow': 'The upload was too slow and the service gave up; nothing was loaded.',
      'service-busy': 'The service is busy with other loads: try again in a moment.',
      'server-busy': 'The service is busy: try again in a moment.',
      'too-many-loads': 'These credentials have as many loads running as they may: wait for one to end.',
      'database-unavailable': 'The database cannot be reached; nothing was loaded. Try again later.',
      'table-locked': 'The table is locked by other work; nothing was loaded. Try again later.',
      'statement-timeout': 'The database took too long; nothing was loaded.',
      'outcome-unknown': 'The connection to the database broke at the commit: whether the rows were kept is not known. '
        + 'Look at the table (or Recent loads) before loading again.',
      'load-cancelled': 'The load was cancelled; ' + (atomic ? 'nothing was loaded.' : committed.trim())
    };
    var own = words[slug] || (status === 0 ? 'The service could not be reached.' : 'The load failed.');
    var where = ['record', 'line', 'column'].filter(function (f) { return problem[f] !== undefined && problem[f] !== null; })
      .map(function (f) { return f + ' ' + problem[f]; });
    var detail = (problem.title || ('HTTP ' + status)) + ': ' + (problem.detail || '')
      + (where.length ? ' (' + where.join(', ') + ')' : '');
    return [own, detail];
  }

  function showProblem(status, problem) {
    text($('result-title'), 'Failed');
    $('result').dataset.outcome = 'failed';
    var words = ownWords(status, problem || {});
    showProblemText(words[0], problem ? 'The service said: ' + words[1] : 'The service answered ' + status + '.');
    if (problem && Array.isArray(problem.rejects)) { showRejects(problem.rejects, problem.rejects.length, false); }
    if (problem && problem.loadId && Array.isArray(problem.rejects) && problem.rejects.length) { offerDownload(problem.loadId); }
  }

  function showProblemText(message, detail) {
    text($('problem'), message);
    text($('problem-detail'), detail || '');
    $('problem-box').hidden = false;
    $('result').hidden = false;
    if (!$('result').dataset.outcome) { $('result').dataset.outcome = 'failed'; }
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
      if (e.dataTransfer && e.dataTransfer.files.length) {
        $('file').files = e.dataTransfer.files;
        fileChosen();
      }
    });
  }

  function reparse(detect) {
    return function () {
      parsePreview(detect);
      showMapping();
      if (isNewTable()) {
        // typing a quote or a NULL text asks once, when the typing stops
        clearTimeout(proposalTimer);
        proposalTimer = setTimeout(proposeColumns, 400);
      }
    };
  }

  window.bulkloadPage = { authHeaders: authHeaders };

  document.addEventListener('DOMContentLoaded', function () {
    setState('idle');
    $('load-form').addEventListener('submit', function (event) { start(event, false); });
    $('check').addEventListener('click', function (event) { start(event, true); });
    $('credentials-form').addEventListener('submit', applyCredentials);
    $('table').addEventListener('change', tableChanged);
    $('file').addEventListener('change', fileChosen);
    $('format').addEventListener('change', function () { formatChanged(); reparse(true)(); });
    $('delimiter').addEventListener('change', function () {
      $('delimiter-other').hidden = $('delimiter').value !== 'other';
      reparse(true)();
    });
    $('delimiter-other').addEventListener('input', reparse(true));
    $('quote').addEventListener('input', reparse(false));
    $('nullText').addEventListener('input', reparse(false));
    $('header').addEventListener('change', function () { headerTouched = true; reparse(false)(); });
    $('charset').addEventListener('change', function () { if (file) { file.guessedCharset = false; } reparse(false)(); });
    $('recordsPath').addEventListener('change', reparse(false));
    $('propose-columns').addEventListener('click', proposeColumns);
    $('map').addEventListener('input', validateMapping);
    $('new-table-name').addEventListener('keydown', function (event) {
      if (event.key === 'Enter') { event.preventDefault(); proposeColumns(); }
    });
    $('mode').addEventListener('change', function () {
      $('key').disabled = $('mode').value === 'insert';
      validateMapping();
    });
    $('onError').addEventListener('change', function () { $('maxErrors').disabled = $('onError').value !== 'skip'; });
    $('cancel').addEventListener('click', function () { if (upload) { upload.xhr.abort(); } });
    $('rejects-download').addEventListener('click', download);
    $('rejects-records').addEventListener('click', download);
    formatChanged();
    wireDropZone();
    applyCredentials();
  });
}());
