/* Analytics map: the municipality outline, hot-spot outlines with popups, and a heat-map layer toggle. */
(function () {
  "use strict";
  const { api, baseMap, el, label, outline } = window.SC;
  const t = JSON.parse(document.getElementById("analytics-i18n").textContent);
  const node = document.getElementById("analytics-map");
  const status = document.getElementById("map-status");
  const code = node.dataset.code;
  const params = new URLSearchParams({ eps: node.dataset.eps, min_points: node.dataset.minPoints });
  const map = baseMap("analytics-map", "map-status");
  const heatToggle = document.getElementById("heat-toggle");
  let heat = null;

  // Cold to hot: pale yellow, orange, deep red.
  function heatColour(i) {
    const stops = [[255, 237, 160], [253, 141, 60], [189, 0, 38]];
    const x = Math.max(0, Math.min(1, i)) * 2;
    const k = Math.min(1, Math.floor(x));
    const f = x - k;
    const rgb = stops[k].map((v, n) => Math.round(v + (stops[k + 1][n] - v) * f));
    return `rgb(${rgb.join(",")})`;
  }

  function popup(p) {
    const box = el("div", { class: "hotspot-popup" });
    box.append(el("strong", {}, `${t.hotspot} #${p.id}`), el("br"));
    box.append(document.createTextNode(
      `${p.size} ${t.reports} · ${t.mostly} ${p.top_category_name} · ${p.votes} ${t.votes}`));
    box.append(el("p", { class: "popup-title" }, t.members));
    const list = el("ul");
    p.members.forEach((m) => {
      const item = el("li");
      item.append(el("a", { href: m.url }, `#${m.id} ${m.title}`));
      list.append(item);
    });
    box.append(list);
    return box;
  }

  async function showHotspots() {
    const data = await api(`/municipalities/${encodeURIComponent(code)}/hotspots?${params}`);
    const layer = L.geoJSON(data, {
      style: (f) => ({ color: f.properties.color, weight: 3, fillOpacity: 0.25, className: "hotspot-outline" }),
      onEachFeature: (f, l) => l.bindPopup(popup(f.properties)),
    });
    layer.addTo(map);
    // An outline of a few dozen metres vanishes at city zoom: a marker sized by the report count keeps it findable.
    layer.eachLayer((l) => {
      const p = l.feature.properties;
      L.circleMarker(l.getBounds().getCenter(), {
        radius: Math.min(8 + 3 * p.size, 24), color: "#fff", weight: 2, fillColor: p.color, fillOpacity: 0.85,
        className: "hotspot-marker",
      }).bindPopup(popup(p)).bindTooltip(label(p.size), { permanent: true, direction: "center", className: "hotspot-count" })
        .addTo(map);
    });
    node.dataset.hotspots = String(data.features.length);
    if (data.features.length === 0) status.textContent = t.noHotspots;
    return layer;
  }

  async function toggleHeat() {
    if (!heatToggle.checked) {
      if (heat) map.removeLayer(heat);
      node.dataset.heat = "off";
      return;
    }
    if (!heat) {
      status.textContent = t.heatLoading;
      const data = await api(`/municipalities/${encodeURIComponent(code)}/heatmap`);
      heat = L.geoJSON(data, {
        interactive: false,
        style: (f) => ({
          stroke: false, fillColor: heatColour(f.properties.intensity),
          fillOpacity: 0.35 + 0.45 * f.properties.intensity, className: "heat-cell",
        }),
      });
      status.textContent = data.features.length ? "" : t.heatEmpty;
    }
    heat.addTo(map);
    heat.bringToBack();
    node.dataset.heat = "on";
  }

  async function start() {
    let bounds = null;
    try {
      const boundary = await outline(map, code);
      if (boundary) {
        const [minx, miny, maxx, maxy] = boundary.data.bbox;
        bounds = [[miny, minx], [maxy, maxx]];
      }
    } catch (err) {
      status.textContent = err.message;
    }
    if (bounds) map.fitBounds(bounds); else map.setView([36.5, 127.8], 7);
    try {
      await showHotspots();
    } catch (err) {
      status.textContent = err.message;
    }
    node.dataset.ready = "1";
  }

  heatToggle.addEventListener("change", function () {
    toggleHeat().catch((err) => { status.textContent = err.message; });
  });
  start();
})();
