// Prototype.js 1.6 (and its era), reduced to what it does to a page's globals.
(function () {
  var stringify = JSON.stringify, parse = JSON.parse;
  // Object.toJSON / Array#toJSON: arrays come out as JSON *strings* inside JSON.stringify.
  Array.prototype.toJSON = function () {
    var parts = [];
    for (var i = 0; i < this.length; i++) parts.push(stringify(this[i]));
    return "[" + parts.join(", ") + "]";
  };
  // String#toJSON = inspect(true): strings are quoted twice.
  String.prototype.toJSON = function () { return '"' + this + '"'; };
  // Enumerable additions every for-in loop sees.
  Object.prototype.extend = function () { return this; };
  Object.prototype.toQueryString = function () { return ""; };
  // json2.js-style replacement of JSON.
  window.JSON = {
    stringify: function (v, r, s) { return stringify(v, r, s); },
    parse: function (t, r) { return parse(t, r); }
  };
  // Ajax.Request hooks XHR.
  var send = XMLHttpRequest.prototype.send;
  XMLHttpRequest.prototype.send = function () { return send.call(this, null); };
  // A consent tool keeps storage in memory until cookies are accepted: gone after a reload.
  var memory = {};
  var fake = {
    getItem: function (k) { return k in memory ? memory[k] : null; },
    setItem: function (k, v) { memory[k] = String(v); },
    removeItem: function (k) { delete memory[k]; },
    clear: function () { memory = {}; },
    key: function () { return null; },
    length: 0
  };
  Object.defineProperty(window, "sessionStorage", { get: function () { return fake; }, configurable: true });
})();
