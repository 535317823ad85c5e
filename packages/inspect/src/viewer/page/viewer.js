// The oxels viewer page: pair list, both views, hover a pixel of A to see its stored match in B.
// Plain ES module, no build step; talks to the JSON/PNG API of startViewer.ts.

const $ = (id) => document.getElementById(id);
const STATUS_TEXT = [
  'MATCH',
  'OCCLUDED: its surface point is hidden from B by something nearer',
  'OUT OF VIEW: its surface point projects outside B (or behind it)',
  'MISS: the ray from A hits nothing',
];
/** Displayed views are at least this wide (integer zoom, pixelated). */
const MIN_VIEW_WIDTH = 400;

const state = { pairs: [], current: null, pair: null, nearest: null, pinned: false, descriptors: null };

async function getJson(url) {
  const res = await fetch(url);
  const body = await res.json();
  if (!res.ok) throw new Error(body.error ?? `${url}: HTTP ${res.status}`);
  return body;
}

function percent(n, total) {
  return total ? `${((100 * n) / total).toFixed(1)}%` : '-';
}

/**
 * Index of the sampled pixel of A nearest to pixel (x, y), by distance between pixel centres; rings of
 * growing radius are searched until no nearer sample can lie outside them. -1 when nothing is sampled.
 */
function nearestSample(pair, x, y) {
  const { width: w, height: h } = pair.meta;
  let best = -1;
  let bestD = Number.POSITIVE_INFINITY;
  for (let r = 0; r < Math.max(w, h); r++) {
    if (r * r > bestD) break;
    for (let yy = y - r; yy <= y + r; yy++) {
      for (let xx = x - r; xx <= x + r; xx++) {
        if (Math.max(Math.abs(xx - x), Math.abs(yy - y)) !== r) continue; // the ring only
        if (xx < 0 || yy < 0 || xx >= w || yy >= h) continue;
        const i = pair.sampleAt[yy * w + xx];
        const d = (xx - x) ** 2 + (yy - y) ** 2;
        if (i >= 0 && d < bestD) {
          best = i;
          bestD = d;
        }
      }
    }
  }
  return best;
}

function placeMarker(marker, img, u, v, width, height) {
  marker.style.left = `${(u * img.clientWidth) / width}px`;
  marker.style.top = `${(v * img.clientHeight) / height}px`;
  marker.hidden = false;
}

function showSample(i, hovered) {
  const pair = state.pair;
  const { width: w, height: h } = pair.meta;
  const c = pair.correspondences;
  state.nearest = i;
  if (i < 0) {
    $('marker-a').hidden = true;
    $('marker-b').hidden = true;
    $('readout').textContent = 'no sampled pixel';
    return;
  }
  const sx = c.aIndex[i] % w;
  const sy = Math.floor(c.aIndex[i] / w);
  placeMarker($('marker-a'), $('img-a'), sx + 0.5, sy + 0.5, w, h);
  const status = c.status[i];
  const away = hovered ? Math.hypot(hovered[0] - sx, hovered[1] - sy).toFixed(1) : '0.0';
  let text = `A pixel (${hovered?.join(', ')}) -> nearest sampled pixel (${sx}, ${sy}), ${away} px away, sample ${i} of ${c.count}: `;
  const markerB = $('marker-b');
  if (status === 0) {
    const u = c.bXY[2 * i];
    const v = c.bXY[2 * i + 1];
    placeMarker(markerB, $('img-b'), u, v, w, h);
    markerB.dataset.u = String(u);
    markerB.dataset.v = String(v);
    text += `MATCH at B (u, v) = (${u.toFixed(3)}, ${v.toFixed(3)})`;
  } else {
    markerB.hidden = true;
    text += STATUS_TEXT[status] ?? `status ${status}`;
  }
  $('readout').textContent = text;
  $('readout').className = `status-${status}`;
  $('readout').dataset.sample = String(i);
  if (state.descriptors) {
    // Drawn at the display zoom (at most 8), so that its markers are as crisp as the page's.
    $('img-heat').src = `/api/pair/${pair.key}/heatmap.png?x=${sx}&y=${sy}&scale=${Math.min(8, pair.zoom)}`;
  }
}

function onHover(event) {
  if (!state.pair || state.pinned) return;
  const img = $('img-a');
  const rect = img.getBoundingClientRect();
  const { width: w, height: h } = state.pair.meta;
  const x = Math.floor(((event.clientX - rect.left) * w) / rect.width);
  const y = Math.floor(((event.clientY - rect.top) * h) / rect.height);
  if (x < 0 || y < 0 || x >= w || y >= h) return;
  showSample(nearestSample(state.pair, x, y), [x, y]);
}

function loadImage(img, src) {
  return new Promise((resolve, reject) => {
    img.onload = resolve;
    img.onerror = () => reject(new Error(`cannot load ${src}`));
    img.src = src;
  });
}

