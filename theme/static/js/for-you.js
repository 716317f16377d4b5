// For you: the site's papers related to the ones on the visitor's reading list, found in
// this browser. On a page of papers it marks each related paper ("Related to 2 papers you
// saved") and offers "For you first", which puts the most related first within each list of
// papers and, turned off, brings back the page's order; on the reading list page it lists
// "More like these", related papers not saved yet. Nothing is fetched, and nothing shows,
// for a visitor whose reading list is empty.
//
// The data: /data/related/<month>.json (glue/related.py), each paper's related papers by id,
// as its digest lists them. A paper lists papers up to its own day, so when a newer paper
// lists an older one, the pair is in the newer one's month: two papers are related when
// either lists the other, and a page needs the months of its papers and of the saved ones.
//
// What the pages must carry: keepup-head.js (html.has-saved keeps the line of the
// toolbar, html.for-you-first hides the papers until they are in the chosen order);
// <div class="page-tools"> on a page of papers, where the toggle goes; on the reading list
// page, <section id="more-like-these" hidden> with an <ol> (reading_list.html).
import {
  READING_LIST_CAP,
  count,
  element,
  existingShards,
  isArxivId,
  loadShards,
  readingList,
  save,
  shardKey,
} from "./lib.js";

const FIRST = "arxiv-digest:for-you-first"; // keepup-head.js reads it before the first paint
const SHOWN_AT_ONCE = 10; // "More like these" papers drawn at a time
// Besides the saved papers' months, "More like these" reads the newest months, where the
// newer papers that list a saved one mostly are (reading every month could be megabytes).
const NEWEST_MONTHS = 3;
const root = document.documentElement;

/** For each paper in the shards' lists, the saved papers it is related to: a saved paper
    lists it, or it lists a saved paper. */
function savedNeighbours(saved, shards) {
  const neighbours = new Map(); // id -> Set of saved ids
  const relate = (id, savedId) => {
    if (id === savedId) return;
    if (!neighbours.has(id)) neighbours.set(id, new Set());
    neighbours.get(id).add(savedId);
  };
  for (const papers of shards) {
    for (const [id, related] of Object.entries(papers)) {
      if (!Array.isArray(related)) continue;
      for (const other of related) {
        if (saved.has(id)) relate(other, id);
        if (saved.has(other)) relate(id, other);
      }
    }
  }
  return neighbours;
}

function relatedMark(howMany) {
  return element("p", { class: "for-you-mark" }, [`Related to ${count(howMany, "paper")} you saved`]);
}

function headingOf(article) {
  return article.querySelector("h2, h3, h4, h5, h6");
}

// ---- A page of papers: marks, and "For you first"

// The lists of papers: papers that follow each other on the page (a digest's "New" and
// "Revised" of a keyword are two lists); a paper moves only within its list.
function listsOf(papers) {
  const lists = [];
  for (const article of papers) {
    const last = lists.at(-1);
    if (last && last.papers.at(-1).nextElementSibling === article) last.papers.push(article);
    else lists.push({ papers: [article], parent: article.parentNode, before: article.previousSibling });
  }
  return lists;
}

// Each list in page order, or the papers related to more saved papers first (a stable sort:
// papers as related keep the page's order).
function arrange(lists, scores) {
  for (const { papers, parent, before } of lists) {
    const ordered = scores ? [...papers].sort((a, b) => scores.get(b) - scores.get(a)) : papers;
    if (before) before.after(...ordered);
    else parent.prepend(...ordered);
  }
}

async function forYouOnPage(tools, papers) {
  const saved = new Set(readingList.ids());
  const lists = listsOf(papers);
  let first = root.classList.contains("for-you-first");
  let scores = null; // article -> how many saved papers it is related to, once loaded
  const toggle = element("button", { type: "button", class: "for-you-toggle", "aria-pressed": String(first) }, [
    "For you first",
  ]);
  const status = element("span", { class: "visually-hidden", role: "status" });
  const show = () => {
    arrange(lists, first && scores);
    if (!first || !scores) return;
    const related = papers.filter((article) => scores.get(article) > 0).length;
    status.textContent = related
      ? `${count(related, "paper")} related to papers you saved, first.`
      : "No paper here is related to the papers you saved.";
  };
  toggle.addEventListener("click", () => {
    first = !first;
    toggle.setAttribute("aria-pressed", String(first));
    root.classList.toggle("for-you-first", first);
    save(FIRST, first);
    if (!first) status.textContent = "Papers in the page's order.";
    show();
  });
  tools.append(toggle, status);
  try {
    const months = [...saved, ...papers.map((article) => article.id)].map(shardKey);
    const neighbours = savedNeighbours(saved, (await loadShards("related", months)).values());
    scores = new Map(papers.map((article) => [article, neighbours.get(article.id)?.size ?? 0]));
    for (const article of papers) {
      const howMany = scores.get(article);
      if (howMany) (headingOf(article) || article.firstChild).after(relatedMark(howMany));
    }
    show();
  } catch {
    status.textContent = "The related papers could not be loaded; the page keeps its order.";
  }
}

