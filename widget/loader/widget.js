// inflow loader: the only script a partner page pays for up front. It asks the edge what the
// partner's page may show for its scene (GET /v1/widget/{partner}/{scene}: the banks, their
// colour and consent); with an offer it draws the bubble in a shadow root, in the bank's colour,
// and fetches the chat (wasm) when the page is idle or on the first click; without one it shows
// nothing. It writes no cookie or storage and defines one global, `window.inflow`.
(function () {
  "use strict";
  var w = window, d = document;
  var me = d.currentScript;
  if (w.inflow || !me) return; // included twice: keep the first widget
  // Same rule as inflow_core::Lang::negotiate_all (tested against its table): the first tag in
  // a language we speak decides; an explicit script wins; TW, HK, MO and Cantonese (yue) mean
  // Traditional.
  function negotiate(tags) {
    for (var i = 0; i < tags.length; i++) {
      var t = String(tags[i]).toLowerCase().split(/[-_]/), p = t[0], s = t[1];
      if (p === "en") return "en";
      if (p === "zh" || p === "cmn" || p === "yue")
        return s === "hans" ? "zh-Hans" : s === "hant" || p === "yue" || /^(tw|hk|mo)$/.test(s) ? "zh-Hant" : "zh-Hans";
    }
    return "en";
  }
  var src = new URL(me.src, location.href);
  var dir = src.href.replace(/[^/]*$/, "");
  var ds = me.dataset;
  var nav = navigator;
  var cfg = {
    partner: ds.partner || "",
    scene: ds.scene || "education",
    lang: negotiate(ds.lang ? [ds.lang] : nav.languages || [nav.language || "en"]),
    left: ds.position === "left"
  };
  // The partner's tracking: sub_id, utm_source and utm_campaign from the script tag
  // (data-sub-id, data-utm-source, data-utm-campaign), else the page URL; the other UTM
  // parameters from the URL. A tag's value must pass inflow_core::report::tags::check (1-64
  // characters, not blank — nor only invisible ones, support::text::is_invisible, which the
  // class below covers with format, private-use and unassigned characters plus the rest of
  // that list by hand (short, for the loader's weight; it drops a little more, never less) —,
  // no control character or bidi override, not "(none)"/"(other)"):
  // what the edge would refuse is left out, so a hostile page cannot stop the widget. Sent
  // with the funnel events (`tags`, JSON) and handed to the chat for the lead (`attr`, a query
  // string the chat parses).
  var tags = "", attr = "";
  function tag(v) {
    return v && !/^[\s\p{Cf}\p{Co}\p{Cn}\u034f\u115f\u1160\u17b4\u17b5\u180b-\u180f\u3164\ufe00-\ufe0f\uffa0\u{e0100}-\u{e01ef}]*$|[\0-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]|^\((none|other)\)$/u.test(v) && Array.from(v).length < 65 ? v : "";
  }
  try {
    var url = new URLSearchParams(location.search);
    ["sub_id", "utm_source", "utm_campaign", "utm_medium", "utm_term", "utm_content"].forEach(function (k, i) {
      var v = i < 3 ? tag(ds[k.replace(/_(.)/, function (m, c) { return c.toUpperCase(); })]) || tag(url.get(k)) : url.get(k);
      if (!v) return;
      if (i < 3) tags += "," + q(k) + ":" + q(v);
      attr += "&" + k + "=" + encodeURIComponent(v);
    });
  } catch (e) { tags = attr = ""; /* a host that broke URLSearchParams or Array: no tags, still a widget */ }
  var CSS =
    ":host{all:initial!important;position:fixed!important;z-index:2147483000!important;bottom:20px!important;" +
    (cfg.left ? "left" : "right") + ":20px!important;font:16px/1.4 system-ui,sans-serif}" +
    ".bubble{width:60px;height:60px;border-radius:50%;border:0;background:var(--brand);color:#fff;font-size:26px;" +
    "cursor:pointer;box-shadow:0 4px 14px rgba(0,0,0,.3)}.bubble:focus-visible{outline:3px solid #ffbf47;outline-offset:2px}" +
    ".panel-root{display:none}:host([data-open]) .panel-root{display:block}iframe{display:none}";

  var host = d.createElement("div");
  host.setAttribute("data-inflow-widget", "");
  // Screen readers pick the voice and fonts the glyphs by `lang`; page translators keep out.
  host.setAttribute("lang", cfg.lang);
  host.setAttribute("translate", "no");
  // The chat's languages are written left to right, also on a right-to-left (Arabic, Hebrew)
  // page: `direction` is inherited into the shadow tree, and `all: initial` does not reset it.
  host.setAttribute("dir", "ltr");
  var root = host.attachShadow({ mode: "open" });
  var sheet = new CSSStyleSheet();
  sheet.replaceSync(CSS);
  root.adoptedStyleSheets = [sheet];
  var bubble = d.createElement("button");
  bubble.className = "bubble";
  bubble.type = "button";
  bubble.textContent = "\u00a5";
  bubble.setAttribute("aria-label",
    { "zh-Hans": "\u5b58\u6b3e\u5c0f\u52a9\u624b", "zh-Hant": "\u5b58\u6b3e\u5c0f\u52a9\u624b", en: "Savings helper" }[cfg.lang]);
  bubble.setAttribute("aria-expanded", "false");
  // A fresh same-origin realm: the host's scripts ran before us and may have patched fetch,
  // JSON, Storage or the prototypes (Prototype.js, fetch wrappers). What the widget sends and
  // stores uses this frame's untouched functions instead. It stays in the shadow root (hidden)
  // so its fetch keeps working; without a src it loads nothing.
  var frame = d.createElement("iframe");
  frame.setAttribute("aria-hidden", "true");
  frame.tabIndex = -1;
  frame.title = "inflow";
  root.appendChild(frame);
  function realm() { return frame.contentWindow || w; }

  var handlers = {}, app, mounted = false, isOpen = false, touched = false;
  // Funnel events go to the edge in batches by sendBeacon: no cookie, no storage, a random id
  // per page view only.
  var session = w.crypto && crypto.randomUUID ? crypto.randomUUID() : String(Math.random()).slice(2, 14);
  var queue = [], timer = 0;
  // JSON written by hand: the host's JSON.stringify or Array.prototype.toJSON must not change
  // a byte of it. Values are short ASCII ids and kinds; quoting escapes the rest anyway.
  function q(s) {
    var out = '"';
    for (var i = 0, c; i < s.length; i++) {
      c = s.charCodeAt(i);
      out += c < 32 || c === 34 || c === 92 ? "\\u" + (c + 65536).toString(16).slice(1) : s.charAt(i);
    }
    return out + '"';
  }
  function flush() {
    clearTimeout(timer);
    timer = 0;
    var beacon = realm().Navigator.prototype.sendBeacon;
    while (queue.length && beacon) {
      var events = queue.splice(0, 50), list = [];
      for (var i = 0; i < events.length; i++)
        list.push('{"kind":' + q(events[i][0]) + (events[i][1] ? ',"question":' + q(events[i][1]) : "") + "}");
      beacon.call(nav, src.origin + "/v1/events", '{"partner":' + q(cfg.partner) + ',"scene":' + q(cfg.scene) +
        ',"session":' + q(session) + tags + ',"events":[' + list.join(",") + "]}");
    }
  }
  function track(kind, question) {
    queue.push([kind, question ? String(question) : ""]);
    if (kind === "lead" || kind === "click") flush();
    else if (!timer) timer = setTimeout(flush, 10000);
  }
  w.addEventListener("pagehide", flush);
  d.addEventListener("visibilitychange", function () { if (d.visibilityState === "hidden") flush(); });
  var openKey = "inflow:v1:open:" + cfg.partner;
  function remember(v) {
    // Storage is written only once the visitor has interacted, and never fails the widget.
    if (!touched) return;
    try { realm().sessionStorage.setItem(openKey, v ? "1" : "0"); } catch (e) { /* storage disabled */ }
  }
  function wasOpen() {
    try { return realm().sessionStorage.getItem(openKey) === "1"; } catch (e) { return false; }
  }
  function emit(name, detail) {
    if (/^(open|answer|lead|recommendation|click)$/.test(name)) track(name, name === "answer" && detail.question);
    (handlers[name] || []).forEach(function (fn) {
      try { fn(detail); } catch (e) { /* a host handler must not break the widget */ }
    });
  }
  function load() {
    return app || (app = import(dir + "w/inflow_widget.js").then(function (m) {
      return m.default({ module_or_path: dir + "w/inflow_widget_bg.wasm" }).then(function () {
        emit("ready");
        return m;
      });
    }));
  }
  // Behind a full-screen (phone) panel the page must not scroll; its own values come back on close.
  var de = d.documentElement, locked = null;
  function lock(v) {
    if (v && !locked && w.matchMedia("(max-width:480px)").matches) {
      locked = [de.style.overflow, d.body.style.overflow];
      de.style.overflow = d.body.style.overflow = "hidden";
    } else if (!v && locked) {
      de.style.overflow = locked[0];
      d.body.style.overflow = locked[1];
      locked = null;
    }
  }
  function setOpen(v) {
    isOpen = v;
    if (v) host.setAttribute("data-open", ""); else host.removeAttribute("data-open");
    bubble.setAttribute("aria-expanded", String(v));
    lock(v);
    remember(v);
  }
  // The partner's offer for its scene, as the edge's JSON parsed in the pristine frame: null
  // when there is none (no active campaign, an unknown partner, a failure): nothing is shown.
  var settled = 0, offered, offer = new Promise(function (r) { offered = function (c) { settled = 1; r(c); }; });
  function open() {
    return offer.then(function (config) {
      return config && load().then(function (m) {
        if (!mounted) {
          mounted = true;
          m.mount(root, cfg.partner, cfg.scene, cfg.lang, src.origin, close, emit, realm, config, attr);
        }
        setOpen(true);
        emit("open");
      });
    });
  }
  function close() {
    if (!isOpen) return;
    setOpen(false);
    bubble.focus();
    emit("close");
  }
  function interact() { touched = true; load(); }
  root.addEventListener("pointerdown", interact, true);
  root.addEventListener("keydown", interact, true);
  bubble.addEventListener("click", function () { touched = true; if (isOpen) close(); else open(); });
  root.addEventListener("keydown", function (e) { if (e.key === "Escape") close(); });
  // Keys typed in the chat are the chat's: the host's single-key shortcuts on window or
  // document must not eat them (events from the shadow tree reach the host as from this div).
  ["keydown", "keypress", "keyup"].forEach(function (t) {
    host.addEventListener(t, function (e) { e.stopPropagation(); });
  });
  // Asked with the frame's fetch, once the host is in the page (a detached frame has no
  // window). The answer may be cached by the browser for a minute (the edge says so).
  // A host that moves our element reloads the frame: a fetch of its old window fails or never
  // settles, so until answered the offer is asked again through the new window.
  var asked;
  function moved() {
    var f = frame.contentWindow;
    return f && f !== asked;
  }
  function ask() {
    try {
      var r = asked = realm(), e = r.encodeURIComponent;
      r.fetch(src.origin + "/v1/widget/" + e(cfg.partner) + "/" + e(cfg.scene))
        .then(function (res) { return res.ok && res.json(); })
        .then(function (c) { offered(c && c.consent ? c : null); }, function () {
          // Only the latest question's failure counts; it is asked again if its window is gone.
          if (r === asked) moved() ? ask() : offered(null);
        });
    } catch (x) { offered(null); }
  }
  function attach() {
    d.body.appendChild(host);
    ask();
    var t = setInterval(function () {
      if (settled) clearInterval(t); else if (moved()) ask();
    }, 500);
  }
  if (d.body) attach(); else d.addEventListener("DOMContentLoaded", attach);
  offer.then(function (config) {
    if (!config) {
      realm().console.warn("inflow: nothing to show for partner " + q(cfg.partner) + " in scene " + q(cfg.scene) +
        " (no active campaign, or the edge could not be reached)");
      host.remove();
      return;
    }
    // The brand is the first bank's, from data.
    var color = config.brand_color;
    sheet.replaceSync(CSS + ":host{--brand:" + (/^#[0-9a-f]{6}$/i.test(color) ? color : "#0b6e4f") + "}");
    root.appendChild(bubble);
    track("impression");
    // Preload when idle, unless the visitor saves data or is on 2G: then the chat is fetched on
    // the first interaction only.
    var c = nav.connection;
    if (!(c && (c.saveData || /2g/.test(c.effectiveType))))
      (w.requestIdleCallback || function (f) { setTimeout(f, 2000); })(function () { load(); });
    if (wasOpen()) { touched = true; open(); } // resume a chat left open on the previous page
  });
  w.inflow = {
    open: open,
    close: close,
    on: function (name, fn) { (handlers[name] = handlers[name] || []).push(fn); }
  };
})();
