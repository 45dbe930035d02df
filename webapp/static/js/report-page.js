/* Report page: a small map of the report's place inside its municipality's outline. */
(function () {
  "use strict";
  const { baseMap, outline } = window.SC;
  const node = document.getElementById("map");
  const position = [parseFloat(node.dataset.lat), parseFloat(node.dataset.lon)];
  const map = baseMap("map", "map-status");
  map.setView(position, 16);
  L.marker(position, { keyboard: false }).addTo(map);
  outline(map, node.dataset.municipality).catch(() => {});
})();
