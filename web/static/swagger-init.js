// Starts Swagger UI for /api/docs from data attributes (the CSP forbids the inline script flask-smorest ships).
(() => {
  const box = document.getElementById("swagger-ui-container");
  const config = Object.assign({ url: box.dataset.specUrl, dom_id: "#swagger-ui-container" },
                               JSON.parse(box.dataset.config || "{}"));
  window.addEventListener("load", () => { window.ui = SwaggerUIBundle(config); });
})();
