// A naive fetch wrapper, as analytics and auth snippets carry: it rebuilds the call from URL,
// method and body, and so drops the request's headers (the body goes as text/plain).
(function () {
  var orig = window.fetch;
  window.__hostPosts = 0;
  window.fetch = function (input, init) {
    var url = typeof input === "string" || input instanceof URL ? String(input) : input.url;
    var method = (init && init.method) || (input && input.method) || "GET";
    if (method !== "GET") window.__hostPosts++;
    var body = init ? Promise.resolve(init.body) : method === "GET" ? Promise.resolve(undefined) : input.text();
    return body.then(function (b) { return orig(url, { method: method, body: b }); });
  };
})();
