// The staff consoles' script: the map of eligible zones (Leaflet, our own GeoJSON, no
// tiles) and the fairness chart (Vega-Lite). Every console works without it except these.
"use strict";

async function drawZones(el) {
  const [states, zones] = await Promise.all(
    [el.dataset.states, el.dataset.eligible].map((u) => fetch(u).then((r) => r.json())));
  const map = L.map(el, { attributionControl: false, zoomSnap: 0.25 });
  const base = L.geoJSON(states, {
    style: { color: "#555", weight: 1, fillColor: "#d9d9d9", fillOpacity: 1 },
    onEachFeature: (f, layer) => layer.bindTooltip(f.properties.name),
  }).addTo(map);
  L.geoJSON(zones, {
    style: { color: "#1e6b34", weight: 2, fillColor: "#2e9e4f", fillOpacity: 0.55 },
    onEachFeature: (f, layer) => layer.bindTooltip(f.properties.name),
  }).addTo(map);
  map.fitBounds(base.getBounds());
  el.dataset.zones = String(zones.features.length);  // read by the browser tests
  el.dataset.version = zones.version ? zones.version.effective_from : "";
}

function drawCharts() {
  for (const el of document.querySelectorAll("[data-vega-spec]")) {
    const spec = JSON.parse(document.getElementById(el.dataset.vegaSpec).textContent);
    vegaEmbed(el, spec, { actions: false, renderer: "svg" });
  }
}

document.addEventListener("DOMContentLoaded", () => {
  const el = document.getElementById("zones-map");
  if (el && window.L) drawZones(el);
  if (window.vegaEmbed) drawCharts();
});