async function selectPair(key) {
  if (!state.pairs.some((p) => p.key === key)) key = state.pairs[0]?.key;
  if (!key) return;
  state.current = key;
  state.pinned = false;
  for (const li of $('pair-list').children) li.classList.toggle('current', li.dataset.key === key);
  $('pair-list').querySelector('.current')?.scrollIntoView({ block: 'nearest' });
  if (location.hash !== `#${key}`) history.replaceState(null, '', `#${key}`);
  document.body.dataset.ready = 'false';
  const pair = await getJson(`/api/pair/${key}`);
  if (state.current !== key) return; // another pair was chosen meanwhile
  const { width: w, height: h } = pair.meta;
  pair.sampleAt = new Int32Array(w * h).fill(-1);
  pair.correspondences.aIndex.forEach((p, i) => {
    pair.sampleAt[p] = i;
  });
  state.pair = pair;
  const zoom = Math.max(1, Math.ceil(MIN_VIEW_WIDTH / w));
  pair.zoom = zoom;
  for (const id of ['img-a', 'img-b', 'img-heat', 'img-pca-a', 'img-pca-b']) {
    $(id).style.width = `${w * zoom}px`;
    $(id).style.height = `${h * zoom}px`;
  }
  $('marker-a').hidden = true;
  $('marker-b').hidden = true;
  $('readout').textContent = 'hover view A';
  $('readout').className = '';
  const c = pair.correspondences;
  const counts = [0, 0, 0, 0];
  for (const s of c.status) counts[s]++;
  $('pair-title').textContent =
    `${key}  (room ${pair.meta.room?.id ?? '?'}, ${w}x${h}, ${c.count} sampled pixels)`;
  $('pair-stats').textContent = counts
    .map((n, s) => `${pair.statusNames[s]} ${percent(n, c.count)}`)
    .join(' | ');
  $('meta').textContent = JSON.stringify(pair.meta, null, 1);
  $('img-overlay').src = `/api/pair/${key}/overlay.png`;
  if (state.descriptors) {
    $('img-pca-a').src = `/api/pair/${key}/pca-a.png`;
    $('img-pca-b').src = `/api/pair/${key}/pca-b.png`;
  }
  await Promise.all([
    loadImage($('img-a'), `/api/pair/${key}/a.png`),
    loadImage($('img-b'), `/api/pair/${key}/b.png`),
  ]);
  if (state.current === key) document.body.dataset.ready = 'true';
}

function showError(err) {
  $('pair-title').textContent = `error: ${err.message}`;
}

function choose(key) {
  selectPair(key).catch(showError);
}

function renderList() {
  const filter = $('filter').value.trim();
  const list = $('pair-list');
  list.replaceChildren(
    ...state.pairs
      .filter((p) => p.key.includes(filter))
      .map((p) => {
        const li = document.createElement('li');
        li.textContent = p.key;
        li.title = p.shard;
        li.dataset.key = p.key;
        li.classList.toggle('current', p.key === state.current);
        return li;
      }),
  );
}

function step(delta) {
  const keys = [...$('pair-list').children].map((li) => li.dataset.key);
  const at = keys.indexOf(state.current);
  const next = keys[Math.min(keys.length - 1, Math.max(0, at + delta))];
  if (next && next !== state.current) choose(next);
}

async function main() {
  const info = await getJson('/api/pairs');
  state.pairs = info.pairs;
  state.descriptors = info.descriptors;
  $('dataset').textContent = `${info.dataset}: ${info.pairs.length} pairs`;
  const t = info.totals;
  $('totals').textContent = t
    ? `match ${percent(t.match, t.sampled)}, occluded ${percent(t.occluded, t.sampled)}, out of view ${percent(t.outOfView, t.sampled)}, miss ${percent(t.miss, t.sampled)} of ${t.sampled} sampled pixels`
    : 'no manifest.json';
  if (state.descriptors) {
    $('heat-figure').hidden = false;
    $('pca-figure').hidden = false;
    $('descriptor-name').textContent = state.descriptors;
  }
  renderList();
  $('filter').addEventListener('input', renderList);
  $('pair-list').addEventListener('click', (e) => {
    const key = e.target.closest('li')?.dataset.key;
    if (key) choose(key);
  });
  $('frame-a').addEventListener('mousemove', onHover);
  $('frame-a').addEventListener('click', (e) => {
    state.pinned = !state.pinned;
    if (!state.pinned) onHover(e);
  });
  document.addEventListener('keydown', (e) => {
    if (e.target === $('filter')) return;
    if (e.key === 'j' || e.key === 'ArrowDown') step(1);
    if (e.key === 'k' || e.key === 'ArrowUp') step(-1);
  });
  window.addEventListener('hashchange', () => choose(decodeURIComponent(location.hash.slice(1))));
  await selectPair(decodeURIComponent(location.hash.slice(1)));
}

main().catch(showError);
