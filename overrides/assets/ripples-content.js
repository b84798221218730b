/* Ripples: Material 9.8's inline content script (partials/javascripts/content.html),
   unchanged, in a file for the Content-Security-Policy: opens the content tab a link points at. */
var target=document.getElementById(location.hash.slice(1));target&&target.name&&(target.checked=target.name.startsWith("__tabbed_"))
