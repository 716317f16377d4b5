// The reading list page (/reading-list/): the papers the visitor saved, each taken from
// its digest page (the day found in /data/papers/<month>.json), with BibTeX export from
// the days' papers.bib and a link that carries the list to another device. Drawn once, in
// one go, whatever its length (up to lib.js's READING_LIST_CAP).
import { bibtexEntry } from "./bibtex.js";
import {
  READING_LIST_CAP,
  count,
  dataUrl,
  element,
  fetchJson,
  fetchText,
  isArxivId,
  readingList,
  siteUrl,
} from "./lib.js";

const page = document.getElementById("reading-list");
const heading = document.getElementById("reading-list-heading");
const status = document.getElementById("reading-list-status");
const list = document.getElementById("reading-list-papers");
const actions = document.getElementById("reading-list-actions");
export const days = new Map(); // id -> the digest day that lists its newest version, once loaded
export const found = new Map(); // id -> its <article> from that day's page, imported into this one
const pages = new Map(); // day -> promise of its digest page, parsed: each fetched once
const items = new Map(); // id -> its <li> on this page, made once

// The shard of an id, as paperdata.shard_key: the month in it (2601.01234 -> 2601).
function shardKey(id) {
  return /(\d{4})[.\d]*$/.exec(id)[1];
}

function say(...message) {
  status.replaceChildren(...message);
}

// #ids=a,b (or ?ids=a,b): a list carried from another device, added to this one's.
function importFromUrl() {
  const carried =
    new URLSearchParams(location.hash.slice(1)).get("ids") ??
    new URLSearchParams(location.search).get("ids");
  if (carried === null) return;
  const given = new Set(carried.split(",").map((id) => id.trim()).filter(Boolean));
  const valid = [...given].filter(isArxivId);
  const { added, present, refused } = readingList.add(valid);
  let message = `${count(added, "paper")} added from the link`;
  if (present) message += `, ${present} already here`;
  if (refused) {
    message += `, ${refused} left out: the list holds at most ${count(READING_LIST_CAP, "paper")}`;
  }
  if (given.size > valid.length) message += `, ${given.size - valid.length} not arXiv ids, left out`;
  say(`${message}.`);
  // Reloading must not bring back what the visitor removes next.
  history.replaceState(null, "", location.pathname);
}

export function dayUrl(day) {
  return siteUrl(`${day.replace(/-/g, "/")}/`);
}

// The day of each id, from the shards of /data/papers/ that exist.
async function loadDays(ids) {
  const recent = await fetchJson(dataUrl("recent.json"));
  const existing = new Set(recent.shards || []);
  const byShard = new Map(); // shard key -> the ids in it
  for (const id of ids) {
    const key = shardKey(id);
    if (!existing.has(key)) continue;
    if (!byShard.has(key)) byShard.set(key, []);
    byShard.get(key).push(id);
  }
  await Promise.all(
    [...byShard].map(async ([key, inShard]) => {
      const shard = (await fetchJson(dataUrl(`papers/${key}.json`))).papers || {};
      for (const id of inShard) if (Object.hasOwn(shard, id)) days.set(id, shard[id]);
    }),
  );
}

// A day's digest page, parsed but inert: a parsed document runs no script. search.js
// imports it to show a result's abstract.
export function dayPage(day) {
  if (!pages.has(day)) {
    pages.set(day, fetchText(dayUrl(day)).then((html) => new DOMParser().parseFromString(html, "text/html")));
  }
  return pages.get(day);
}

// Each paper as its digest page shows it (our own escaped HTML, its math included).
export async function loadPapers(ids) {
  await loadDays(ids);
  await Promise.all(
    ids
      .filter((id) => days.has(id))
      .map(async (id) => {
        const article = (await dayPage(days.get(id))).getElementById(id);
        if (article && article.matches("article.paper")) found.set(id, document.importNode(article, true));
      }),
  );
}

function render(ids) {
  actions.hidden = ids.length === 0;
  if (!ids.length) {
    showEmpty();
    return;
  }
  const entries = document.createDocumentFragment();
  for (const id of ids) {
    if (!items.has(id)) items.set(id, element("li", {}, [entry(id)]));
    entries.append(items.get(id));
  }
  list.replaceChildren(entries);
}

function showEmpty() {
  actions.hidden = true;
  list.replaceChildren(
    element("li", { class: "empty" }, ["Your reading list is empty. Press Save on any paper to keep it here."]),
  );
}

// The digest's heading (h4 under its keyword's section) becomes this list's h2.
function asHeading2(article) {
  const old = article.querySelector("h3, h4, h5, h6");
  if (old) old.replaceWith(element("h2", {}, [...old.childNodes]));
}

