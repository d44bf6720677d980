// Loads the dashboard: wasm-bindgen's glue fetches and instantiates the module, whose start
// function mounts the Yew app into #app. A file of its own, because the page's CSP allows no
// inline script.
import init from "./pkg/inflow_dashboard.js";

init().catch((e) => {
  const app = document.getElementById("app");
  const p = document.createElement("p");
  p.className = "error";
  p.setAttribute("role", "alert");
  p.textContent = "The dashboard could not start. 数据报表无法启动。";
  app.append(p);
  throw e;
});
