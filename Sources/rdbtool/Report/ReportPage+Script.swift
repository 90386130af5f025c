extension ReportPage {
  /// The page's script: reads the JSON data element and draws every section with DOM calls
  /// (text is only ever set as text, never parsed as HTML). An error is written into the
  /// body's `data-errors` attribute; a complete drawing sets `data-rendered="ok"`.
  static let script = #"""
    (function () {
      'use strict';
      var errors = [];
      function fail(message) {
        errors.push(String(message));
        document.body.setAttribute('data-errors', errors.join(' | '));
      }
      window.addEventListener('error', function (e) { fail(e.message); });
      var D = JSON.parse(document.getElementById('report-data').textContent);
      var NS = 'http://www.w3.org/2000/svg';
      var main = document.getElementById('app');
      var TTL_NAMES = { none: 'no TTL', expired: 'expired at save', under_1h: '< 1 hour',
        under_1d: '< 1 day', under_7d: '< 7 days', under_30d: '< 30 days', under_1y: '< 1 year',
        longer: '1 year or more' };
      var TTL_COLORS = ['#8a94a6', '#c0392b', '#e67e22', '#f1c40f', '#2ecc71', '#1abc9c',
        '#3498db', '#6c5ce7'];
      var PALETTE = ['#4e79a7', '#f28e2b', '#e15759', '#76b7b2', '#59a14f', '#edc948',
        '#b07aa1', '#ff9da7', '#9c755f', '#bab0ac'];

      function el(tag, attrs, kids) {
        var node = document.createElement(tag);
        for (var name in attrs || {}) node.setAttribute(name, attrs[name]);
        (kids || []).forEach(function (kid) {
          if (kid === null || kid === undefined) return;
          node.appendChild(typeof kid === 'object' ? kid : document.createTextNode(String(kid)));
        });
        return node;
      }
      function svg(tag, attrs) {
        var node = document.createElementNS(NS, tag);
        for (var name in attrs || {}) node.setAttribute(name, attrs[name]);
        return node;
      }
      function int(n) { return String(n).replace(/\B(?=(\d{3})+(?!\d))/g, ','); }
      function bytes(n) {
        if (n < 1024) return n + ' B';
        var units = ['KiB', 'MiB', 'GiB', 'TiB', 'PiB'], v = n, u = -1;
        while (v >= 1024 && u < units.length - 1) { v /= 1024; u++; }
        var text = v.toFixed(1);
        return (text.slice(-2) === '.0' ? text.slice(0, -2) : text) + ' ' + units[u];
      }
      function pct(part, whole) {
        return whole ? (100 * part / whole).toFixed(1) + '%' : '-';
      }
      function signed(percent) {
        var text = percent.toFixed(1);
        return (text === '-0.0' ? '0.0' : text) + '%';
      }
      function num(value, text) {
        return el('td', { 'class': 'num', 'data-num': String(value) }, [text]);
      }
      function bar(value, max) {
        var width = max ? Math.max(0.2, 100 * value / max) : 0;
        return el('div', { 'class': 'bar', style: 'width:' + width.toFixed(2) + '%' });
      }
      function stack(values) {
        var total = values.reduce(function (a, b) { return a + b; }, 0);
        var box = el('div', { 'class': 'stack' });
        values.forEach(function (v, i) {
          if (!v) return;
          var part = el('span', { style: 'width:' + (100 * v / total).toFixed(3) + '%;background:'
            + TTL_COLORS[i], title: TTL_NAMES[D.ttlClasses[i]] + ': ' + bytes(v) });
          box.appendChild(part);
        });
        return box;
      }
      function legend() {
        return el('div', { 'class': 'legend' }, D.ttlClasses.map(function (name, i) {
          return el('span', {}, [el('i', { style: 'background:' + TTL_COLORS[i] }), TTL_NAMES[name]]);
        }));
      }
      function section(id, title, intro) {
        var box = el('section', { id: id }, [el('h2', {}, [title]),
          intro ? el('p', { 'class': 'intro' }, [intro]) : null]);
        main.appendChild(box);
        return box;
      }
      function table(headers, rows, attrs) {
        var head = el('tr', {}, headers.map(function (h) {
          var numeric = h.charAt(0) === '#';
          return el('th', numeric ? { 'class': 'num' } : {}, [numeric ? h.slice(1) : h]);
        }));
        return el('table', attrs || {}, [el('thead', {}, [head]), el('tbody', {}, rows)]);
      }
      function tallyRows(list, kind) {
        var max = list.reduce(function (m, r) { return Math.max(m, r.bytes); }, 0);
        return list.map(function (r) {
          return el('tr', { 'data-id': kind + ':' + r.name, 'data-keys': r.keys,
            'data-bytes': r.bytes }, [el('td', {}, [r.name]), num(r.keys, int(r.keys)),
            num(r.bytes, bytes(r.bytes)), num(r.bytes, pct(r.bytes, D.bytes)),
            el('td', { style: 'width:35%' }, [bar(r.bytes, max)])]);
        });
      }
      function base(name) {
        var cut = name.replace(/\/+$/, '').lastIndexOf('/');
        return cut < 0 ? name : name.slice(cut + 1);
      }
      function path(trail) {
        return trail.map(function (n) { return n.n === '' ? '(empty)' : n.n; }).join(D.separator);
      }

      function summary() {
        var box = section('summary', 'Summary');
        var servers = {}, versions = {};
        D.files.forEach(function (f) {
          if (f.server) servers[f.server] = 1;
          if (f.rdbVersion) versions[f.rdbVersion] = 1;
        });
        function card(label, value, id, raw) {
          var attrs = { 'class': 'value' };
          if (id) { attrs['data-id'] = id; attrs['data-num'] = String(raw); }
          return el('div', { 'class': 'card' }, [el('div', { 'class': 'label' }, [label]),
            el('div', attrs, [value])]);
        }
        box.appendChild(el('div', { 'class': 'cards' }, [
          card('keys', int(D.keys), 'total-keys', D.keys),
          card('estimated memory', bytes(D.bytes), 'total-bytes', D.bytes),
          card(D.files.length === 1 ? 'file' : 'shards', int(D.files.length)),
          card('RDB version', Object.keys(versions).join(', ') || '?'),
          card('written by', Object.keys(servers).join(', ') || 'unknown')]));
        box.appendChild(el('div', { 'class': 'note' }, [D.note]));
        var mean = D.bytes / Math.max(1, D.files.length);
        var max = D.files.reduce(function (m, f) { return Math.max(m, f.bytes); }, 0);
        box.appendChild(el('h3', {}, [D.files.length === 1 ? 'File' : 'Shards']));
        var rows = D.files.map(function (f, i) {
          return el('tr', { 'data-id': 'file:' + i, 'data-keys': f.keys, 'data-bytes': f.bytes }, [
            el('td', { 'class': 'key' }, [f.name]), el('td', {}, [f.server || '']),
            num(f.keys, int(f.keys)), num(f.bytes, bytes(f.bytes)),
            num(f.bytes, mean ? signed((f.bytes / mean - 1) * 100) : '-'),
            num(f.fileBytes, bytes(f.fileBytes)), el('td', { style: 'width:20%' }, [bar(f.bytes, max)])]);
        });
        var scroll = el('div', { 'class': 'scroll' }, [table(['file', 'written by', '#keys', '#memory',
          '#vs. mean', '#file size', ''], rows)]);
        box.appendChild(scroll);
        if (D.files.length > 1) {
          var skew = mean ? (max / mean - 1) * 100 : 0;
          box.appendChild(el('p', { 'class': 'muted' }, ['Skew: the largest shard holds '
            + skew.toFixed(1) + '% more than the mean (' + bytes(Math.round(mean)) + ').']));
        }
      }

      function findings() {
        var box = section('findings', 'Findings');
        if (!D.findings.length) box.appendChild(el('p', { 'class': 'muted' }, ['Nothing stands out.']));
        D.findings.forEach(function (f) {
          box.appendChild(el('div', { 'class': 'finding ' + f.level }, [el('b', {}, [f.title]), f.detail]));
        });
      }

      function breakdown() {
        var box = section('types', 'Memory by type and encoding');
        var cols = el('div', { 'class': 'cols' });
        [['type', D.types], ['encoding', D.encodings], ['database', D.databases]].forEach(function (pair) {
          cols.appendChild(el('div', {}, [el('h3', {}, ['by ' + pair[0]]),
            table([pair[0], '#keys', '#memory', '#share', ''], tallyRows(pair[1], pair[0]))]));
        });
        box.appendChild(cols);
      }

      function prefixes() {
        var box = section('prefixes', 'Memory by key prefix',
          'Key names split at "' + D.separator + '": area is estimated memory. Click a prefix to '
          + 'zoom in, a prefix above to zoom out. Keys with no separator count in the top bar only.');
        var crumbs = el('div', { 'class': 'crumbs' });
        var width = 1160, rowHeight = 26, depth = 6;
        var chart = svg('svg', { viewBox: '0 0 ' + width + ' ' + rowHeight * depth, width: '100%',
          role: 'img' });
        box.appendChild(crumbs);
        box.appendChild(chart);
        function color(trail) {
          var top = trail.length > 1 ? trail[1] : null;
          var index = top ? (D.tree.c || []).indexOf(top) : 0;
          var base = PALETTE[(index < 0 ? 0 : index) % PALETTE.length];
          return base;
        }
        function draw(trail) {
          while (chart.firstChild) chart.removeChild(chart.firstChild);
          while (crumbs.firstChild) crumbs.removeChild(crumbs.firstChild);
          trail.forEach(function (node, i) {
            if (i) crumbs.appendChild(document.createTextNode(' ' + D.separator + ' '));
            var link = el('a', {}, [i ? node.n || '(empty)' : 'all keys']);
            link.addEventListener('click', function () { draw(trail.slice(0, i + 1)); });
            crumbs.appendChild(link);
          });
          var focus = trail[trail.length - 1];
          var levels = (function height(node) {
            return 1 + (node.c || []).reduce(function (m, c) { return Math.max(m, height(c)); }, 0);
          })(focus);
          var rows = Math.min(depth, levels);
          chart.setAttribute('viewBox', '0 0 ' + width + ' ' + rowHeight * rows);
          crumbs.appendChild(document.createTextNode('  ' + int(focus.k) + ' keys, '
            + bytes(focus.b)));
          function place(node, nodeTrail, x, w, level) {
            if (level >= depth || w < 0.5) return;
            var rect = svg('rect', { x: x.toFixed(2), y: level * rowHeight, width: Math.max(0.5, w - 0.5).toFixed(2),
              height: rowHeight - 2, fill: level === 0 && nodeTrail.length === 1 ? '#c9ced8' : color(nodeTrail),
              'class': 'node', 'fill-opacity': Math.max(0.35, 1 - level * 0.12) });
            var tip = svg('title');
            tip.textContent = path(nodeTrail.slice(1)) + '\n' + int(node.k) + ' keys, ' + bytes(node.b)
              + ' (' + pct(node.b, D.bytes) + ')';
            rect.appendChild(tip);
            rect.addEventListener('click', function () {
              if (node.c) draw(nodeTrail);
            });
            chart.appendChild(rect);
            if (w > 46) {
              var label = (nodeTrail.length === 1 ? 'all keys' : node.n || '(empty)') + ' ' + bytes(node.b);
              var fit = Math.floor((w - 8) / 6.4);
              var text = svg('text', { x: (x + 4).toFixed(2), y: level * rowHeight + 16 });
              text.textContent = label.length > fit ? label.slice(0, Math.max(1, fit - 1)) + '\u2026' : label;
              chart.appendChild(text);
            }
            var offset = x;
            (node.c || []).forEach(function (child) {
              var cw = node.b ? w * child.b / node.b : 0;
              place(child, nodeTrail.concat([child]), offset, cw, level + 1);
              offset += cw;
            });
          }
          place(focus, trail, 0, width, 0);
        }
        draw([D.tree]);

        box.appendChild(el('h3', {}, ['Top prefixes at each depth']));
        var tabs = el('div', { 'class': 'tabs' });
        var holder = el('div', { 'class': 'scroll' });
        box.appendChild(tabs);
        box.appendChild(legend());
        box.appendChild(holder);
        var levels = [];
        (function collect(node, trail) {
          (node.c || []).forEach(function (child) {
            var t = trail.concat([child]);
            (levels[t.length - 1] = levels[t.length - 1] || []).push({ node: child, trail: t });
            collect(child, t);
          });
        })(D.tree, []);
        function show(level) {
          Array.prototype.forEach.call(tabs.children, function (b, i) {
            b.className = i === level ? 'on' : '';
          });
          var list = levels[level].slice().sort(function (a, b) { return b.node.b - a.node.b; }).slice(0, 50);
          var max = list.length ? list[0].node.b : 0;
          var rows = list.map(function (item) {
            var name = path(item.trail);
            return el('tr', { 'data-id': 'prefix' + (level + 1) + ':' + name, 'data-keys': item.node.k,
              'data-bytes': item.node.b }, [el('td', { 'class': 'key' }, [name]), num(item.node.k, int(item.node.k)),
              num(item.node.b, bytes(item.node.b)), num(item.node.b, pct(item.node.b, D.bytes)),
              el('td', { style: 'width:18%' }, [bar(item.node.b, max)]),
              el('td', { style: 'width:22%' }, [stack(item.node.t)])]);
          });
          while (holder.firstChild) holder.removeChild(holder.firstChild);
          holder.appendChild(table(['prefix', '#keys', '#memory', '#share', '', 'TTL (memory)'], rows));
        }
        levels.forEach(function (_, level) {
          var button = el('button', {}, ['depth ' + (level + 1)]);
          button.addEventListener('click', function () { show(level); });
          tabs.appendChild(button);
        });
        if (levels.length) show(0); else holder.appendChild(el('p', { 'class': 'muted' }, ['No key name holds "' + D.separator + '".']));
      }

      function ttl() {
        var box = section('ttl', 'TTL distribution',
          'When keys expire, counted from the moment each file was written.');
        box.appendChild(legend());
        box.appendChild(stack(D.ttl.map(function (r) { return r.bytes; })));
        var rows = D.ttl.filter(function (r) { return r.keys; }).map(function (r) {
          return el('tr', { 'data-id': 'ttl:' + r.name, 'data-keys': r.keys, 'data-bytes': r.bytes }, [
            el('td', {}, [TTL_NAMES[r.name] || r.name]), num(r.keys, int(r.keys)), num(r.bytes, bytes(r.bytes)),
            num(r.bytes, pct(r.bytes, D.bytes))]);
        });
        box.appendChild(table(['TTL', '#keys', '#memory', '#share'], rows));
        box.appendChild(el('h3', {}, ['By prefix (memory)']));
        var list = (D.tree.c || []).slice(0, 25);
        box.appendChild(table(['prefix', '#keys', '#memory', '#without TTL', 'TTL'], list.map(function (n) {
          return el('tr', {}, [el('td', { 'class': 'key' }, [n.o ? '(other)' : n.n]), num(n.k, int(n.k)),
            num(n.b, bytes(n.b)), num(n.t[0], pct(n.t[0], n.b)), el('td', { style: 'width:40%' }, [stack(n.t)])]);
        })));
      }

      function biggest() {
        var box = section('biggest', 'Biggest keys', 'The ' + D.topKeys.length + ' biggest keys by '
          + 'estimated memory, with the keys over the big-key thresholds. Click a heading to sort.');
        var snapshot = D.snapshotTimes || {};
        function ttlText(key) {
          if (key.expires_at === undefined || key.expires_at === null) return ['none', Infinity];
          var base = snapshot[key.file];
          if (base === undefined) return ['at ' + new Date(key.expires_at).toISOString(), key.expires_at];
          var left = key.expires_at - base;
          if (left < 0) return ['expired', -1];
          var s = left / 1000;
          var text = s < 3600 ? Math.round(s / 60) + ' min' : s < 86400 ? (s / 3600).toFixed(1) + ' h'
            : s < 365 * 86400 ? (s / 86400).toFixed(1) + ' d' : (s / (365.25 * 86400)).toFixed(1) + ' y';
          return [text, left];
        }
        var columns = [['key', 'key', false], ['type', 'type', false], ['encoding', 'encoding', false],
          ['elements', 'elements', true], ['memory', 'bytes', true], ['TTL', 'ttl', true],
          ['file', 'file', false], ['db', 'db', true]];
        var items = D.topKeys.map(function (k) { var t = ttlText(k); return { key: k, ttl: t[1], ttlText: t[0] }; });
        var body = el('tbody');
        var order = { field: 'bytes', down: true };
        function value(item, field) { return field === 'ttl' ? item.ttl : item.key[field]; }
        function fill() {
          items.sort(function (a, b) {
            var x = value(a, order.field), y = value(b, order.field);
            var c = x < y ? -1 : x > y ? 1 : 0;
            return order.down ? -c : c;
          });
          while (body.firstChild) body.removeChild(body.firstChild);
          items.forEach(function (item) {
            var k = item.key;
            body.appendChild(el('tr', { 'data-bytes': k.bytes }, [el('td', { 'class': 'key' }, [k.key]),
              el('td', {}, [k.type]), el('td', {}, [k.encoding]), num(k.elements, int(k.elements)),
              num(k.bytes, bytes(k.bytes)), el('td', { 'class': 'num' }, [item.ttlText]),
              el('td', { 'class': 'key', title: k.file }, [base(k.file)]), num(k.db, k.db)]));
          });
        }
        var head = el('tr', {}, columns.map(function (c) {
          var th = el('th', { 'class': 'sortable' + (c[2] ? ' num' : '') }, [c[0]]);
          th.addEventListener('click', function () {
            order = { field: c[1], down: order.field === c[1] ? !order.down : c[2] };
            fill();
          });
          return th;
        }));
        fill();
        box.appendChild(el('div', { 'class': 'scroll' }, [el('table', { id: 'biggest-keys' },
          [el('thead', {}, [head]), body])]));
      }

      function histograms() {
        var box = section('histograms', 'Histograms', 'Keys per bucket; each bucket doubles the last.');
        var cols = el('div', { 'class': 'cols' });
        [['Elements (lists, sets, sorted sets, hashes, streams)', D.elementHistogram, int],
         ['String length', D.stringLengthHistogram, bytes],
         ['Estimated memory per key', D.sizeHistogram, bytes]].forEach(function (h) {
          var list = h[1], w = 520, hgt = 190, pad = 28;
          var chart = svg('svg', { viewBox: '0 0 ' + w + ' ' + (hgt + 40), width: '100%', role: 'img' });
          var max = list.reduce(function (m, b) { return Math.max(m, b.count); }, 0);
          var step = list.length ? (w - pad) / list.length : 0;
          list.forEach(function (b, i) {
            var bh = max ? Math.max(1, (hgt - 20) * b.count / max) : 0;
            var rect = svg('rect', { x: (pad + i * step + 2).toFixed(1), y: (hgt - bh).toFixed(1),
              width: Math.max(1, step - 4).toFixed(1), height: bh.toFixed(1), fill: '#4e79a7' });
            var tip = svg('title');
            tip.textContent = h[2](b.min) + ' to ' + h[2](b.max) + ': ' + int(b.count) + ' keys';
            rect.appendChild(tip);
            chart.appendChild(rect);
            var count = svg('text', { x: (pad + i * step + step / 2).toFixed(1), y: (hgt - bh - 4).toFixed(1),
              'text-anchor': 'middle' });
            count.textContent = int(b.count);
            chart.appendChild(count);
            var label = svg('text', { x: (pad + i * step + step / 2).toFixed(1), y: hgt + 16,
              'text-anchor': 'middle' });
            label.textContent = step > 30 || i % 2 === 0 ? h[2](b.min) : '';
            chart.appendChild(label);
          });
          cols.appendChild(el('div', {}, [el('h3', {}, [h[0]]), list.length ? chart
            : el('p', { 'class': 'muted' }, ['No keys.'])]));
        });
        box.appendChild(cols);
      }

      function slots() {
        if (!D.slots) return;
        var box = section('slots', 'Memory per hash slot',
          'The 16384 cluster slots, 128 to a row (slot 0 top left): darker is more memory. Below, '
          + 'which shard holds each slot.');
        var total = D.slots.keys.reduce(function (a, b) { return a + b; }, 0);
        box.appendChild(el('p', { 'class': 'muted', 'data-id': 'slots-total', 'data-keys': total },
          [int(total) + ' keys in ' + int(D.slots.keys.filter(function (k) { return k; }).length) + ' slots.']));
        var max = D.slots.bytes.reduce(function (m, b) { return Math.max(m, b); }, 0);
        function grid(colorOf) {
          var canvas = el('canvas', { width: 512, height: 512 });
          var ctx = canvas.getContext('2d');
          for (var s = 0; s < 16384; s++) {
            ctx.fillStyle = colorOf(s);
            ctx.fillRect((s % 128) * 4, Math.floor(s / 128) * 4, 4, 4);
          }
          return canvas;
        }
        var heat = grid(function (s) {
          var b = D.slots.bytes[s];
          if (!b) return '#f0f1f4';
          var t = Math.log(1 + b) / Math.log(1 + max);
          return 'hsl(' + (220 - 200 * t).toFixed(0) + ',70%,' + (88 - 50 * t).toFixed(0) + '%)';
        });
        var owners = grid(function (s) {
          var o = D.slots.owner[s];
          return o < 0 ? '#f0f1f4' : PALETTE[o % PALETTE.length];
        });
        var readout = el('p', { 'class': 'muted' }, ['Point at a slot.']);
        [heat, owners].forEach(function (canvas) {
          canvas.addEventListener('mousemove', function (e) {
            var r = canvas.getBoundingClientRect();
            var x = Math.floor((e.clientX - r.left) / r.width * 128);
            var y = Math.floor((e.clientY - r.top) / r.height * 128);
            var s = y * 128 + x;
            if (s < 0 || s > 16383) return;
            var o = D.slots.owner[s];
            readout.textContent = 'slot ' + s + ': ' + int(D.slots.keys[s]) + ' keys, '
              + bytes(D.slots.bytes[s]) + (o >= 0 ? ', ' + D.files[o].name : '');
          });
        });
        box.appendChild(el('div', { 'class': 'cols' }, [el('div', {}, [el('h3', {}, ['memory']), heat]),
          el('div', {}, [el('h3', {}, ['shard']), owners])]));
        box.appendChild(el('div', { 'class': 'legend' }, D.files.slice(0, 40).map(function (f, i) {
          return el('span', { title: f.name }, [el('i', { style: 'background:' + PALETTE[i % PALETTE.length] }),
            base(f.name)]);
        })));
        box.appendChild(readout);
        var hottest = D.slots.bytes.map(function (b, s) { return [b, s]; }).filter(function (p) { return p[0]; })
          .sort(function (a, b) { return b[0] - a[0]; }).slice(0, 10);
        box.appendChild(el('h3', {}, ['Hottest slots']));
        box.appendChild(table(['slot', '#keys', '#memory', 'shard'], hottest.map(function (p) {
          var o = D.slots.owner[p[1]];
          return el('tr', {}, [el('td', {}, [p[1]]), num(D.slots.keys[p[1]], int(D.slots.keys[p[1]])),
            num(p[0], bytes(p[0])), el('td', { 'class': 'key' }, [o >= 0 ? base(D.files[o].name) : ''])]);
        })));
      }

      try {
        summary();
        findings();
        breakdown();
        prefixes();
        ttl();
        biggest();
        histograms();
        slots();
      } catch (e) {
        fail(e && e.stack ? e.stack : e);
      }
      if (!errors.length) document.body.setAttribute('data-rendered', 'ok');
    })();
    """#
}
