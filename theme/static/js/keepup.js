// Keep up without a server: papers new since the last visit, Save stars for the reading
// list, a compact view. State lives in localStorage only; the only requests are same-site
// data files.
//
// What the pages must carry (theme templates):
//   keepup-head.js as a classic script in <head> (classes before the first paint), this as a
//   module, and <html data-root="SITEURL/"> (lib.js);
//   <article class="paper" id="ID" data-day="YYYY-MM-DD"> per paper
//     (ID without version; data-day: the digest day that announced it, on the paper or on
//     an element around it, as a day's digest carries it once per section), its heading h2-h6;
//   <a data-keyword="SLUG"> for each keyword in the site navigation;
//   <main>, where the bar (compact toggle, new papers, reading list link) goes first.
// What the site must serve (keepup.py writes them): <root>data/recent.json
//   (paperdata.recent), and <root>reading-list/.
import {
  READING_LIST_CAP,
  count,
  dataUrl,
  element,
  fetchJson,
  load,
  readingList,
  save,
  siteUrl,
} from "./lib.js";

const VISIT = "arxiv-digest:visit";
const VISIT_GAP = 60 * 60 * 1000; // a visit ends after an hour without a page view
const onReadingListPage = Boolean(document.getElementById("reading-list"));

function papers() {
  return [...document.querySelectorAll("article.paper[id]")];
}

function headingOf(article) {
  return article.querySelector("h2, h3, h4, h5, h6");
}

// ---- Toolbar: at the top of <main>, made only when there is something to show in it.

let toolbar = null;
function tools() {
  if (!toolbar) {
    toolbar = element("div", { class: "keepup-tools" });
    (document.querySelector("main") || document.body).prepend(toolbar);
  }
  return toolbar;
}

// ---- Stars

let readingListLink = null;
function updateReadingListLink() {
  const saved = readingList.ids().length;
  if (!readingListLink) {
    if (!saved || onReadingListPage) return;
    readingListLink = element("a", { class: "reading-list-link", href: siteUrl("reading-list/") });
    tools().append(readingListLink);
  }
  readingListLink.textContent = `Reading list (${saved})`;
}

/** The Save button of the paper `id` (no version), pressed while it is on the reading
    list; `saved`: the list's ids, when many buttons are made at once. search.js puts one on
    each result. */
export function saveButton(id, saved = new Set(readingList.ids())) {
  const button = element(
    "button",
    { type: "button", class: "star", "aria-pressed": String(saved.has(id)) },
    [element("span", { class: "star-icon", "aria-hidden": "true" }), "Save"],
  );
  button.addEventListener("click", () => {
    const now = readingList.toggle(id);
    if (now === null) {
      refuseToSave();
      return;
    }
    button.setAttribute("aria-pressed", String(now));
    updateReadingListLink();
  });
  return button;
}

function addStars() {
  const shown = papers().filter((article) => !article.closest("#reading-list")); // it has Remove
  if (!shown.length) return;
  const saved = new Set(readingList.ids());
  for (const article of shown) {
    const button = saveButton(article.id, saved);
    const heading = headingOf(article);
    if (heading) heading.after(button);
    else article.prepend(button);
  }
}

// The list is full: an alert, as the press did not do what it says.
let refusal = null;
function refuseToSave() {
  refusal?.remove();
  refusal = element("p", { class: "keepup-message", role: "alert" }, [
    `Not saved: the reading list holds at most ${count(READING_LIST_CAP, "paper")}. `,
    element("a", { href: siteUrl("reading-list/") }, ["Remove some"]),
    " to save more.",
  ]);
  tools().append(refusal);
}

// ---- Compact view: the class on <html> is the state; keepup-head.js remembers it.

function addCompactToggle() {
  if (!papers().length) return;
  const root = document.documentElement;
  const button = element(
    "button",
    { type: "button", class: "compact-toggle", "aria-pressed": String(root.classList.contains("compact")) },
    ["Compact list"],
  );
  button.addEventListener("click", () => {
    button.setAttribute("aria-pressed", String(root.classList.toggle("compact")));
  });
  tools().prepend(button);
}

// ---- New since the last visit

// One page view: a visit goes on while pages are opened less than an hour apart, and
// its baseline (the newest day seen in the visit before) stays the same throughout.
function startPageView(now) {
  let visit = load(VISIT, null);
  if (!visit || typeof visit.last !== "number") {
    visit = { baseline: null, newest: null, last: now }; // a first visit marks nothing
  } else if (now - visit.last > VISIT_GAP) {
    visit = { baseline: visit.newest || null, newest: null, last: now };
  } else {
    visit.last = now;
  }
  save(VISIT, visit);
  return visit;
}

