/* New proposal: the chosen problems on a small map; clicks add sites (at most 10) to the sites field. */
(function () {
  "use strict";
  const { baseMap, label } = window.SC;
  const form = document.getElementById("proposal-form");
  const sitesInput = form.elements.sites;
  const map = baseMap("map", "map-status");
  const siteLayer = L.layerGroup().addTo(map);
  const MAX_SITES = 10;
  const bounds = [];

  function parseSites() {
    return sitesInput.value.split(";").map((part) => part.split(",").map(parseFloat))
      .filter((pair) => pair.length === 2 && pair.every(Number.isFinite));
  }

  function drawSites() {
    siteLayer.clearLayers();
    parseSites().forEach(([lon, lat], index) => {
      const icon = L.divIcon({ className: "proposal-marker", iconSize: [16, 16] });
      const marker = L.marker([lat, lon], { icon: icon, keyboard: false, title: String(index + 1) });
      // Clicking a site again removes it.
      marker.on("click", () => {
        const sites = parseSites();
        sites.splice(index, 1);
        sitesInput.value = sites.map(([a, b]) => `${a.toFixed(6)},${b.toFixed(6)}`).join("; ");
        drawSites();
      });
      siteLayer.addLayer(marker);
    });
  }

  form.querySelectorAll("input[name=report]").forEach((box) => {
    const position = [parseFloat(box.dataset.lat), parseFloat(box.dataset.lon)];
    L.circleMarker(position, { radius: 7, color: "#fff", weight: 2, fillColor: "#1c3d5a", fillOpacity: 0.9 })
      .bindTooltip(label(box.dataset.title)).addTo(map);
    bounds.push(position);
  });

  map.on("click", (event) => {
    const sites = parseSites();
    if (sites.length >= MAX_SITES) return;
    sites.push([event.latlng.lng, event.latlng.lat]);
    sitesInput.value = sites.map(([a, b]) => `${a.toFixed(6)},${b.toFixed(6)}`).join("; ");
    drawSites();
  });
  sitesInput.addEventListener("change", drawSites);
  document.getElementById("clear-sites").addEventListener("click", () => {
    sitesInput.value = "";
    drawSites();
  });

  drawSites();
  parseSites().forEach(([lon, lat]) => bounds.push([lat, lon]));
  if (bounds.length) map.fitBounds(bounds, { maxZoom: 16, padding: [24, 24] });
  else map.setView([36.5, 127.8], 7);
})();
