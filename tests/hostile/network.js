// navigator.connection as a data-saving (?net=save) or 2G (?net=2g) visitor's browser reports it.
(function () {
  var net = new URLSearchParams(location.search).get("net");
  var info = net === "save" ? { saveData: true, effectiveType: "4g" } : net === "2g" ? { saveData: false, effectiveType: "2g" } : null;
  if (info) Object.defineProperty(Navigator.prototype, "connection", { get: function () { return info; }, configurable: true });
})();