function dayOf(article) {
  const holder = article.closest("[data-day]");
  return holder ? holder.dataset.day : "";
}

function newestDayOnPage() {
  return papers().reduce((newest, article) => {
    const day = dayOf(article);
    return day > newest ? day : newest;
  }, "");
}

function markUnseen(baseline) {
  let marked = 0;
  for (const article of papers()) {
    const day = dayOf(article);
    if (!day || day <= baseline) continue;
    article.setAttribute("data-unseen", "");
    (headingOf(article) || article).prepend(element("span", { class: "unseen-mark" }, ["New"]), " ");
    marked += 1;
  }
  return marked;
}

// Per-keyword counts of papers announced after the baseline, from recent.json.
function unseenByKeyword(recent, baseline) {
  const counts = Object.create(null); // keyword slugs are keys: none may be Object's own
  const days = recent.days || [];
  for (const day of days) {
    if (day.day <= baseline) continue;
    for (const [slug, papersThatDay] of Object.entries(day.keywords || {})) {
      counts[slug] = (counts[slug] || 0) + papersThatDay;
    }
  }
  const oldest = days.length ? days[days.length - 1].day : "";
  // The visitor was away longer than recent.json reaches back: counts are "at least".
  const atLeast = Boolean(recent.more) && baseline < oldest;
  return { counts, atLeast };
}

function showNavCounts(unseen) {
  for (const link of document.querySelectorAll("a[data-keyword]")) {
    const unseenHere = unseen.counts[link.dataset.keyword] || 0;
    if (!unseenHere) continue;
    link.append(
      " ",
      element("span", { class: "unseen-count" }, [
        String(unseenHere) + (unseen.atLeast ? "+" : ""),
        element("span", { class: "visually-hidden" }, [" new"]),
      ]),
    );
  }
}

function clearUnseen() {
  for (const article of document.querySelectorAll("[data-unseen]")) {
    article.removeAttribute("data-unseen");
  }
  for (const mark of document.querySelectorAll(".unseen-mark, .unseen-count")) {
    const space = mark.previousSibling || mark.nextSibling;
    if (space && space.nodeType === Node.TEXT_NODE && space.textContent === " ") space.remove();
    mark.remove();
  }
}

function offerMarkAllSeen(visit, onPage, unseen) {
  if (!onPage && !Object.keys(unseen.counts).length) return;
  const status = element("p", { class: "unseen-status", role: "status", tabindex: "-1" }, [
    onPage
      ? `${count(onPage, "paper")} on this page new since your last visit. `
      : "New papers since your last visit. ",
  ]);
  const button = element("button", { type: "button", class: "mark-seen" }, ["Mark all as seen"]);
  button.addEventListener("click", () => {
    const current = load(VISIT, visit);
    current.baseline = current.newest || visit.newest;
    save(VISIT, current);
    clearUnseen();
    status.textContent = "All marked as seen.";
    status.focus(); // the button is gone; keep keyboard focus where it was
  });
  status.append(button);
  tools().append(status);
}

// Marks go on at once, from the page; the counts for other pages wait for recent.json.
function keepUp() {
  const visit = startPageView(Date.now());
  const onPageNewest = newestDayOnPage();
  if (onPageNewest && (!visit.newest || onPageNewest > visit.newest)) {
    visit.newest = onPageNewest; // kept even if the visitor leaves before recent.json comes
    save(VISIT, visit);
  }
  const onPage = visit.baseline ? markUnseen(visit.baseline) : 0;
  return (recent) => {
    const newest = recent?.days?.[0]?.day || "";
    const current = load(VISIT, visit);
    if (newest && (!current.newest || newest > current.newest)) current.newest = newest;
    save(VISIT, current);
    if (!visit.baseline) return;
    const unseen = recent ? unseenByKeyword(recent, visit.baseline) : { counts: {}, atLeast: false };
    showNavCounts(unseen);
    offerMarkAllSeen(current, onPage, unseen);
  };
}

addCompactToggle();
addStars();
updateReadingListLink();
const withRecent = keepUp();
fetchJson(dataUrl("recent.json"))
  .catch(() => null) // no data file (a site built before it existed): the page's marks alone
  .then(withRecent)
  .then(() => {
    // Everything is in place: for tests, and for styles that wait for the counts.
    document.documentElement.setAttribute("data-keepup", "ready");
  });
