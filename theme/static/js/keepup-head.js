// Loaded (not deferred) in <head>: classes that must be set before the first paint.
// "js": parts that only work with JavaScript may show; "compact": the remembered list view.
(function () {
  "use strict";
  var root = document.documentElement;
  root.classList.add("js");
  try {
    if (localStorage.getItem("arxiv-digest:compact") === "1") root.classList.add("compact");
  } catch (error) {
    // Storage off (private mode, policy): the full view, as without JavaScript.
  }
})();
