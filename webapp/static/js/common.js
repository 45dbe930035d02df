/* Shared helpers: configuration, translated strings, the API client and the base map. */
(function () {
  "use strict";
  const config = JSON.parse(document.getElementById("map-config").textContent);
  const csrf = document.querySelector('meta[name="csrf-token"]').content;

  async function api(path, options) {
    const opts = Object.assign({ headers: {} }, options || {});
    opts.headers["Accept"] = "application/json";
    if (opts.method && opts.method !== "GET") opts.headers["X-CSRFToken"] = csrf;
    const response = await fetch("/api/v1" + path, Object.assign({ credentials: "same-origin" }, opts));
    const body = await response.json().catch(() => ({}));
    if (!response.ok) {
      const err = new Error((body.error && body.error.message) || response.statusText);
      err.status = response.status;
      err.body = body;
      throw err;
    }
    return body;
  }

  function baseMap(elementId, statusId) {
    const map = L.map(elementId, { zoomControl: true, maxZoom: 19, minZoom: 5 });
    const status = document.getElementById(statusId);
    if (config.tileUrl) {
      let failures = 0;
      const tiles = L.tileLayer(config.tileUrl, { attribution: config.tileAttribution, maxZoom: 19 });
      tiles.on("tileerror", function () {
        failures += 1;
        if (failures === 3 && status) status.textContent = config.i18n.tilesUnavailable;
      });
      tiles.addTo(map);
    } else if (status) {
      status.textContent = config.i18n.tilesUnavailable;
    }
    return map;
  }

  function el(tag, attrs, text) {
    const node = document.createElement(tag);
    Object.entries(attrs || {}).forEach(([k, v]) => node.setAttribute(k, v));
    if (text !== undefined) node.textContent = text;
    return node;
  }

  // Leaflet inserts a string tooltip or popup as HTML; a node built here keeps data as plain text.
  function label(text) {
    return el("span", {}, String(text));
  }

  async function outline(map, code) {
    if (!code) return null;
    const m = await api("/municipalities/" + encodeURIComponent(code));
    const layer = L.geoJSON(m.boundary, { style: { color: "#1c3d5a", weight: 2, fill: false, dashArray: "4 4" } });
    layer.addTo(map);
    return { layer: layer, data: m };
  }

  window.SC = { config: config, t: config.i18n, api: api, baseMap: baseMap, el: el, label: label, outline: outline };
})();
