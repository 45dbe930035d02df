/* Plan editor: sites drawn per item (Leaflet.draw); totals, share and budget rules re-checked by the server as amounts are typed. */
(function () {
  "use strict";
  const cfg = JSON.parse(document.getElementById("plan-config").textContent);
  const SOURCES = ["national", "local", "private"];

  // Amounts are whole won: BigInt keeps them exact however large (Number loses digits above 2^53).
  function won(text) {
    const digits = String(text || "").replace(/[,\s]/g, "");
    return /^\d+$/.test(digits) ? BigInt(digits) : 0n;
  }
  function grouped(value) {
    return value.toString().replace(/\B(?=(\d{3})+(?!\d))/g, ",");
  }

  // A fast local sum of the typed amounts for instant feedback; the share waits for the server's check.
  function updateTotals() {
    const sums = { national: 0n, local: 0n, private: 0n };
    document.querySelectorAll("form.item-form").forEach(function (form) {
      form.querySelectorAll("table.budget tbody tr").forEach(function (row) {
        const source = row.querySelector(".js-source").value;
        if (source in sums) sums[source] += won(row.querySelector(".js-amount").value);
      });
    });
    SOURCES.forEach(function (s) { document.getElementById("total-" + s).textContent = grouped(sums[s]); });
    document.getElementById("total-total").textContent = grouped(sums.national + sums.local + sums.private);
    const share = document.getElementById("national-share");
    share.textContent = "…";
    share.setAttribute("aria-busy", "true");
    return sums;
  }

  // Totals and share exactly as the server's rule check writes them (one rounding, one format).
  function showTotals(shown) {
    SOURCES.concat(["total"]).forEach(function (s) { document.getElementById("total-" + s).textContent = shown[s]; });
    const share = document.getElementById("national-share");
    share.textContent = shown.national_share;
    share.removeAttribute("aria-busy");
  }

  function showCheck(result) {
    showTotals(result.shown);
    const list = document.getElementById("violations");
    list.replaceChildren();
    result.violations.forEach(function (v) {
      list.appendChild(SC.el("li", { "data-code": v.code }, v.message));
    });
    document.getElementById("no-violations").hidden = result.violations.length > 0;
    const button = document.getElementById("submit-plan");
    button.disabled = !result.can_submit;
  }

  // Without `sums` the saved plan is checked; with them, the amounts typed but not saved yet (a preview).
  let asked = 0;
  async function refreshCheck(sums) {
    const options = sums ? {
      method: "POST", headers: { "Content-Type": "application/json" },
      body: JSON.stringify({ national: sums.national.toString(), local: sums.local.toString(), private: sums.private.toString() }),
    } : undefined;
    const mine = ++asked;
    try {
      const result = await SC.api("/plans/" + cfg.plan + "/check", options);
      // An older answer arriving late must not overwrite the newer amounts' check.
      if (mine === asked) showCheck(result);
    } catch (err) {
      if (mine !== asked) return;
      document.getElementById("national-share").textContent = "–";
      document.getElementById("national-share").removeAttribute("aria-busy");
      document.getElementById("no-violations").hidden = true;
      document.getElementById("violations").replaceChildren(SC.el("li", {}, cfg.i18n.checkFailed));
    }
  }

  let pending = null;
  function amountsChanged() {
    const sums = updateTotals();
    asked += 1;  // answers still on their way are about older amounts
    document.getElementById("unsaved").hidden = false;
    clearTimeout(pending);
    pending = setTimeout(function () { refreshCheck(sums); }, 300);
  }

  function siteMap(element, outline) {
    const input = document.getElementById(element.dataset.sitesInput);
    const map = SC.baseMap(element.id, null);
    const home = outline ? outline.getBounds() : null;
    if (home && home.isValid()) map.fitBounds(home); else map.setView([36.5, 127.8], 7);
    const drawn = new L.FeatureGroup().addTo(map);
    if (input.value.trim()) {
      try {
        L.geoJSON(JSON.parse(input.value)).eachLayer(function (layer) { drawn.addLayer(layer); });
      } catch (err) { /* the server reports the bad GeoJSON next to the field */ }
    }
    map.addControl(new L.Control.Draw({
      edit: { featureGroup: drawn },
      // Leaflet.draw 1.0.4 throws on rectangles with Leaflet 1.9; circles are not GeoJSON.
      draw: { rectangle: false, circle: false, circlemarker: false,
              polygon: { showArea: false, allowIntersection: false }, polyline: { showLength: false }, marker: true },
    }));
    function save() {
      const features = drawn.toGeoJSON().features;
      input.value = features.length ? JSON.stringify({ type: "FeatureCollection", features: features }) : "";
    }
    map.on(L.Draw.Event.CREATED, function (e) { drawn.addLayer(e.layer); save(); });
    map.on(L.Draw.Event.EDITED, save);
    map.on(L.Draw.Event.DELETED, save);
    if (drawn.getLayers().length) map.fitBounds(drawn.getBounds(), { maxZoom: 16, padding: [10, 10] });
    return map;
  }

  async function initMaps() {
    const elements = document.querySelectorAll(".site-map");
    let data = null;
    try { data = await SC.api("/municipalities/" + encodeURIComponent(cfg.municipality)); } catch (err) { data = null; }
    elements.forEach(function (element) {
      const outline = data ? L.geoJSON(data.boundary, { style: { color: "#1c3d5a", weight: 2, fill: false, dashArray: "4 4" } }) : null;
      const map = siteMap(element, outline);
      if (outline) outline.addTo(map);
      // Maps inside closed <details> have no size until opened.
      const details = element.closest("details");
      if (details) details.addEventListener("toggle", function () { map.invalidateSize(); if (outline) map.fitBounds(outline.getBounds()); });
    });
  }

  document.addEventListener("input", function (e) {
    if (e.target.matches(".js-amount, .js-source")) amountsChanged();
  });
  document.addEventListener("change", function (e) {
    if (e.target.matches(".js-source")) amountsChanged();
  });
  document.getElementById("unsaved").hidden = true;
  refreshCheck();
  initMaps();
})();