// ---- The reading list page: "More like these"

// A month key's place in time: arXiv's old ids start in 1991 ("9108").
function monthNumber(key) {
  const year = Number(key.slice(0, 2));
  return (year > 90 ? 1900 + year : 2000 + year) * 100 + Number(key.slice(2));
}

async function moreLikeThese(section) {
  const { shown, loadPapers, found, days, dayUrl } = await import("./reading-list.js");
  await shown; // the list above is drawn: this section, below it, moves nothing
  const saved = new Set(readingList.ids());
  if (!saved.size) return;
  const newest = [...(await existingShards())].sort((a, b) => monthNumber(a) - monthNumber(b));
  const months = [...[...saved].map(shardKey), ...newest.slice(-NEWEST_MONTHS)];
  const neighbours = savedNeighbours(saved, (await loadShards("related", months)).values());
  const howMany = (id) => neighbours.get(id).size;
  // The most related first; as related, the newest id first.
  const ranked = [...neighbours.keys()]
    .filter((id) => !saved.has(id) && isArxivId(id))
    .sort((a, b) => howMany(b) - howMany(a) || (a < b ? 1 : a > b ? -1 : 0));

  const list = section.querySelector("ol");
  const status = element("p", { class: "for-you-status", role: "status" });
  const more = element("button", { type: "button", class: "show-more" }, ["Show more"]);
  let next = 0; // the first paper of `ranked` not yet tried

  function entry(id) {
    const article = found.get(id).cloneNode(true);
    const heading = headingOf(article);
    if (heading) heading.replaceWith(element("h3", {}, [...heading.childNodes]));
    const day = days.get(id);
    article.querySelector(".meta")?.append(" · ", element("a", { href: dayUrl(day) }, ["announced ", element("time", {}, [day])]));
    const star = element("button", { type: "button", class: "star", "aria-pressed": "false" }, [
      element("span", { class: "star-icon", "aria-hidden": "true" }),
      "Save",
    ]);
    star.addEventListener("click", () => {
      const now = readingList.toggle(id);
      if (now === null) {
        status.textContent = `Not saved: the reading list holds at most ${count(READING_LIST_CAP, "paper")}.`;
        return;
      }
      star.setAttribute("aria-pressed", String(now));
    });
    (headingOf(article) || article.firstChild).after(star, relatedMark(howMany(id)));
    return element("li", {}, [article]);
  }

  // The next papers that this site has (one not found on its digest page is left out).
  async function showMore() {
    const added = [];
    while (added.length < SHOWN_AT_ONCE && next < ranked.length) {
      const batch = ranked.slice(next, next + SHOWN_AT_ONCE - added.length);
      next += batch.length;
      await loadPapers(batch);
      for (const id of batch) if (found.has(id)) added.push(entry(id));
    }
    list.append(...added);
    more.hidden = next >= ranked.length;
    const showing = list.children.length;
    status.textContent = showing
      ? `${count(showing, "paper")} related to the ones you saved${more.hidden ? "" : ", the most related first"}.`
      : "No paper of this site is related to the ones you saved yet.";
    return added;
  }

  more.addEventListener("click", async () => {
    more.disabled = true;
    try {
      const added = await showMore();
      added[0]?.querySelector("h3 a")?.focus(); // the button may be gone: go on from the first new paper
    } catch {
      status.textContent = "More papers could not be loaded; try again later.";
    } finally {
      more.disabled = false;
    }
  });
  list.before(status);
  list.after(more);
  await showMore();
  section.hidden = false;
}

// ---- Which page this is

async function forYou() {
  const moreSection = document.getElementById("more-like-these");
  const tools = document.querySelector(".page-tools");
  const papers = [...document.querySelectorAll("main article.paper[id]")].filter(
    (article) => !article.closest("#reading-list, #more-like-these"),
  );
  try {
    if (!readingList.ids().length) return; // nothing to relate to: nothing fetched
    if (moreSection) await moreLikeThese(moreSection);
    else if (tools && papers.length) await forYouOnPage(tools, papers);
  } catch {
    // The data could not be loaded: the page stays as it was built.
  } finally {
    root.classList.add("for-you-ready"); // papers hidden for the chosen order show now
  }
}

forYou();
