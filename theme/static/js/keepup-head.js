// The one classic script, loaded (not deferred) in <head>: classes set before the first paint.
// "js": parts that only work with JavaScript may show; "compact": the list view the visitor
// chose (keepup.js's toggle only switches the class; this remembers it, so the storage key
// is written in one place); "has-saved" and "for-you-first": see for-you.js.
(function () {
  "use strict";
  var KEY = "arxiv-digest:compact";
  var root = document.documentElement;
  root.classList.add("js");
  try {
    if (localStorage.getItem(KEY) === "1") root.classList.add("compact");
    // For you (for-you.js): a visitor with saved papers has a line kept for its toggle, and
    // chose "For you first" or not; the keys are lib.js's reading list and for-you.js's.
    if (/^\[\s*"/.test(localStorage.getItem("arxiv-digest:reading-list") || "")) {
      root.classList.add("has-saved");
      if (localStorage.getItem("arxiv-digest:for-you-first") === "true") root.classList.add("for-you-first");
    }
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
