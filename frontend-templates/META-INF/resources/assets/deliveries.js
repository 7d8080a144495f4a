// The delivery list's extras; the page reads fine without them.
(function () {
  const status = document.getElementById('live-status');
  const rows = document.getElementById('delivery-rows');
  const firstPage = rows && rows.dataset.live === 'true';
  const maxRows = rows ? Number(rows.dataset.maxRows) : 0;

  function say(state, text) {
    // The stream sends its rows again after lost changes: the unchanged status is not announced again.
    if (!status || (status.dataset.state === state && status.textContent === text)) return;
    status.dataset.state = state;
    status.textContent = text;
  }

  if (status && rows) {
    say('connecting', 'Connecting for live updates…');
    document.body.addEventListener('htmx:sseError', () => say('reconnecting', 'Live updates interrupted; reconnecting…'));
    document.body.addEventListener('htmx:sseMessage', (event) => {
      // The stream starts with the rows as they are now, and sends them again if it lost changes: the page
      // misses nothing. Each time they replace the rows (out-of-band innerHTML), so none is shown twice.
      if (event.detail.type === 'rows') {
        say('open', firstPage
          ? 'Live: new deliveries appear at the top, and outcomes update as Homeys acknowledge.'
          : 'Live: outcomes on this page update as Homeys acknowledge.');
      }
      // A new row goes to the top; in a cluster one recorded by another node may come a moment after a newer one.
      // IDs sort by time, so it moves down past the newer rows.
      if (event.detail.type === 'delivery') {
        const row = rows.querySelector('tr[data-delivery-id]');
        let before = row && row.nextElementSibling;
        while (before && before.dataset.deliveryId > row.dataset.deliveryId) before = before.nextElementSibling;
        if (row && before !== row.nextElementSibling) rows.insertBefore(row, before);
      }
      // A page left open on a busy webhook keeps the newest rows only (its stream forgets the same ones).
      const all = rows.querySelectorAll('tr[data-delivery-id]');
      for (let i = maxRows; i < all.length; i++) all[i].remove();
    });
  }

  const data = document.getElementById('delivery-chart-data');
  const target = document.getElementById('delivery-chart');
  if (!data || !target || typeof uPlot === 'undefined') return;
  const stats = JSON.parse(data.textContent);
  const styles = getComputedStyle(document.documentElement);
  const color = (name, fallback) => (styles.getPropertyValue(name) || fallback).trim();
  const size = () => ({ width: Math.max(240, target.clientWidth), height: 180 });
  const chart = new uPlot({
    ...size(),
    cursor: { drag: { x: false, y: false } },
    scales: { x: { time: true } },
    axes: [
      { stroke: color('--pico-muted-color', '#888'), grid: { stroke: color('--pico-muted-border-color', '#ddd') } },
      { stroke: color('--pico-muted-color', '#888'), grid: { stroke: color('--pico-muted-border-color', '#ddd') }, size: 50 },
    ],
    series: [
      {},
      { label: 'Requests', stroke: color('--pico-primary', '#0172ad'), width: 2, fill: 'rgba(1,114,173,0.08)' },
      { label: 'Messages to Homeys', stroke: color('--pico-ins-color', '#398712'), width: 2, dash: [6, 4] },
    ],
  }, [stats.t, stats.requests, stats.deliveries], target);
  window.addEventListener('resize', () => chart.setSize(size()));
})();
