/* Public plan page: every item's sites and the residents' reports it answers, on one map. */
(function () {
  "use strict";
  const { baseMap, el, label } = window.SC;
  const data = JSON.parse(document.getElementById("plan-geo").textContent);
  const t = JSON.parse(document.getElementById("plan-i18n").textContent);
  const map = baseMap("plan-map", "map-status");
  const sites = L.featureGroup().addTo(map);
  const reports = L.featureGroup().addTo(map);
  const shownReports = new Set();
  // The report page's address, from the server: ".../reports/0" with the id put in place of the 0.
  const reportUrl = (id) => document.getElementById("plan-map").dataset.reportUrl.replace(/0$/, String(id));

  function popup(title, lines) {
    const box = el("div");
    box.appendChild(el("strong", {}, title));
    lines.forEach((line) => box.appendChild(el("div", {}, line)));
    return box;
  }

  data.features.forEach((feature) => {
    const p = feature.properties;
    if (p.kind === "site") {
      L.geoJSON(feature, {
        style: { color: "#1c5fd4", weight: 3, fillOpacity: 0.25, className: "site-shape" },
        pointToLayer: (_f, latlng) => L.circleMarker(latlng, { radius: 8, color: "#1c5fd4", weight: 3, fillOpacity: 0.35, className: "site-shape" }),
      }).bindPopup(popup(p.name || t.site, [p.item_title])).addTo(sites);
    } else if (p.kind === "report" && !shownReports.has(p.report)) {
      shownReports.add(p.report);
      const [lon, lat] = feature.geometry.coordinates;
      // Area grows with votes, so a much-voted problem stands out without hiding the others.
      const radius = 6 + Math.min(14, Math.sqrt(p.votes || 0) * 3);
      const marker = L.circleMarker([lat, lon], {
        radius: radius, color: "#fff", weight: 2, fillColor: "#e8590c", fillOpacity: 0.9, className: "report-marker",
      });
      const link = el("a", { href: reportUrl(p.report) }, "#" + p.report + " " + p.title);
      const box = popup(t.report, [p.votes + " " + t.votes]);
      box.appendChild(link);
      marker.bindPopup(box).bindTooltip(label(p.votes + " " + t.votes));
      marker.addTo(reports);
    }
  });
  const bounds = L.featureGroup([sites, reports]).getBounds();
  if (bounds.isValid()) {
    map.fitBounds(bounds.pad(0.2), { maxZoom: 16 });
  } else {
    map.setView([36.5, 127.8], 7);
  }
  document.getElementById("plan-map").dataset.sites = String(sites.getLayers().length);
  document.getElementById("plan-map").dataset.reports = String(reports.getLayers().length);
})();
