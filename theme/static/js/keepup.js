// Keep up without a server: papers new since the last visit, a reading list, a compact view.
// State lives in localStorage only; the only requests are same-site data files.
//
// What the pages must carry (theme templates):
//   <script src=".../js/keepup-head.js"> in <head>, not deferred (classes before first paint);
//   <script src=".../js/keepup.js" data-root="{{ SITEURL }}/" defer> in <head>;
//   <article class="paper" id="ID" data-day="YYYY-MM-DD"> per paper
//     (ID without version; data-day: the digest day that announced it, on the paper or on
//     an element around it, as a day's digest carries it once per section), its heading h2-h6;
//   <a data-keyword="SLUG"> for each keyword in the site navigation;
//   <main>, where the bar (compact toggle, new papers, reading list link) goes first.
// What the site must serve (keepup.py writes them): <root>data/recent.json
//   (paperdata.recent), <root>data/papers/<month>.json (paperdata.shards: id -> digest day),
//   each day's digest page and papers.bib, and <root>reading-list/.
(function () {
  "use strict";

  var KEYS = {
    visit: "arxiv-digest:visit",
    readingList: "arxiv-digest:reading-list",
    compact: "arxiv-digest:compact",
  };
  var VISIT_GAP = 60 * 60 * 1000; // a visit ends after an hour without a page view
  // Same pattern as paper.py's ARXIV_ID, without the version.
  var ARXIV_ID = /^(?:[a-z-]+(?:\.[A-Z]{2})?\/\d{7}|\d{4}\.\d{4,5})$/;
  var script = document.currentScript;
  var root = new URL((script && script.dataset.root) || "/", location.href);

  function load(key, fallback) {
    try {
      var text = localStorage.getItem(key);
      return text === null ? fallback : JSON.parse(text);
    } catch (error) {
      return fallback; // storage off, or a value we did not write
    }
  }

  function save(key, value) {
    try {
      localStorage.setItem(key, JSON.stringify(value));
    } catch (error) {
      // Storage off or full: the page still works, it just forgets.
    }
  }

  function dataUrl(path) {
    return new URL("data/" + path, root).href;
  }

  function fetchJson(path) {
    // Revalidated every time (a 304 when unchanged): a cached recent.json from before
    // the last build would miss the newest day's counts while the page shows its papers.
    return fetch(dataUrl(path), { cache: "no-cache" }).then(function (response) {
      if (!response.ok) throw new Error(path + ": HTTP " + response.status);
      return response.json();
    });
  }

  function element(name, attributes, children) {
    var node = document.createElement(name);
    Object.keys(attributes || {}).forEach(function (key) {
      node.setAttribute(key, attributes[key]);
    });
    (children || []).forEach(function (child) {
      node.append(child); // strings become text nodes: arXiv text is never markup
    });
    return node;
  }

  // The reading list: arXiv ids without version, the last one saved first.
  var readingList = {
    ids: function () {
      var ids = load(KEYS.readingList, []);
      return Array.isArray(ids) ? ids.filter(isArxivId) : [];
    },
    has: function (id) {
      return readingList.ids().indexOf(id) !== -1;
    },
    set: function (ids) {
      save(KEYS.readingList, ids);
    },
    add: function (ids) {
      var current = readingList.ids();
      var added = ids.filter(function (id) {
        return isArxivId(id) && current.indexOf(id) === -1;
      });
      readingList.set(current.concat(added));
      return added;
    },
    toggle: function (id) {
      var ids = readingList.ids();
      var at = ids.indexOf(id);
      if (at === -1) ids.unshift(id);
      else ids.splice(at, 1);
      readingList.set(ids);
      return at === -1;
    },
  };

  function isArxivId(value) {
    return typeof value === "string" && ARXIV_ID.test(value);
  }

  function papers() {
    return Array.prototype.slice.call(document.querySelectorAll("article.paper[id]"));
  }

  // ---- Toolbar: at the top of <main>, made only when there is something to show in it.

  var toolbar = null;
  function tools() {
    if (!toolbar) {
      toolbar = element("div", { class: "keepup-tools" });
      var main = document.querySelector("main") || document.body;
      main.prepend(toolbar);
    }
    return toolbar;
  }

  // ---- Stars

  function addStars() {
    papers().forEach(function (article) {
      if (article.closest("#reading-list")) return; // that page has its own Remove buttons
      var id = article.id;
      var button = element("button", {
        type: "button",
        class: "star",
        "aria-pressed": String(readingList.has(id)),
      }, [element("span", { class: "star-icon", "aria-hidden": "true" }), "Save"]);
      button.addEventListener("click", function () {
        button.setAttribute("aria-pressed", String(readingList.toggle(id)));
        updateReadingListLink();
      });
      var heading = article.querySelector("h2, h3, h4, h5, h6");
      if (heading) heading.after(button);
      else article.prepend(button);
    });
  }

  var readingListLink = null;
  function updateReadingListLink() {
    var count = readingList.ids().length;
    if (!readingListLink) {
      if (!count || document.getElementById("reading-list")) return;
      readingListLink = element("a", { class: "reading-list-link", href: new URL("reading-list/", root).href });
      tools().append(readingListLink);
    }
    readingListLink.textContent = "Reading list (" + count + ")";
  }

  // ---- Compact view

  function addCompactToggle() {
    if (!papers().length) return;
    var html = document.documentElement;
    var button = element("button", {
      type: "button",
      class: "compact-toggle",
      "aria-pressed": String(html.classList.contains("compact")),
    }, ["Compact list"]);
    button.addEventListener("click", function () {
      var compact = html.classList.toggle("compact");
      button.setAttribute("aria-pressed", String(compact));
      try {
        if (compact) localStorage.setItem(KEYS.compact, "1");
        else localStorage.removeItem(KEYS.compact);
      } catch (error) {
        // Not remembered; this page still switches.
      }
    });
    tools().prepend(button);
  }

  // ---- New since the last visit

  // One page view: a visit goes on while pages are opened less than an hour apart, and
  // its baseline (the newest day seen in the visit before) stays the same throughout.
  function startPageView(now) {
    var visit = load(KEYS.visit, null);
    if (!visit || typeof visit.last !== "number") {
      visit = { baseline: null, newest: null, last: now }; // a first visit marks nothing
    } else if (now - visit.last > VISIT_GAP) {
      visit = { baseline: visit.newest || null, newest: null, last: now };
    } else {
      visit.last = now;
    }
    save(KEYS.visit, visit);
    return visit;
  }

  function dayOf(article) {
    var holder = article.closest("[data-day]");
    return holder ? holder.dataset.day : "";
  }

  function newestDayOnPage() {
    return papers().reduce(function (newest, article) {
      var day = dayOf(article);
      return day > newest ? day : newest;
    }, "");
  }

  function markUnseen(baseline) {
    var count = 0;
    papers().forEach(function (article) {
      var day = dayOf(article);
      if (!day || day <= baseline) return;
      article.setAttribute("data-unseen", "");
      var heading = article.querySelector("h2, h3, h4, h5, h6") || article;
      heading.prepend(element("span", { class: "unseen-mark" }, ["New"]), " ");
      count += 1;
    });
    return count;
  }

  // Per-keyword counts of papers announced after the baseline, from recent.json.
  function unseenByKeyword(recent, baseline) {
    var counts = Object.create(null); // keyword slugs are keys: none may be Object's own
    var days = recent.days || [];
    days.forEach(function (day) {
      if (day.day <= baseline) return;
      Object.keys(day.keywords || {}).forEach(function (slug) {
        counts[slug] = (counts[slug] || 0) + day.keywords[slug];
      });
    });
    var oldest = days.length ? days[days.length - 1].day : "";
    // The visitor was away longer than recent.json reaches back: counts are "at least".
    var atLeast = Boolean(recent.more) && baseline < oldest;
    return { counts: counts, atLeast: atLeast };
  }

  function showNavCounts(unseen) {
    document.querySelectorAll("a[data-keyword]").forEach(function (link) {
      var count = unseen.counts[link.dataset.keyword] || 0;
      if (!count) return;
      var text = String(count) + (unseen.atLeast ? "+" : "");
      link.append(
        " ",
        element("span", { class: "unseen-count" }, [
          text,
          element("span", { class: "visually-hidden" }, [" new"]),
        ])
      );
    });
  }

  function clearUnseen() {
    document.querySelectorAll("[data-unseen]").forEach(function (article) {
      article.removeAttribute("data-unseen");
    });
    document.querySelectorAll(".unseen-mark, .unseen-count").forEach(function (mark) {
      var space = mark.previousSibling || mark.nextSibling;
      if (space && space.nodeType === Node.TEXT_NODE && space.textContent === " ") space.remove();
      mark.remove();
    });
  }

  function offerMarkAllSeen(visit, onPage, unseen) {
    var total = Object.keys(unseen.counts).length;
    if (!onPage && !total) return;
    var status = element("p", { class: "unseen-status", role: "status", tabindex: "-1" }, [
      onPage
        ? onPage + (onPage === 1 ? " paper" : " papers") + " on this page new since your last visit. "
        : "New papers since your last visit. ",
    ]);
    var button = element("button", { type: "button", class: "mark-seen" }, ["Mark all as seen"]);
    button.addEventListener("click", function () {
      var current = load(KEYS.visit, visit);
      current.baseline = current.newest || visit.newest;
      save(KEYS.visit, current);
      clearUnseen();
      status.textContent = "All marked as seen.";
      status.focus(); // the button is gone; keep keyboard focus where it was
    });
    status.append(button);
    tools().append(status);
  }

  // Marks go on at once, from the page; the counts for other pages wait for recent.json.
  function keepUp() {
    var visit = startPageView(Date.now());
    var onPageNewest = newestDayOnPage();
    if (onPageNewest && (!visit.newest || onPageNewest > visit.newest)) {
      visit.newest = onPageNewest; // kept even if the visitor leaves before recent.json comes
      save(KEYS.visit, visit);
    }
    var onPage = visit.baseline ? markUnseen(visit.baseline) : 0;
    return function (recent) {
      var newest = (recent && recent.days && recent.days.length && recent.days[0].day) || "";
      var current = load(KEYS.visit, visit);
      if (newest && (!current.newest || newest > current.newest)) current.newest = newest;
      save(KEYS.visit, current);
      if (!visit.baseline) return;
      var unseen = recent ? unseenByKeyword(recent, visit.baseline) : { counts: {}, atLeast: false };
      showNavCounts(unseen);
      offerMarkAllSeen(current, onPage, unseen);
    };
  }

  // Shared with reading-list.js, which loads after this file.
  window.arxivDigest = {
    readingList: readingList,
    isArxivId: isArxivId,
    fetchJson: fetchJson,
    element: element,
    root: root,
  };

  addCompactToggle();
  addStars();
  updateReadingListLink();
  var withRecent = keepUp();
  fetchJson("recent.json")
    .catch(function () {
      return null; // no data file (a site built before it existed): the page's marks alone
    })
    .then(withRecent)
    .then(function () {
      // Everything is in place: for tests, and for styles that wait for the counts.
      document.documentElement.setAttribute("data-keepup", "ready");
    });
})();
