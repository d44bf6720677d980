// inflow loader: the only script a partner page pays for up front. It draws the bubble in a
// shadow root and fetches the chat (wasm) when the page is idle or on the first click. It
// writes no cookie or storage and defines one global, `window.inflow`.
(function () {
  "use strict";
  var w = window, d = document;
  var me = d.currentScript;
  if (w.inflow || !me) return; // included twice: keep the first widget
  // Same rule as inflow_core::Lang::negotiate: Traditional script for TW, HK and MO.
  function negotiate(tag) {
    var t = String(tag).toLowerCase();
    if (t.indexOf("zh") !== 0) return "en";
    return /hant|-tw|-hk|-mo/.test(t) ? "zh-Hant" : "zh-Hans";
  }
  var src = new URL(me.src, location.href);
  var dir = src.href.replace(/[^/]*$/, "");
  var ds = me.dataset;
  var langs = navigator.languages || [navigator.language || "en"];
  var cfg = {
    partner: ds.partner || "",
    scene: ds.scene || "education",
    lang: negotiate(ds.lang || langs[0] || "en"),
    left: ds.position === "left",
    color: /^#[0-9a-f]{3,8}$/i.test(ds.color || "") ? ds.color : "#0b6e4f"
  };
  var CSS =
    ":host{all:initial!important;position:fixed!important;z-index:2147483000!important;bottom:20px!important;" +
    (cfg.left ? "left" : "right") + ":20px!important;--brand:" + cfg.color + ";font:16px/1.4 system-ui,sans-serif}" +
    ".bubble{width:60px;height:60px;border-radius:50%;border:0;background:var(--brand);color:#fff;font-size:26px;" +
    "cursor:pointer;box-shadow:0 4px 14px rgba(0,0,0,.3)}.bubble:focus-visible{outline:3px solid #ffbf47;outline-offset:2px}" +
    ".panel-root{display:none}:host([data-open]) .panel-root{display:block}";

  var host = d.createElement("div");
  host.setAttribute("data-inflow-widget", "");
  var root = host.attachShadow({ mode: "open" });
  var sheet = new CSSStyleSheet();
  sheet.replaceSync(CSS);
  root.adoptedStyleSheets = [sheet];
  var bubble = d.createElement("button");
  bubble.className = "bubble";
  bubble.type = "button";
  bubble.textContent = "\u00a5";
  bubble.setAttribute("aria-label", /^zh/i.test(cfg.lang) ? "\u7406\u8d22\u5c0f\u52a9\u624b" : "Savings helper");
  bubble.setAttribute("aria-expanded", "false");
  root.appendChild(bubble);

  var handlers = {}, app, mounted = false, isOpen = false, touched = false;
  // Funnel events go to the edge in batches by sendBeacon: no cookie, no storage, a random id
  // per page view only.
  var session = w.crypto && crypto.randomUUID ? crypto.randomUUID() : String(Math.random()).slice(2, 14);
  var queue = [], timer = 0;
  function flush() {
    clearTimeout(timer);
    timer = 0;
    while (queue.length && navigator.sendBeacon) {
      navigator.sendBeacon(src.origin + "/v1/events", JSON.stringify({
        partner: cfg.partner, scene: cfg.scene, session: session, events: queue.splice(0, 50)
      }));
    }
  }
  function track(kind, question) {
    queue.push(question ? { kind: kind, question: question } : { kind: kind });
    if (kind === "lead" || kind === "click") flush();
    else if (!timer) timer = setTimeout(flush, 10000);
  }
  track("impression");
  w.addEventListener("pagehide", flush);
  d.addEventListener("visibilitychange", function () { if (d.visibilityState === "hidden") flush(); });
  var openKey = "inflow:v1:open:" + cfg.partner;
  function remember(v) {
    // Storage is written only once the visitor has interacted, and never fails the widget.
    if (!touched) return;
    try { sessionStorage.setItem(openKey, v ? "1" : "0"); } catch (e) { /* storage disabled */ }
  }
  function wasOpen() {
    try { return sessionStorage.getItem(openKey) === "1"; } catch (e) { return false; }
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
  function setOpen(v) {
    isOpen = v;
    if (v) host.setAttribute("data-open", ""); else host.removeAttribute("data-open");
    bubble.setAttribute("aria-expanded", String(v));
    remember(v);
  }
  function open() {
    return load().then(function (m) {
      if (!mounted) {
        mounted = true;
        m.mount(root, cfg.partner, cfg.scene, cfg.lang, src.origin, close, emit);
      }
      setOpen(true);
      emit("open");
    });
  }
  function close() {
    if (!isOpen) return;
    setOpen(false);
    bubble.focus();
    emit("close");
  }
  function interact() { touched = true; }
  root.addEventListener("pointerdown", interact, true);
  root.addEventListener("keydown", interact, true);
  bubble.addEventListener("click", function () { touched = true; if (isOpen) close(); else open(); });
  root.addEventListener("keydown", function (e) { if (e.key === "Escape") close(); });
  (w.requestIdleCallback || function (f) { setTimeout(f, 2000); })(function () { load(); });
  if (wasOpen()) { touched = true; open(); } // resume a chat left open on the previous page
  function attach() { d.body.appendChild(host); }
  if (d.body) attach(); else d.addEventListener("DOMContentLoaded", attach);
  w.inflow = {
    open: open,
    close: close,
    on: function (name, fn) { (handlers[name] = handlers[name] || []).push(fn); }
  };
})();
