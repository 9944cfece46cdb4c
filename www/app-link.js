// Each stage serves the landing page at www.<stage domain> and the app at app.<stage domain>; the markup carries the
// production address so the link still works without JavaScript.
const host = window.location.hostname;
if (host.startsWith('www.')) {
  const appUrl = `${window.location.protocol}//app.${host.slice('www.'.length)}/`;
  for (const link of document.querySelectorAll('a[data-app-link]')) link.href = appUrl;
}
