// Rasad's incident map: markers from /incidents.geojson, sized by count and coloured by weapon, refreshed
// every 30 s. Everything that came from a feed is put in the page with textContent (never as HTML), and a
// source link is only made when it is an http(s) URL.
(function () {
  "use strict";
  var cfg = JSON.parse(document.getElementById("rasad-config").textContent);
  var params = new URLSearchParams(window.location.search);
  var lang = params.get("lang") || ((navigator.language || "").toLowerCase().indexOf("ar") === 0 ? "ar" : "en");
  if (lang !== "ar" && lang !== "en") { lang = "en"; }

  function t(key) { return cfg.strings[lang][key]; }
  function isoDay(d) { return d.toISOString().slice(0, 10); }
  var since = document.getElementById("since");
  var until = document.getElementById("until");
  var today = new Date();
  since.value = params.get("since") || isoDay(new Date(today.getTime() - cfg.default_days * 86400000));
  until.value = params.get("until") || "";

  var map = L.map("map", { zoomControl: true }).setView([33.0, 41.5], 5);
  if (cfg.tile_url) {
    L.tileLayer(cfg.tile_url, { maxZoom: 18, attribution: cfg.attribution }).addTo(map);
  }
  map.attributionControl.setPrefix('<a href="/static/leaflet/LICENSE">Leaflet</a>');
  var markers = L.featureGroup().addTo(map);
  var lastFeatures = [];
  var fitted = false;

  function colour(weapon) { return (cfg.weapons[weapon] || cfg.weapons.unknown).colour; }
  function radius(count) {
    var n = typeof count === "number" && count > 0 ? count : 1;
    return Math.min(28, 6 + 4 * Math.sqrt(n));
  }
  function safeUrl(raw) {
    try {
      var u = new URL(raw);
      return u.protocol === "http:" || u.protocol === "https:" ? u.href : null;
    } catch (e) { return null; }
  }
  function el(tag, cls, text) {
    var node = document.createElement(tag);
    if (cls) { node.className = cls; }
    if (text !== undefined && text !== null) { node.textContent = String(text); }
    return node;
  }

  function popup(props) {
    var box = el("div", "rasad-popup");
    box.setAttribute("dir", lang === "ar" ? "rtl" : "ltr");
    box.setAttribute("lang", lang);
    var alert = props.alert && props.alert[lang] ? props.alert[lang] : "#" + props.id;
    box.appendChild(el("p", "alert", alert));
    var links = props.source_links || [];
    var names = props.source_names || [];
    if (links.length) {
      box.appendChild(el("strong", null, t("sources")));
      var list = el("ul");
      links.forEach(function (raw, i) {
        var item = el("li");
        var href = safeUrl(raw);
        var label = names[i] || raw;
        if (href) {
          var a = el("a", null, label);
          a.href = href;
          a.target = "_blank";
          a.rel = "noopener noreferrer nofollow";
          item.appendChild(a);
        } else {
          item.textContent = label;
        }
        list.appendChild(item);
      });
      box.appendChild(list);
    }
    return box;
  }

  function draw(data) {
    lastFeatures = data.features || [];
    markers.clearLayers();
    lastFeatures.forEach(function (f) {
      var c = f.geometry.coordinates;
      var p = f.properties;
      var m = L.circleMarker([c[1], c[0]], {
        radius: radius(p.count), color: "#222", weight: 1, fillColor: colour(p.weapon), fillOpacity: 0.8,
        className: "rasad-marker"
      });
      m.bindPopup(function () { return popup(p); }, { minWidth: 240, maxWidth: 320 });
      m.addTo(markers);
    });
    var missing = data.rasad ? data.rasad.without_coordinates : 0;
    document.getElementById("summary").textContent =
      t("shown").replace("{n}", lastFeatures.length) + (missing ? " · " + t("missing").replace("{n}", missing) : "");
    if (!fitted && lastFeatures.length) {
      map.fitBounds(markers.getBounds().pad(0.3), { maxZoom: 8 });
      fitted = true;
    }
    document.body.setAttribute("data-loaded", String(Date.now()));
  }

  function refresh() {
    var q = new URLSearchParams();
    if (since.value) { q.set("since", since.value); }
    if (until.value) { q.set("until", until.value); }
    return fetch("/incidents.geojson?" + q.toString(), { cache: "no-store" })
      .then(function (r) { if (!r.ok) { throw new Error(String(r.status)); } return r.json(); })
      .then(draw)
      .catch(function () { document.getElementById("summary").textContent = t("failed"); });
  }

  function labels() {
    document.documentElement.lang = lang;
    document.documentElement.dir = lang === "ar" ? "rtl" : "ltr";
    document.getElementById("title").textContent = t("title");
    document.getElementById("since-label").textContent = t("since");
    document.getElementById("until-label").textContent = t("until");
    document.getElementById("lang").textContent = t("other_language");
    var legend = document.getElementById("legend");
    legend.textContent = "";
    Object.keys(cfg.weapons).forEach(function (key) {
      var row = el("div");
      var dot = el("i");
      dot.style.background = cfg.weapons[key].colour;
      row.appendChild(dot);
      row.appendChild(document.createTextNode(cfg.weapons[key][lang]));
      legend.appendChild(row);
    });
  }

  document.getElementById("lang").addEventListener("click", function () {
    lang = lang === "ar" ? "en" : "ar";
    map.closePopup();
    labels();
    refresh();  // redraws the summary; popups are built when opened, so they follow the language anyway
  });
  since.addEventListener("change", refresh);
  until.addEventListener("change", refresh);
  labels();
  refresh();
  window.setInterval(refresh, cfg.refresh_seconds * 1000);
})();
