/* Proposal page: the proposed sites (diamonds) and the problems they address (circles). */
(function () {
  "use strict";
  const { baseMap, label, outline } = window.SC;
  const node = document.getElementById("map");
  const geo = JSON.parse(document.getElementById("proposal-geo").textContent);
  const map = baseMap("map", "map-status");
  const bounds = [];
  geo.reports.forEach((r) => {
    L.circleMarker([r.lat, r.lon], { radius: 7, color: "#fff", weight: 2, fillColor: "#1c3d5a", fillOpacity: 0.9 })
      .bindTooltip(label(r.title)).addTo(map);
    bounds.push([r.lat, r.lon]);
  });
  geo.sites.forEach(([lon, lat]) => {
    L.marker([lat, lon], { icon: L.divIcon({ className: "proposal-marker", iconSize: [16, 16] }), keyboard: false }).addTo(map);
    bounds.push([lat, lon]);
  });
  if (bounds.length) map.fitBounds(bounds, { maxZoom: 16, padding: [24, 24] });
  else map.setView([36.5, 127.8], 7);
  outline(map, node.dataset.municipality).catch(() => {});
})();
