// What the integrator sees in the console: every console.error, recorded in __errors.
window.__errors = [];
(function () {
  var error = console.error;
  console.error = function () {
    window.__errors.push([].map.call(arguments, String).join(" "));
    return error.apply(console, arguments);
  };
})();
