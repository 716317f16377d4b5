// The one classic script, loaded (not deferred) in <head>: classes set before the first paint.
// "js": parts that only work with JavaScript may show; "compact": the list view the visitor
// chose. keepup.js's toggle only switches the class; this remembers it, so the storage key
// is written in one place.
(function () {
  "use strict";
  var KEY = "arxiv-digest:compact";
  var root = document.documentElement;
  root.classList.add("js");
  try {
    if (localStorage.getItem(KEY) === "1") root.classList.add("compact");
  } catch (error) {
    return; // Storage off (private mode, policy): the full view, as without JavaScript.
  }
  var compact = root.classList.contains("compact");
  new MutationObserver(function () {
    if (root.classList.contains("compact") === compact) return;
    compact = !compact;
    try {
      if (compact) localStorage.setItem(KEY, "1");
      else localStorage.removeItem(KEY);
    } catch (error) {
      // Not remembered; this page still switches.
    }
  }).observe(root, { attributes: true, attributeFilter: ["class"] });
})();
