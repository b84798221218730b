/* Ripples: a redirect page (macros/render/redirects.py) goes on to the new address and keeps
   the #anchor of the old link; the page's meta refresh (for readers without scripts)
   cannot keep it. In a file, not inline, for the Content-Security-Policy. */
(function () {
  "use strict";
  var link = document.querySelector("a[data-redirect]");
  if (link) { location.replace(link.href + location.hash); }
})();