function entry(id) {
  let article = found.get(id);
  let title;
  if (article) {
    asHeading2(article);
    title = article.querySelector("h2").textContent;
    const meta = article.querySelector(".meta");
    if (meta) {
      const day = days.get(id);
      meta.append(" · ", element("a", { href: dayUrl(day) }, ["announced ", element("time", {}, [day])]));
    }
  } else {
    title = `arXiv:${id}`;
    article = element("article", { class: "paper", id }, [
      element("h2", {}, [element("a", { href: `https://arxiv.org/abs/${id}` }, [title])]),
      element("p", { class: "meta" }, [
        element("a", { href: `https://arxiv.org/pdf/${id}` }, ["PDF"]),
        " · ",
        element("a", { href: `https://arxiv.org/html/${id}` }, ["HTML"]),
      ]),
      element("p", { class: "missing" }, ["This paper is not in this site's store; arXiv has its details."]),
    ]);
  }
  const remove = element("button", { type: "button", class: "remove", "aria-label": `Remove ${title}` }, ["Remove"]);
  remove.addEventListener("click", () => {
    readingList.remove(id);
    const item = items.get(id);
    const next = item.nextElementSibling || item.previousElementSibling;
    item.remove();
    if (!next) showEmpty();
    say(`Removed ${title}.`);
    (next ? next.querySelector("button.remove") : heading).focus();
  });
  article.append(remove);
  return article;
}

// ---- BibTeX: each paper's entry from its day's papers.bib (bibtex.py writes them all,
// bibtex.js reads them), so the site has one BibTeX writer and one reader.

// A key that two days' files both use gets a letter, as bibtex.py does within a day.
function uniqueKey(key, used) {
  let unique = key;
  for (let n = 1; used.has(unique); n += 1) unique = key + (n < 26 ? String.fromCharCode(97 + n) : String(n));
  used.add(unique);
  return unique;
}

async function bibtex(ids) {
  const stored = ids.filter((id) => days.has(id));
  const texts = await Promise.all(stored.map((id) => bibtexEntry(`${dayUrl(days.get(id))}papers.bib`, id)));
  const used = new Set();
  const entries = texts
    .filter((text) => text !== null)
    .map((text) => text.replace(/^(@\w+\{)([^,]*),/, (all, open, key) => `${open}${uniqueKey(key, used)},`));
  return { text: entries.join("\n"), count: entries.length, missing: ids.length - entries.length };
}

function download(name, text, type) {
  const url = URL.createObjectURL(new Blob([text], { type }));
  const link = element("a", { href: url, download: name });
  document.body.append(link);
  link.click();
  link.remove();
  setTimeout(() => URL.revokeObjectURL(url), 0);
}

function setUpActions() {
  const bib = element("button", { type: "button" }, ["Download BibTeX (.bib)"]);
  bib.addEventListener("click", async () => {
    let result;
    try {
      result = await bibtex(readingList.ids());
    } catch {
      say("The BibTeX could not be loaded from this site; try again later.");
      return;
    }
    download("reading-list.bib", result.text, "application/x-bibtex");
    let message = `BibTeX of ${count(result.count, "paper")} downloaded`;
    if (result.missing) message += `; ${result.missing} not in this site's store, left out`;
    say(`${message}.`);
  });
  const share = element("button", { type: "button" }, ["Link for another device"]);
  const output = element("p", { class: "share", hidden: "" });
  share.addEventListener("click", () => {
    const href = siteUrl(`reading-list/#ids=${readingList.ids().join(",")}`);
    output.replaceChildren("Open this link on the other device to add the list there: ", element("a", { href }, [href]));
    output.hidden = false;
    navigator.clipboard?.writeText(href).then(
      () => say("Link copied."),
      () => say("Copy the link below."),
    );
  });
  const clear = element("button", { type: "button", class: "remove-all" }, ["Remove all"]);
  // No confirm(): "Remove all" says what it did and offers to undo it.
  clear.addEventListener("click", () => {
    const removed = readingList.ids();
    readingList.set([]);
    output.hidden = true;
    render([]);
    const undo = element("button", { type: "button", class: "undo" }, ["Undo"]);
    undo.addEventListener("click", () => {
      readingList.add(removed);
      render(readingList.ids());
      say("Reading list restored.");
      heading.focus();
    });
    say(`${count(removed.length, "paper")} removed. `, undo);
    undo.focus();
  });
  actions.append(bib, " ", share, " ", clear, output);
}

async function show() {
  document.getElementById("reading-list-nojs").hidden = true;
  page.hidden = false;
  importFromUrl();
  setUpActions();
  const ids = readingList.ids();
  if (ids.length) {
    // Drawn once the details are in, so entries do not change under the reader's pointer.
    page.setAttribute("aria-busy", "true");
    try {
      await loadPapers(ids);
    } catch {
      say("The papers' details could not be loaded; their arXiv links still work.");
    }
  }
  render(readingList.ids());
  page.setAttribute("aria-busy", "false");
}

// Settles once the list is drawn: for-you.js shows its papers below it, moving none.
export const shown = page ? show() : Promise.resolve();
