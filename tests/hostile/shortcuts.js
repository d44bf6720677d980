// Single-key shortcuts on window (s: search, p: profile, f: follow, n: new, /: search), skipping
// typing in inputs by looking at event.target — which, for a widget in a shadow root, is the
// widget's host element, not its input.
window.__shortcuts = [];
window.addEventListener("keydown", function (e) {
  if (e.ctrlKey || e.metaKey || e.altKey || /^(INPUT|TEXTAREA|SELECT)$/.test(e.target.tagName)) return;
  if (/^[a-z\/?]$/.test(e.key)) {
    e.preventDefault();
    window.__shortcuts.push(e.key);
  }
});
