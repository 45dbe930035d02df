/* The public map: reports fetched by bounding box as the map moves, clustered, mirrored in a list. */
(function () {
  "use strict";
  const { api, baseMap, el, outline, t } = window.SC;
  const mapNode = document.getElementById("map");
  const map = baseMap("map", "map-status");
  const clusters = L.markerClusterGroup({ showCoverageOnHover: false, maxClusterRadius: 50 });
  clusters.addTo(map);
  const filters = document.getElementById("filters");
  const list = document.getElementById("results");
  const count = document.getElementById("result-count");
  const note = document.getElementById("results-note");
  let boundary = null;
  let sequence = 0;
  let timer = null;

  function query() {
    const b = map.getBounds();
    const params = new URLSearchParams({
      bbox: [b.getWest(), b.getSouth(), b.getEast(), b.getNorth()].map((v) => v.toFixed(6)).join(","),
      limit: "500",
    });
    ["category", "status"].forEach((name) => {
      const value = filters.elements[name].value;
      if (value) params.set(name, value);
    });
    return params.toString();
  }

  function marker(feature) {
    const [lon, lat] = feature.geometry.coordinates;
    const p = feature.properties;
    const m = L.circleMarker([lat, lon], { radius: 8, color: "#fff", weight: 2, fillColor: p.color, fillOpacity: 0.9 });
    const box = el("div");
    const link = el("a", { href: p.url }, p.title);
    box.append(link, el("br"), document.createTextNode(`${p.category_name} · ${p.status_name} · ${p.votes} ${t.votes}`));
    m.bindPopup(box);
    return m;
  }

  function listItem(feature) {
    const p = feature.properties;
    const item = el("li", { "data-report-id": String(p.id) });
    item.append(el("a", { href: p.url }, p.title));
    const meta = el("p", { class: "meta" });
    meta.append(
      el("span", { class: "dot", style: `background:${p.color}` }),
      document.createTextNode(` ${p.category_name} · `),
      el("span", { class: `badge status-${p.status}` }, p.status_name),
      document.createTextNode(` · ${p.votes} ${t.votes}`)
    );
    item.append(meta);
    return item;
  }

  async function refresh() {
    const mine = ++sequence;
    note.textContent = t.loading;
    try {
      const data = await api("/reports?" + query());
      if (mine !== sequence) return;
      clusters.clearLayers();
      list.replaceChildren();
      data.features.forEach((f) => {
        clusters.addLayer(marker(f));
        list.append(listItem(f));
      });
      count.textContent = `(${data.features.length})`;
      note.textContent = data.features.length === 0 ? t.noResults : data.truncated ? t.truncated : "";
    } catch (err) {
      if (mine === sequence) note.textContent = err.message;
    }
  }

  function schedule() {
    clearTimeout(timer);
    timer = setTimeout(refresh, 250);
  }

  async function showMunicipality(code) {
    if (boundary) map.removeLayer(boundary.layer);
    boundary = null;
    try {
      boundary = await outline(map, code);
    } catch (err) {
      document.getElementById("map-status").textContent = err.message;
    }
    if (boundary) {
      const [minx, miny, maxx, maxy] = boundary.data.bbox;
      map.fitBounds([[miny, minx], [maxy, maxx]]);
    } else {
      map.setView([36.5, 127.8], 7);
    }
  }

  // Proposals: a separate layer of diamonds, fetched by box only while its checkbox is ticked.
  const proposalToggle = document.getElementById("show-proposals");
  const proposalNote = document.getElementById("proposals-note");
  const pt = JSON.parse(document.getElementById("proposal-i18n").textContent);
  const proposalLayer = L.layerGroup();
  // Above the report markers and clusters, below popups, so a proposal is never hidden under a cluster.
  map.createPane("proposals").style.zIndex = 650;
  let proposalSequence = 0;

  function proposalPopup(p) {
    const box = el("div", { class: "proposal-popup" });
    box.append(el("strong", {}, `${pt.proposal} #${p.id}`), el("br"), el("a", { href: p.url }, p.title), el("br"));
    box.append(document.createTextNode(`${p.status_name} · ${p.votes} ${pt.supporters}`));
    return box;
  }

  async function refreshProposals() {
    const mine = ++proposalSequence;
    if (!proposalToggle.checked) {
      proposalLayer.clearLayers();
      proposalNote.textContent = "";
      return;
    }
    const b = map.getBounds();
    const params = new URLSearchParams({
      bbox: [b.getWest(), b.getSouth(), b.getEast(), b.getNorth()].map((v) => v.toFixed(6)).join(","),
    });
    try {
      const data = await api("/proposals?" + params);
      if (mine !== proposalSequence) return;
      proposalLayer.clearLayers();
      data.features.forEach((f) => {
        f.geometry.coordinates.forEach(([lon, lat]) => {
          const icon = L.divIcon({ className: "proposal-marker", iconSize: [16, 16] });
          const m = L.marker([lat, lon], { icon: icon, title: f.properties.title, keyboard: true, pane: "proposals" });
          m.bindPopup(proposalPopup(f.properties));
          proposalLayer.addLayer(m);
        });
      });
      proposalNote.textContent = `${data.features.length} ${pt.count}`;
    } catch (err) {
      if (mine === proposalSequence) proposalNote.textContent = err.message;
    }
  }

  proposalToggle.addEventListener("change", function () {
    if (proposalToggle.checked) proposalLayer.addTo(map);
    else map.removeLayer(proposalLayer);
    refreshProposals();
  });
  map.on("moveend", () => { if (proposalToggle.checked) refreshProposals(); });

  map.on("moveend", schedule);
  map.on("click", function (event) {
    if (mapNode.dataset.canReport !== "1") return;
    const { lat, lng } = event.latlng;
    const url = `${mapNode.dataset.newUrl}?lat=${lat.toFixed(6)}&lon=${lng.toFixed(6)}`;
    const link = el("a", { class: "report-here", href: url }, t.reportHere);
    L.popup().setLatLng(event.latlng).setContent(link).openOn(map);
  });
  filters.addEventListener("change", function (event) {
    if (event.target.name === "municipality") {
      history.replaceState(null, "", "?municipality=" + encodeURIComponent(event.target.value));
      showMunicipality(event.target.value);
    } else {
      refresh();
    }
  });
  showMunicipality(mapNode.dataset.municipality);
})();
