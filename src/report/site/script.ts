// The portfolio's one script, inline and allowed by its hash: sorts the table by any column
// (numbers as numbers, ties in the page's order), filters it by text, readiness and value, and
// says how many models are shown. Without it the page reads the same, unsorted and unfiltered
// (the filter controls stay hidden). It reads the page only: nothing from a repository is in it.
import { cspHash } from './html.js';

export const SCRIPT = `
(function () {
  'use strict';
  var table = document.getElementById('portfolio');
  if (!table || !table.tBodies[0] || !table.tHead) return;
  var body = table.tBodies[0];
  var rows = Array.prototype.slice.call(body.rows);
  var heads = Array.prototype.slice.call(table.tHead.rows[0].cells);
  var filter = document.getElementById('filter');
  var readiness = document.getElementById('filter-readiness');
  var standing = document.getElementById('filter-value');
  var shown = document.getElementById('shown');
  var controls = document.getElementById('controls');
  if (controls) controls.hidden = false;

  function key(row, col, numeric) {
    var cell = row.cells[col];
    var s = cell ? cell.getAttribute('data-sort') : null;
    if (s === null) s = cell ? cell.textContent : '';
    if (numeric) {
      var n = parseFloat(s);
      return isNaN(n) ? -Infinity : n;
    }
    return s.toLowerCase();
  }

  heads.forEach(function (th, col) {
    var button = th.querySelector('button');
    if (!button) return;
    button.addEventListener('click', function () {
      var dir = th.getAttribute('aria-sort') === 'ascending' ? 'descending' : 'ascending';
      var sign = dir === 'ascending' ? 1 : -1;
      var numeric = th.getAttribute('data-type') === 'number';
      var keyed = rows.map(function (row, i) {
        return { row: row, key: key(row, col, numeric), i: i };
      });
      keyed.sort(function (a, b) {
        if (a.key < b.key) return -sign;
        if (a.key > b.key) return sign;
        return a.i - b.i;
      });
      heads.forEach(function (h) {
        if (h.hasAttribute('aria-sort')) h.setAttribute('aria-sort', 'none');
      });
      th.setAttribute('aria-sort', dir);
      keyed.forEach(function (k) {
        body.appendChild(k.row);
      });
    });
  });

  function apply() {
    var q = filter ? filter.value.trim().toLowerCase() : '';
    var r = readiness ? readiness.value : '';
    var v = standing ? standing.value : '';
    var n = 0;
    rows.forEach(function (row) {
      var show =
        (q === '' || (row.getAttribute('data-search') || '').indexOf(q) >= 0) &&
        (r === '' || row.getAttribute('data-readiness') === r) &&
        (v === '' || row.getAttribute('data-standing') === v);
      row.hidden = !show;
      if (show) n++;
    });
    if (shown) shown.textContent = n + ' of ' + rows.length + (rows.length === 1 ? ' model' : ' models');
  }
  if (filter) filter.addEventListener('input', apply);
  if (readiness) readiness.addEventListener('change', apply);
  if (standing) standing.addEventListener('change', apply);
  apply();
})();
`;

/** The CSP source that allows exactly `SCRIPT`. */
export const SCRIPT_HASH = cspHash(SCRIPT);
