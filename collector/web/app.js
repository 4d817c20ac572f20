/* The collector's dashboard: plain JavaScript over the JSON API (docs/collector.md, "Dashboard API"). */
(function () {
  'use strict';
  var apiKey = new URLSearchParams(location.search).get('api_key');
  var COLORS = ['#3b6fd8', '#e8833a', '#2f9e6e', '#c2417a', '#8a63d2', '#c9a227', '#9aa3b5'];
  var FILTERS = ['use_case', 'user', 'account', 'limit', 'model'];
  var LABEL = { use_case: 'use case', user: 'user', model: 'model', limit: 'limit', account: 'account' };
  var state = { period: '7', by: 'use_case', metric: 'cost_usd', filters: {}, offset: 0, pageSize: 25, selected: null };

  function $(id) { return document.getElementById(id); }
  function esc(s) {
    return String(s).replace(/[&<>"']/g, function (c) { return { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' }[c]; });
  }
  function usd(n) {
    if (!n) return '$0';
    if (n < 0.01) return '$' + n.toPrecision(3);
    return '$' + n.toFixed(n < 100 ? 4 : 2);
  }
  function int(n) { return Number(n || 0).toLocaleString('en-US'); }
  function keyText(k) { return k === null || k === undefined ? '<span class="none">(none)</span>' : esc(k); }
  function metricOf(v) { return state.metric === 'tokens' ? v.input_tokens + v.output_tokens : v[state.metric]; }
  function metricText(n) { return state.metric === 'cost_usd' ? usd(n) : int(n); }

  function api(path, params) {
    var qs = params ? '?' + params.toString() : '';
    return fetch(path + qs, { headers: apiKey ? { 'xProxy-api-key': apiKey } : {} }).then(function (res) {
      return res.json().catch(function () { return undefined; }).then(function (body) {
        if (!res.ok) {
          var why = body && (body.message || (body.xproxy_error && body.xproxy_error.message));
          throw new Error(path + ' answered ' + res.status + (why ? ': ' + why : ''));
        }
        return body;
      });
    });
  }

  function days() { return state.period === '' ? null : Number(state.period); }
  function bucket() { var d = days(); return d !== null && d <= 2 ? 'hour' : 'day'; }
  function filterParams(extra) {
    var p = new URLSearchParams();
    var d = days();
    if (d !== null) p.set('from', new Date(Date.now() - d * 864e5).toISOString());
    FILTERS.forEach(function (f) { if (state.filters[f]) p.set(f, state.filters[f]); });
    Object.keys(extra || {}).forEach(function (k) { p.set(k, extra[k]); });
    return p;
  }

  function load() {
    document.body.setAttribute('data-loaded', 'loading');
    var reportBy = state.by === 'model' ? 'resource' : state.by;
    return Promise.all([
      api('/api/v1/reports/summary', filterParams()),
      api('/api/v1/dashboard/timeseries', filterParams({ bucket: bucket(), by: state.by })),
      api('/api/v1/reports/cost', filterParams({ by: reportBy })),
      api('/api/v1/dashboard/limits'),
      api('/api/v1/dashboard/requests', filterParams({ page_size: String(state.pageSize), offset: String(state.offset) })),
      api('/api/v1/dashboard/facets'),
    ]).then(function (r) {
      $('error').hidden = true;
      var summary = r[0];
      var empty = summary.all_requests === 0;
      $('empty').hidden = !empty;
      $('main').hidden = empty;
      document.querySelector('.controls').hidden = empty;
      if (empty) {
        $('empty-snippet').textContent = 'PAYI_BASE_URL=' + location.origin + ' node app.js\n\n// app.js\nimport { payiInstrument } from \'payi-instrument\';\npayiInstrument();';
        $('totals').textContent = 'no requests yet';
      } else {
        renderTotals(summary);
        renderFacets(r[5]);
        renderChart(r[1]);
        renderBreakdown(r[2], summary);
        renderLimits(r[3]);
        renderRequests(r[4]);
      }
      document.body.setAttribute('data-loaded', 'true');
    }).catch(function (err) {
      $('error').textContent = 'Could not load the data: ' + err.message + (apiKey ? '' : ' (if the collector was started with --api-key, open this page with ?api_key=KEY)');
      $('error').hidden = false;
      document.body.setAttribute('data-loaded', 'error');
    });
  }

  function renderTotals(s) {
    var period = $('period').selectedOptions[0].textContent;
    var filtered = FILTERS.some(function (f) { return state.filters[f]; });
    $('totals').innerHTML = '<b>' + int(s.requests) + '</b> requests · <b>' + usd(s.cost_usd) + '</b> · <b>' + int(s.input_tokens) + '</b> input / <b>' + int(s.output_tokens) +
      '</b> output tokens <span>(' + esc(period) + (filtered ? ', filtered' : '') + '; ' + int(s.all_requests) + ' stored in all)</span>';
  }

  function renderFacets(f) {
    FILTERS.forEach(function (name) {
      var sel = $('f-' + name);
      var current = state.filters[name] || '';
      var values = f[name] || [];
      if (current && !values.some(function (v) { return v.value === current; })) values = [{ value: current, requests: 0 }].concat(values);
      sel.innerHTML = '<option value="">all</option>' + values.map(function (v) {
        return '<option value="' + esc(v.value) + '"' + (v.value === current ? ' selected' : '') + '>' + esc(v.value) + ' (' + int(v.requests) + ')</option>';
      }).join('');
      sel.classList.toggle('active', !!current);
    });
  }

  function bucketStarts(series) {
    var step = series.bucket === 'hour' ? 36e5 : 864e5;
    var d = days();
    var starts = series.buckets.map(function (b) { return Date.parse(b.start); });
    var first = d !== null ? Date.now() - d * 864e5 : Math.min.apply(null, starts.length ? starts : [Date.now()]);
    first = Math.floor(first / step) * step;
    var last = Math.max(Date.now(), starts.length ? Math.max.apply(null, starts) : 0);
    var out = [];
    for (var t = first; t <= last && out.length < 400; t += step) out.push(new Date(t).toISOString());
    return out;
  }

  function renderChart(series) {
    // drawn at the container's own width, so labels keep their size on a phone
    var W = Math.max(300, Math.round($('chart').clientWidth || 800)), H = 220, L = 56, B = 22, T = 8;
    var byStart = {};
    series.buckets.forEach(function (b) { byStart[b.start] = b; });
    var starts = bucketStarts(series);
    var color = {};
    series.keys.forEach(function (k, i) { color[String(k)] = COLORS[Math.min(i, COLORS.length - 1)]; });
    var max = 0;
    starts.forEach(function (s) {
      var b = byStart[s];
      var sum = b ? b.values.reduce(function (a, v) { return a + metricOf(v); }, 0) : 0;
      if (sum > max) max = sum;
    });
    var bw = (W - L) / Math.max(starts.length, 1);
    var parts = [];
    for (var i = 0; i <= 4; i++) {
      var y = T + (H - T - B) * (1 - i / 4);
      parts.push('<line x1="' + L + '" x2="' + W + '" y1="' + y + '" y2="' + y + '" stroke="#eef0f5"/>');
      parts.push('<text x="' + (L - 6) + '" y="' + (y + 4) + '" text-anchor="end">' + esc(metricText(max * i / 4)) + '</text>');
    }
    starts.forEach(function (s, i) {
      var b = byStart[s];
      var x = L + i * bw;
      var y0 = H - B;
      if (b) {
        series.keys.forEach(function (k) {
          var v = b.values.filter(function (x) { return x.key === k; })[0];
          if (!v) return;
          var h = max > 0 ? (H - T - B) * metricOf(v) / max : 0;
          y0 -= h;
          parts.push('<rect x="' + (x + bw * 0.1).toFixed(2) + '" y="' + y0.toFixed(2) + '" width="' + Math.max(bw * 0.8, 0.5).toFixed(2) + '" height="' + h.toFixed(2) +
            '" fill="' + color[String(k)] + '" data-key="' + esc(k === null ? '' : k) + '" data-start="' + s + '" data-value="' + metricOf(v) + '"><title>' +
            esc((k === null ? '(none)' : k) + ' · ' + s.slice(0, series.bucket === 'hour' ? 13 : 10).replace('T', ' ') + ' · ' + metricText(metricOf(v)) + ' · ' + v.requests + ' requests') + '</title></rect>');
        });
      }
      var every = Math.max(1, Math.ceil(starts.length / 6));
      if (i % every === 0) {
        var label = series.bucket === 'hour' ? s.slice(5, 13).replace('T', ' ') + 'h' : s.slice(5, 10);
        parts.push('<text x="' + (x + bw / 2).toFixed(2) + '" y="' + (H - 6) + '" text-anchor="middle">' + label + '</text>');
      }
    });
    $('chart').innerHTML = '<svg viewBox="0 0 ' + W + ' ' + H + '" role="img" aria-label="' + esc(LABEL[state.by]) + ' over time">' + parts.join('') + '</svg>';
    $('legend').innerHTML = series.keys.map(function (k) {
      return '<li title="' + esc(k === null ? '(none)' : k) + '"><span class="swatch" style="background:' + color[String(k)] + '"></span><span class="name">' + keyText(k) + '</span></li>';
    }).join('');
    $('bucket-label').textContent = '(' + (state.metric === 'cost_usd' ? 'cost' : state.metric) + ' per ' + series.bucket + ', by ' + LABEL[state.by] + ')';
  }

  function renderBreakdown(rows, summary) {
    $('breakdown-label').textContent = LABEL[state.by];
    document.querySelector('#breakdown tbody').innerHTML = rows.length === 0 ? '<tr><td class="none" colspan="6">no requests match</td></tr>' : rows.map(function (r) {
      return '<tr><td class="key" title="' + esc(r.key === null ? '(none)' : r.key) + '">' + keyText(r.key) + '</td><td>' + int(r.requests) + '</td><td>' + int(r.estimated_requests) + '</td><td>' + int(r.input_tokens) + '</td><td>' + int(r.output_tokens) + '</td><td>' + usd(r.cost_usd) + '</td></tr>';
    }).join('');
    var rowRequests = rows.reduce(function (a, r) { return a + r.requests; }, 0);
    var note = $('breakdown-note');
    note.hidden = rowRequests <= summary.requests;
    note.textContent = 'A request with several ' + (state.by === 'limit' ? 'limits' : 'keys') + ' is listed under each: the rows add up to ' + int(rowRequests) + ' for ' + int(summary.requests) + ' requests.';
  }

  function renderLimits(limits) {
    var list = $('limit-list');
    if (limits.length === 0) {
      list.innerHTML = '<p class="none">No limits. Create one with <code>POST /api/v1/limits</code> (or <code>payi.limits.create()</code>) and pass its id in <code>limitIds</code>.</p>';
      return;
    }
    list.innerHTML = limits.map(function (l) {
      var pct = l.used === null ? null : Math.round(l.used * 1000) / 10;
      return '<div class="limit" data-limit="' + esc(l.limit_id) + '"><div class="limit-head"><span class="name" title="' + esc(l.limit_id) + '"><b>' + esc(l.limit_name || l.limit_id) + '</b>' +
        (l.limit_name && l.limit_name !== l.limit_id ? ' <small>' + esc(l.limit_id) + '</small>' : '') + '</span>' +
        (l.defined ? '<span class="state ' + esc(l.state) + '">' + esc(l.state) + '</span>' : '<span class="state">not defined</span>') + '</div>' +
        '<div class="limit-figures">' + usd(l.spend_usd) + (l.max !== null ? ' of ' + usd(l.max) + ' (' + pct + '%)' : ' spent; no budget set') + ' · ' + int(l.requests) + ' requests' +
        (l.limit_type ? ' · ' + esc(l.limit_type) : '') + '</div>' +
        (pct !== null ? '<div class="gauge" role="meter" aria-valuemin="0" aria-valuemax="100" aria-valuenow="' + Math.min(pct, 100) + '"><div class="' + esc(l.state) + '" style="width:' + Math.min(pct, 100) + '%"></div></div>' : '') +
        '</div>';
    }).join('');
  }

  function renderRequests(page) {
    $('request-count').textContent = '(' + int(page.total) + ')';
    document.querySelector('#requests tbody').innerHTML = page.items.length === 0 ? '<tr><td class="none" colspan="8">no requests match</td></tr>' : page.items.map(function (r) {
      var badges = (r.stream_outcome && r.stream_outcome !== 'completed' ? ' <span class="badge ' + esc(r.stream_outcome) + '">' + esc(r.stream_outcome) + '</span>' : '') +
        (r.usage_source && r.usage_source !== 'reported' ? ' <span class="badge ' + esc(r.usage_source) + '">' + esc(r.usage_source) + ' usage</span>' : '');
      return '<tr data-request="' + esc(r.request_id) + '"' + (r.request_id === state.selected ? ' class="selected"' : '') + '><td>' + esc(r.event_timestamp.slice(0, 19).replace('T', ' ')) + '</td><td class="key">' + keyText(r.use_case_name) +
        '</td><td class="key">' + keyText(r.user_id) + '</td><td class="key">' + esc(r.resource) + '</td><td>' + int(r.input_tokens) + ' / ' + int(r.output_tokens) + '</td><td>' + usd(r.cost_usd) +
        '</td><td>' + (r.end_to_end_latency_ms === null ? '' : int(Math.round(r.end_to_end_latency_ms)) + ' ms') + '</td><td>' + (r.http_status_code === null ? '' : r.http_status_code) + badges + '</td></tr>';
    }).join('');
    var from = page.total === 0 ? 0 : state.offset + 1;
    $('page').textContent = from + '–' + Math.min(state.offset + state.pageSize, page.total) + ' of ' + int(page.total);
    $('prev').disabled = state.offset === 0;
    $('next').disabled = state.offset + state.pageSize >= page.total;
  }

  function dl(pairs) {
    return '<dl>' + pairs.filter(function (p) { return p[1] !== undefined && p[1] !== null && p[1] !== ''; }).map(function (p) {
      return '<dt>' + esc(p[0]) + '</dt><dd data-field="' + esc(p[0]) + '">' + esc(p[1]) + '</dd>';
    }).join('') + '</dl>';
  }

  function showDetail(id) {
    state.selected = id;
    api('/api/v1/dashboard/requests/' + encodeURIComponent(id)).then(function (e) {
      var props = e.properties || {};
      var units = Object.keys(e.units || {}).map(function (u) {
        return '<tr><td>' + esc(u) + '</td><td>' + int(e.units[u].input) + '</td><td>' + int(e.units[u].output) + '</td></tr>';
      }).join('');
      var html = dl([
        ['request id', e.request_id], ['time', e.event_timestamp], ['category', e.category], ['model', e.resource],
        ['use case', e.use_case_name], ['use case id', e.use_case_id], ['use case version', e.use_case_version], ['use case step', e.use_case_step],
        ['user', e.user_id], ['account', e.account_name], ['limits', (e.limit_ids || []).join(', ')], ['request tags', (e.request_tags || []).join(', ')],
        ['cost', usd(e.cost_total)], ['input cost', usd(e.cost_input)], ['output cost', usd(e.cost_output)], ['price version', e.price_version],
        ['latency', e.end_to_end_latency_ms !== undefined ? Math.round(e.end_to_end_latency_ms) + ' ms' : undefined],
        ['time to first token', e.time_to_first_token_ms !== undefined ? Math.round(e.time_to_first_token_ms) + ' ms' : undefined],
        ['HTTP status', e.http_status_code], ['stream outcome', props['system.stream_outcome']], ['usage source', props['system.usage_source']],
        ['provider response id', e.provider_response_id], ['failure', props['system.failure']],
      ]);
      html += '<h3>Units</h3><table><thead><tr><th>unit</th><th>input</th><th>output</th></tr></thead><tbody>' + units + '</tbody></table>';
      if (e.unknown_units) html += '<p class="note">Units without a price (cost 0): ' + esc(Object.keys(e.unknown_units).join(', ')) + '</p>';
      var own = Object.keys(props).filter(function (k) { return k.indexOf('system.') !== 0; });
      if (own.length) html += '<h3>Request properties</h3>' + dl(own.map(function (k) { return [k, props[k]]; }));
      if (e.provider_response_function_calls) html += '<h3>Tool calls</h3><pre>' + esc(JSON.stringify(e.provider_response_function_calls, null, 2)) + '</pre>';
      if (e.provider_request_json || e.provider_response_json) {
        html += '<h3>Prompt</h3><pre id="detail-prompt">' + esc(e.provider_request_json || '') + '</pre><h3>Response</h3><pre id="detail-response">' + esc(e.provider_response_json || '') + '</pre>';
      } else {
        html += '<p class="note">Prompt and response not stored: this use case does not have logging enabled.</p>';
      }
      $('detail-body').innerHTML = html;
      $('detail').hidden = false;
      document.querySelectorAll('#requests tbody tr').forEach(function (tr) { tr.classList.toggle('selected', tr.getAttribute('data-request') === id); });
    }).catch(function (err) {
      $('detail-body').textContent = err.message;
      $('detail').hidden = false;
    });
  }

  $('period').addEventListener('change', function (ev) { state.period = ev.target.value; state.offset = 0; load(); });
  $('by').addEventListener('change', function (ev) { state.by = ev.target.value; load(); });
  $('metric').addEventListener('change', function (ev) { state.metric = ev.target.value; load(); });
  FILTERS.forEach(function (name) {
    $('f-' + name).addEventListener('change', function (ev) { state.filters[name] = ev.target.value; state.offset = 0; load(); });
  });
  $('clear').addEventListener('click', function () { state.filters = {}; state.offset = 0; load(); });
  $('prev').addEventListener('click', function () { state.offset = Math.max(0, state.offset - state.pageSize); load(); });
  $('next').addEventListener('click', function () { state.offset += state.pageSize; load(); });
  document.querySelector('#requests tbody').addEventListener('click', function (ev) {
    var tr = ev.target.closest('tr[data-request]');
    if (tr) showDetail(tr.getAttribute('data-request'));
  });
  $('close-detail').addEventListener('click', function () { $('detail').hidden = true; state.selected = null; });
  document.addEventListener('keydown', function (ev) { if (ev.key === 'Escape') $('detail').hidden = true; });
  load();
  setInterval(function () { if (!document.hidden) load(); }, 15000);
})();
