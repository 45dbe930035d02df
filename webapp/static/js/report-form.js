/* New report: pin by map click, by location or typed; nearby duplicates; photo GPS pre-fill. */
(function () {
  "use strict";
  const { api, baseMap, el, t } = window.SC;
  const form = document.getElementById("report-form");
  const lat = form.elements.lat;
  const lon = form.elements.lon;
  const category = form.elements.category;
  const nearby = document.getElementById("nearby");
  const nearbyList = document.getElementById("nearby-list");
  const locationStatus = document.getElementById("location-status");
  const map = baseMap("map", "map-status");
  let pin = null;
  let timer = null;

  function current() {
    const a = parseFloat(lat.value);
    const b = parseFloat(lon.value);
    return Number.isFinite(a) && Number.isFinite(b) ? [a, b] : null;
  }

  function placePin(center) {
    const position = current();
    if (!position) return;
    if (pin) pin.setLatLng(position);
    else {
      pin = L.marker(position, { draggable: true, keyboard: true }).addTo(map);
      pin.on("dragend", () => setPosition(pin.getLatLng().lat, pin.getLatLng().lng, false));
    }
    if (center) map.setView(position, Math.max(map.getZoom() || 0, 16));
    checkNearby();
  }

  function setPosition(a, b, center) {
    lat.value = a.toFixed(6);
    lon.value = b.toFixed(6);
    placePin(center);
  }

  function nearbyItem(f) {
    const p = f.properties;
    const item = el("li");
    item.append(el("a", { href: p.url, target: "_blank" }, p.title));
    item.append(document.createTextNode(` · ${p.status_name} · ${Math.round(p.distance_m)} ${t.metres} · `));
    const votes = el("span", { class: "votes" }, `${p.votes} ${t.votes}`);
    item.append(votes, document.createTextNode(" "));
    const button = el("button", { type: "button", class: "vote-instead" }, p.voted ? t.voted : t.vote);
    button.disabled = p.voted;
    button.addEventListener("click", async function () {
      try {
        const result = await api(`/reports/${p.id}/vote`, { method: "POST" });
        votes.textContent = `${result.votes} ${t.votes}`;
        button.textContent = t.voted;
        button.disabled = true;
      } catch (err) {
        button.after(el("span", { class: "field-error" }, " " + err.message));
      }
    });
    item.append(button);
    return item;
  }

  async function checkNearby() {
    const position = current();
    if (!position || !category.value) {
      nearby.hidden = true;
      return;
    }
    const params = new URLSearchParams({ lat: position[0], lon: position[1], category: category.value });
    try {
      const data = await api("/reports/nearby?" + params);
      nearbyList.replaceChildren(...data.features.map(nearbyItem));
      if (data.features.length === 0) nearbyList.append(el("li", { class: "note" }, t.nothingNearby));
      nearby.hidden = false;
    } catch (err) {
      nearby.hidden = true;
    }
  }

  map.on("click", (event) => setPosition(event.latlng.lat, event.latlng.lng, false));
  [lat, lon].forEach((input) => input.addEventListener("input", () => {
    clearTimeout(timer);
    timer = setTimeout(() => placePin(true), 500);
  }));
  category.addEventListener("change", checkNearby);

  document.getElementById("use-location").addEventListener("click", function () {
    if (!navigator.geolocation) {
      locationStatus.textContent = t.locationFailed;
      return;
    }
    locationStatus.textContent = t.locating;
    navigator.geolocation.getCurrentPosition(
      (pos) => {
        locationStatus.textContent = "";
        setPosition(pos.coords.latitude, pos.coords.longitude, true);
      },
      () => { locationStatus.textContent = t.locationFailed; },
      { enableHighAccuracy: true, timeout: 10000 }
    );
  });

  form.elements.photos.addEventListener("change", async function () {
    const file = this.files[0];
    if (!file || current()) return;
    const body = new FormData();
    body.append("photo", file);
    try {
      const found = await api("/photo-location", { method: "POST", body: body });
      if (found.found && !current()) {
        setPosition(found.lat, found.lon, true);
        locationStatus.textContent = t.photoLocation;
      }
    } catch (err) { /* a photo without a readable position is fine */ }
  });

  if (current()) placePin(true);
  else map.setView([36.5, 127.8], 7);
})();
