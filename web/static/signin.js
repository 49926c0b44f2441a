// A sign-in link carries its token after "#": the browser never sends it, so no access log keeps it.
// Put it in the form and take it out of the address bar; the person presses "Sign in".
(() => {
  const match = /^#token=([A-Za-z0-9._-]+)$/.exec(window.location.hash);
  const field = document.getElementById("token");
  if (!match || !field) return;
  field.value = match[1];
  history.replaceState(null, "", window.location.pathname + window.location.search);
  field.focus();
})();
