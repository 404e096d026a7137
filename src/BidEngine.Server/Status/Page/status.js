// The status page: polls status/data (a relative URL, so it works on whatever host and port serves
// the page) once a second, keeps the series, and draws small SVG line charts. No libraries.
(() => {
  'use strict';

  const SVG = 'http://www.w3.org/2000/svg';
  const REFRESH_MS = 1000;

  const CHARTS = [
    { id: 'requests', series: [
      { key: 'requestsPerSecond', name: 'requests', color: '#2563eb' },
      { key: 'bidsPerSecond', name: 'bids', color: '#16a34a' }] },
    { id: 'latency', unit: ' ms', series: [
      { key: 'p50Ms', name: 'p50', color: '#0891b2' },
      { key: 'p99Ms', name: 'p99', color: '#d97706' },
      { key: 'p999Ms', name: 'p99.9', color: '#dc2626' }] },
    { id: 'paths', percent: true, stacked: true, series: [
      { key: 'modelShare', name: 'model', color: '#2563eb' },
      { key: 'heuristicShare', name: 'heuristic', color: '#7c3aed' },
      { key: 'noCandidatesShare', name: 'no candidates', color: '#94a3b8' },
      { key: 'noTimeShare', name: 'no time', color: '#d97706' },
      { key: 'shedShare', name: 'shed', color: '#dc2626' }] },
    { id: 'late', series: [
      { key: 'latePerSecond', name: 'late answers', color: '#dc2626' }] },
    { id: 'billed', series: [
      { key: 'billedPerSecond', name: 'billed', color: '#16a34a' }] },
    { id: 'skipped', series: [
      { key: 'skippedPerSecond', name: 'all reasons', color: '#64748b' },
      { key: 'cappedPerSecond', name: 'frequency cap', color: '#c026d3' }] },
  ];

  const KEYS = CHARTS.flatMap(c => c.series.map(s => s.key));

  // The series as the page keeps them: t (unix seconds) and one column per key, oldest first.
  const data = { t: [], columns: Object.fromEntries(KEYS.map(k => [k, []])), capacity: 600, startedAt: null };
  let latest = null;
  let cursor = null; // unix second under the mouse, or null

  const $ = id => document.getElementById(id);
  const el = (tag, attrs, text) => {
    const node = document.createElement(tag);
    for (const [k, v] of Object.entries(attrs || {})) node.setAttribute(k, v);
    if (text !== undefined) node.textContent = text;
    return node;
  };
  const svg = (tag, attrs) => {
    const node = document.createElementNS(SVG, tag);
    for (const [k, v] of Object.entries(attrs || {})) node.setAttribute(k, v);
    return node;
  };

  // ---- numbers for people ----
  const isNum = v => typeof v === 'number' && isFinite(v);
  function fmt(v, digits) {
    if (!isNum(v)) return '–';
    const abs = Math.abs(v);
    const d = digits !== undefined ? digits : abs >= 100 ? 0 : abs >= 10 ? 1 : abs >= 1 ? 2 : 3;
    return v.toLocaleString('en-US', { minimumFractionDigits: 0, maximumFractionDigits: d });
  }
  const pct = (v, d = 1) => isNum(v) ? fmt(v * 100, d) + '%' : '–';
  function amount(v) {
    if (!isNum(v)) return '–';
    const d = Math.abs(v) >= 100 ? 0 : Math.abs(v) >= 1 || v === 0 ? 2 : 4;
    return v.toLocaleString('en-US', { minimumFractionDigits: Math.min(d, 2), maximumFractionDigits: d });
  }
  const money = (v, currency) => isNum(v) ? amount(v) + ' ' + currency : '–';
  function duration(seconds) {
    const d = Math.floor(seconds / 86400), h = Math.floor(seconds % 86400 / 3600), m = Math.floor(seconds % 3600 / 60), s = seconds % 60;
    return d ? `${d} d ${h} h` : h ? `${h} h ${m} min` : m ? (s ? `${m} min ${s} s` : `${m} min`) : `${s} s`;
  }
  // The mean of the last n points of a column that have a value.
  function recent(key, n = 10) {
    const col = data.columns[key];
    let sum = 0, count = 0;
    for (let i = col.length - 1; i >= 0 && i >= col.length - n; i--) {
      if (isNum(col[i])) { sum += col[i]; count++; }
    }
    return count ? sum / count : null;
  }

  // ---- the data ----
  function merge(doc) {
    const series = doc.series;
    // A document that overlaps what is kept (a first load, or an answer to a retried poll) replaces it.
    const overlaps = series.t.length > 0 && data.t.length > 0 && series.t[0] <= data.t[data.t.length - 1];
    if (overlaps) {
      data.t = [];
      for (const k of KEYS) data.columns[k] = [];
    }
    data.startedAt = doc.startedAt;
    data.capacity = series.capacity;
    data.t.push(...series.t);
    for (const k of KEYS) data.columns[k].push(...(series[k] || series.t.map(() => null)));
    const extra = data.t.length - data.capacity;
    if (extra > 0) {
      data.t.splice(0, extra);
      for (const k of KEYS) data.columns[k].splice(0, extra);
    }
  }

  async function poll() {
    try {
      const since = data.t.length ? data.t[data.t.length - 1] : 0;
      const response = await fetch('status/data' + (since ? '?since=' + since : ''), { cache: 'no-store' });
      if (!response.ok) throw new Error('status/data answered ' + response.status);
      const doc = await response.json();
      if (data.startedAt !== null && data.startedAt !== doc.startedAt && since) {
        // Another process answers now (a restart): the next poll asks for its whole history.
        data.startedAt = null;
        data.t = [];
        for (const k of KEYS) data.columns[k] = [];
        return;
      }
      merge(doc);
      latest = doc;
      $('problem').hidden = true;
      render();
    } catch (e) {
      const problem = $('problem');
      problem.textContent = 'Cannot read the bidder (' + e.message + '): showing the last data, trying again every second.';
      problem.hidden = false;
    } finally {
      setTimeout(poll, REFRESH_MS);
    }
  }

  // ---- charts ----
  // The gridline step: the smallest of 1, 1.5, 2, 2.5, 3, 4, 5, 6, 8 × a power of ten that puts four steps above v.
  function niceStep(v) {
    if (!(v > 0)) return 0.25;
    const quarter = v / 4;
    const p = Math.pow(10, Math.floor(Math.log10(quarter)));
    for (const m of [1, 1.5, 2, 2.5, 3, 4, 5, 6, 8, 10]) if (m * p >= quarter) return m * p;
    return 10 * p;
  }

  // The time the charts span: the whole history once it is full, until then the next whole minute
  // past what there is (a bidder up for 20 s shows a minute, not a sliver at the edge of ten).
  function spanOf(t) {
    const have = t.length ? t[t.length - 1] - t[0] + 1 : 0;
    return Math.min(data.capacity, Math.max(60, Math.ceil(have / 60) * 60));
  }

  function drawChart(chart) {
    const figure = $('chart-' + chart.id);
    const box = figure.querySelector('svg');
    const width = Math.max(200, box.clientWidth || 400), height = 170;
    const left = 46, right = 8, top = 8, bottom = 20;
    const w = width - left - right, h = height - top - bottom;
    box.setAttribute('viewBox', `0 0 ${width} ${height}`);
    box.replaceChildren();

    const t = data.t;
    const now = t.length ? t[t.length - 1] : Math.floor(Date.now() / 1000);
    const span = spanOf(t);
    const x = s => left + (1 - (now - s) / span) * w;
    const scale = chart.percent ? 100 : 1;
    const columns = chart.series.map(s => data.columns[s.key].map(v => isNum(v) ? v * scale : null));

    // Stacked shares: each band sits on the ones before it (a second without answers stays a gap).
    let lines = columns;
    if (chart.stacked) {
      lines = [];
      let base = t.map(() => 0);
      for (const col of columns) {
        const sum = col.map((v, i) => v === null || base[i] === null ? null : base[i] + v);
        lines.push(sum);
        base = sum;
      }
    }

    let max = 0;
    for (const col of lines) for (const v of col) if (v !== null && v > max) max = v;
    const step = chart.percent ? 25 : niceStep(max * 1.05);
    const yMax = 4 * step;
    const digits = step >= 1 ? 0 : step >= 0.1 ? 2 : 3;
    const y = v => top + h - (v / yMax) * h;

    const grid = svg('g', { class: 'grid' });
    const axis = svg('g', { class: 'axis' });
    for (let i = 0; i <= 4; i++) {
      const v = yMax * i / 4, yy = y(v);
      grid.appendChild(svg('line', { x1: left, x2: left + w, y1: yy, y2: yy }));
      const label = svg('text', { x: left - 6, y: yy + 3.5, 'text-anchor': 'end' });
      label.textContent = fmt(v, digits) + (chart.percent ? '%' : '');
      axis.appendChild(label);
    }
    const every = [10, 15, 30, 60, 120, 300].find(s => span / s <= 6) || 600;
    for (let ago = 0; ago <= span; ago += every) {
      const xx = x(now - ago);
      grid.appendChild(svg('line', { x1: xx, x2: xx, y1: top, y2: top + h }));
      const label = svg('text', { x: xx, y: height - 4, 'text-anchor': ago === 0 ? 'end' : ago === span ? 'start' : 'middle' });
      label.textContent = ago === 0 ? 'now' : ago % 60 ? `-${ago} s` : `-${ago / 60} min`;
      axis.appendChild(label);
    }
    box.append(grid, axis);

    let points = 0;
    columns[0].forEach(v => { if (v !== null) points++; });
    figure.setAttribute('data-points', String(points));
    figure.setAttribute('data-series-with-data', String(columns.filter(c => c.some(v => v !== null)).length));

    if (!t.length || lines.every(col => col.every(v => v === null))) {
      const empty = svg('text', { x: left + w / 2, y: top + h / 2, 'text-anchor': 'middle', class: 'empty' });
      empty.textContent = t.length ? 'nothing yet in this window' : 'waiting for the first sample';
      box.appendChild(empty);
    }

    // Bands (stacked, the highest first so that each lower one shows over it) or lines (the first
    // series at the bottom), with a gap wherever a second has no value.
    const order = lines.map((_, i) => i);
    if (chart.stacked) order.reverse();
    for (const s of order) {
      const col = lines[s], color = chart.series[s].color;
      const segments = [];
      let run = [];
      for (let i = 0; i < t.length; i++) {
        if (col[i] === null) { if (run.length) segments.push(run); run = []; } else run.push(i);
      }
      if (run.length) segments.push(run);
      for (const seg of segments) {
        const d = seg.map((i, k) => `${k ? 'L' : 'M'}${x(t[i]).toFixed(1)},${y(col[i]).toFixed(1)}`).join('');
        if (chart.stacked) {
          const below = s > 0 ? lines[s - 1] : null;
          const back = seg.slice().reverse().map(i => `L${x(t[i]).toFixed(1)},${y(below && below[i] !== null ? below[i] : 0).toFixed(1)}`).join('');
          box.appendChild(svg('path', { d: d + back + 'Z', fill: color, 'fill-opacity': 0.75, stroke: 'none' }));
        } else if (seg.length === 1) {
          box.appendChild(svg('circle', { cx: x(t[seg[0]]), cy: y(col[seg[0]]), r: 1.8, fill: color }));
        } else {
          box.appendChild(svg('path', { d, fill: 'none', stroke: color, 'stroke-width': 1.6, 'stroke-linejoin': 'round' }));
        }
      }
    }

    // The legend shows the value under the mouse, or the last one.
    let at = t.length - 1;
    if (cursor !== null && t.length) {
      at = t.findIndex(s => s >= cursor);
      if (at < 0) at = t.length - 1;
      box.appendChild(svg('line', { class: 'cursor', x1: x(t[at]), x2: x(t[at]), y1: top, y2: top + h }));
    }
    const legend = figure.querySelector('.legend');
    legend.replaceChildren(...chart.series.map((s, i) => {
      const item = el('span');
      const swatch = el('i');
      swatch.style.background = s.color;
      const value = at >= 0 ? columns[i][at] : null;
      item.append(swatch, s.name + ' ', el('b', {}, value === null ? '–' : fmt(value, chart.percent ? 1 : undefined) + (chart.percent ? '%' : chart.unit || '')));
      return item;
    }));
    if (cursor !== null && at >= 0) {
      legend.appendChild(el('span', {}, new Date(t[at] * 1000).toLocaleTimeString()));
    }

    box.onmousemove = event => {
      const r = box.getBoundingClientRect();
      const px = (event.clientX - r.left) * (width / r.width);
      cursor = Math.round(now - (1 - (px - left) / w) * span);
      CHARTS.forEach(drawChart);
    };
    box.onmouseleave = () => { cursor = null; CHARTS.forEach(drawChart); };
  }

  // ---- the rest of the page ----
  function tile(label, value, unit, title) {
    const node = el('div', { class: 'tile', title: title || '' });
    node.append(el('div', { class: 'label' }, label));
    const v = el('div', { class: 'value' }, value);
    if (unit) v.appendChild(el('small', {}, unit));
    node.appendChild(v);
    return node;
  }

  function renderHeader(doc) {
    const badge = $('readiness');
    badge.textContent = doc.readiness;
    badge.className = 'badge ' + (doc.readiness === 'ready' ? 'good' : doc.readiness === 'draining' ? 'warn' : 'bad');
    const facts = [
      ['up', duration(doc.uptimeSeconds)],
      ['model', doc.model.inUse ? doc.model.name : 'none (prior CTRs)'],
      ['money state', doc.state.mode],
      ['campaigns', String(doc.campaigns.count)],
      ['updated', new Date(doc.now).toLocaleTimeString()],
    ];
    $('facts').replaceChildren(...facts.map(([k, v]) => {
      const d = el('div');
      d.append(el('dt', {}, k), el('dd', {}, v));
      return d;
    }));
    $('window').textContent = duration(data.capacity);
  }

  function renderTiles() {
    const shed = recent('shedShare'), model = recent('modelShare'), heuristic = recent('heuristicShare');
    $('tiles').replaceChildren(
      tile('Requests / s', fmt(recent('requestsPerSecond'), 0), '', 'mean of the last 10 seconds'),
      tile('Bids / s', fmt(recent('bidsPerSecond'), 0), '', 'answers with a bid, mean of the last 10 seconds'),
      tile('p99 answer time', fmt(recent('p99Ms')), 'ms', 'mean of the last 10 one-second p99s'),
      tile('Priced by the model', pct(model), '', 'share of answers, last 10 seconds'),
      tile('Priced by priors', pct(heuristic), '', 'share of answers, last 10 seconds'),
      tile('Shed', pct(shed), '', 'share of answers shed before parsing, last 10 seconds'),
      tile('Late / s', fmt(recent('latePerSecond')), '', 'answers after their deadline, last 10 seconds'),
      tile('Billed / s', fmt(recent('billedPerSecond')), '', 'billing notices that became spend, last 10 seconds'));
  }

  function cell(text, cls) { return el('td', cls ? { class: cls } : {}, text); }

  function renderCampaigns(doc) {
    const c = doc.campaigns;
    $('campaign-count').textContent = c.shown < c.count ? `${c.shown} of ${c.count}, most spent today first` : `${c.count}`;
    const rows = c.items.map(item => {
      const tr = el('tr');
      const spend = el('td', { class: 'spend' });
      const text = el('div', { class: 'meter-text' }, item.dailyBudget !== null
        ? `${amount(item.spentToday)} of ${money(item.dailyBudget, item.currency)}`
        : `${money(item.spentToday, item.currency)}, no daily budget`);
      spend.appendChild(text);
      if (isNum(item.dailyBudget) && item.dailyBudget > 0) {
        const meter = el('div', { class: 'meter' });
        const share = Math.min(1, item.spentToday / item.dailyBudget);
        const fill = el('div', { class: 'fill' });
        fill.style.width = (share * 100).toFixed(2) + '%';
        if (share >= 0.999) fill.classList.add('full');
        else if (isNum(item.targetByNow) && item.spentToday > item.targetByNow * 1.1 + item.dailyBudget * 0.01) fill.classList.add('ahead');
        meter.appendChild(fill);
        if (isNum(item.targetByNow)) {
          const target = el('div', { class: 'target', title: 'pacing target by now' });
          target.style.left = `calc(${(Math.min(1, item.targetByNow / item.dailyBudget) * 100).toFixed(2)}% - 1px)`;
          meter.appendChild(target);
        }
        spend.appendChild(meter);
      }
      tr.append(
        cell(item.id, 'id'),
        cell(item.pacing),
        spend,
        cell(isNum(item.targetByNow) ? money(item.targetByNow, item.currency) : '–', 'num'),
        cell(pct(item.participation), 'num'),
        cell(money(item.reserved, item.currency), 'num'),
        cell(item.totalBudget !== null ? `${amount(item.spentTotal)} of ${money(item.totalBudget, item.currency)}` : money(item.spentTotal, item.currency), 'num'),
        cell(fmt(item.wins, 0), 'num'),
        cell(fmt(item.losses, 0), 'num'),
        cell(pct(item.winRate), 'num'),
        cell(fmt(item.impressions, 0), 'num'),
        cell(pct(item.ctr, 2), 'num'),
        el('td', { class: 'na', title: 'not counted per campaign: see below' }, 'n/c'));
      return tr;
    });
    $('campaigns').querySelector('tbody').replaceChildren(...rows);
    const capped = recent('cappedPerSecond', 60), skipped = recent('skippedPerSecond', 60);
    $('capped-note').textContent = isNum(skipped) && skipped > 0
      ? `for all campaigns together, the frequency cap skipped ${fmt(capped)} candidates/s of ${fmt(skipped)} skipped/s in the last minute (${pct(capped / skipped)}).`
      : 'for all campaigns together, nothing was skipped in the last minute.';
  }

  const SWITCH = { serving: 'good', probing: 'warn', tripped: 'bad', disabled: 'bad' };
  const SWITCH_TEXT = { serving: 'serving', probing: 'probing', tripped: 'tripped', disabled: 'off by hand' };

  function renderExchanges(doc) {
    const box = $('exchanges');
    if (!doc.exchanges.length) {
      box.replaceChildren(el('p', { class: 'note' }, 'No exchange profiles: every request comes to /openrtb2/bid and no kill switch applies. Each profile (BidEngine:Exchanges) gets its own route and kill switch.'));
      return;
    }
    const table = el('table');
    const head = el('tr');
    for (const [h, cls] of [['Exchange'], ['Kill switch'], ['Late or error in its window', 'num'], ['Trips at', 'num'], ['Trips', 'num'],
      ['Bids', 'num'], ['No-bids', 'num'], ['Late', 'num'], ['Errors', 'num'], ['Bills on']]) {
      head.appendChild(el('th', cls ? { class: cls } : {}, h));
    }
    table.appendChild(el('thead')).appendChild(head);
    const body = table.appendChild(el('tbody'));
    for (const x of doc.exchanges) {
      const tr = el('tr');
      const state = el('td');
      state.appendChild(el('span', { class: 'badge ' + (SWITCH[x.state] || '') }, SWITCH_TEXT[x.state] || x.state));
      tr.append(
        cell(x.name, 'id'), state,
        cell(x.windowAnswers ? `${pct(x.windowLateOrErrorShare)} of ${fmt(x.windowAnswers, 0)} in ${x.windowSeconds} s` : `no answers in ${x.windowSeconds} s`, 'num'),
        cell(pct(x.tripShare, 0), 'num'),
        cell(fmt(x.trips, 0), 'num'), cell(fmt(x.bids, 0), 'num'), cell(fmt(x.noBids, 0), 'num'),
        cell(fmt(x.late, 0), 'num'), cell(fmt(x.errors, 0), 'num'), cell(x.billOn));
      body.appendChild(tr);
    }
    const scroll = el('div', { class: 'scroll' });
    scroll.appendChild(table);
    box.replaceChildren(scroll);
  }

  function pairs(target, list) {
    $(target).replaceChildren(...list.flatMap(([k, v]) => [el('dt', {}, k), el('dd', {}, v)]));
  }

  // Predicted clicks ÷ clicks of the billed impressions each scorer priced: 1 is calibrated.
  function calibration(m) {
    return m.calibration.map(c => [`calibration, ${c.scorer}`, c.impressions
      ? `${fmt(c.predictedOverClicks, 2)} predicted ÷ clicked (${fmt(c.predictedClicks, 1)} predicted, ${fmt(c.clicks, 0)} clicks on ${fmt(c.impressions, 0)} billed)`
      : 'no billed impressions yet']);
  }

  function renderModel(doc) {
    const m = doc.model;
    if (!m.inUse) {
      pairs('model', [['in use', m.name], ...calibration(m)]);
      return;
    }
    pairs('model', [
      ['in use', m.name],
      ['file', m.path],
      ['kind', `${m.family || '?'}, ${m.precision}, ${m.hashBits} hash bits, ${m.factorDim} factors`],
      ['features', m.featureSpec || '?'],
      ['arms', m.arms === 1 ? 'one (no challenger yet)' : String(m.arms)],
      ...calibration(m),
      ['batching', m.batching.toLowerCase()],
      ['runs', `${fmt(m.runs, 0)} runs, ${fmt(m.rows, 0)} rows (since start, warm-up included)`],
      ['refused, cut off', `${fmt(m.notStarted, 0)} did not fit the deadline, ${fmt(m.cutOff, 0)} cut off`],
      ['cost per run', m.bucketCostsUs.map(b => `${b.rows}: ${fmt(b.us, 0)} µs`).join(' · ')],
    ]);
  }

  function renderState(doc) {
    const s = doc.state;
    const ledger = s.ledgerRecords >= 0 ? `${fmt(s.ledgerRecords, 0)} of ${fmt(s.ledgerCapacity, 0)} records (${pct(s.ledgerRecords / s.ledgerCapacity, 2)})` : 'on the store';
    const list = [];
    if (s.mode === 'store') {
      list.push(
        ['where', `a fleet's store, ${s.store}`],
        ['store', s.storeUp ? 'answers' : 'DOES NOT ANSWER: bidding on the leases held'],
        ['latency', `${fmt(s.storeMeanLatencyMs)} ms mean, ${fmt(s.storeMaxLatencyMs)} ms max`],
        ['errors', `${fmt(s.storeErrors, 0)} (${fmt(s.storeTimeouts, 0)} timeouts)`],
        ['round trips', `${fmt(s.noticeRoundTrips, 0)} for notices, ${fmt(s.backgroundRoundTrips, 0)} in the background`]);
    } else if (s.mode === 'embedded') {
      list.push(
        ['where', 'this process, journaled to disk'],
        ['folder', s.folder],
        ['journal', `${fmt(s.journalRecords, 0)} records in ${fmt(s.journalFlushes, 0)} flushes, ${fmt(s.journalFailures, 0)} failures`]);
    } else {
      list.push(['where', 'memory only: forgotten at exit (State:Durable is false)']);
    }
    list.push(['ledger', ledger], ['paced', `${s.pacedCampaigns} campaigns bid on less than every request`], ['exhausted', `${s.exhaustedCampaigns} campaigns out of budget`]);
    pairs('state', list);

    const box = $('leases');
    if (s.mode !== 'store') {
      box.replaceChildren();
      return;
    }
    const table = el('table');
    const head = el('tr');
    head.append(el('th', {}, 'Lease'), el('th', { class: 'num' }, 'Slice'), el('th', { class: 'num' }, 'Held by bids'));
    table.appendChild(el('thead')).appendChild(head);
    const body = table.appendChild(el('tbody'));
    for (const l of s.leases) {
      const tr = el('tr');
      tr.append(cell(l.campaign, 'id'), cell(fmt(l.slice), 'num'), cell(fmt(l.reserved), 'num'));
      body.appendChild(tr);
    }
    box.replaceChildren(table);
  }

  function render() {
    if (!latest) return;
    renderHeader(latest);
    renderTiles();
    CHARTS.forEach(drawChart);
    renderCampaigns(latest);
    renderExchanges(latest);
    renderModel(latest);
    renderState(latest);
  }

  window.addEventListener('resize', () => CHARTS.forEach(drawChart));
  poll();
})();
