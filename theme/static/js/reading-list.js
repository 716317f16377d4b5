// The reading list page (/reading-list/): the papers the visitor saved, each taken from
// its digest page (the day found in /data/papers/<month>.json), each marked read or not and
// with a one-line note, with BibTeX export from the days' papers.bib (the note as its `note`)
// and a link that carries the list, read marks and notes to another device. Drawn once, in
// one go, whatever its length (up to lib.js's READING_LIST_CAP).
import { bibtexEntry, withNote } from "./bibtex.js";
import {
  READING_LIST_CAP,
  count,
  element,
  fetchText,
  isArxivId,
  load,
  loadShards,
  readingList,
  save,
  shardKey,
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

function say(...message) {
  status.replaceChildren(...message);
}

// ---- Reading state: per saved paper, read or not and a note, under its own key beside the
// list's. The list keeps the format (an array of ids) that every script reads and writes, so
// a list saved before notes existed needs no migration, and a page still open from before
// cannot overwrite the list with a format it does not know.

const READING_STATE = "arxiv-digest:reading-state";
// The longest note, in UTF-16 units as the input's maxlength counts: one line on a desktop,
// and a link carrying 5,000 of them stays openable.
const NOTE_CAP = 140;

/** A note as it is kept: one line, single spaces, at most NOTE_CAP long. */
function oneLine(text) {
  const line = text.split(/\s+/).filter(Boolean).join(" ").slice(0, NOTE_CAP);
  return line.replace(/[\uD800-\uDBFF]$/, ""); // half a character cut at the cap goes
}

const readingState = {
  /** id -> { read, note } for the papers that are read or have a note; what is stored and
      not valid is left out. */
  all() {
    const stored = load(READING_STATE, {});
    const state = new Map();
    if (stored === null || typeof stored !== "object" || Array.isArray(stored)) return state;
    for (const [id, value] of Object.entries(stored)) {
      if (!isArxivId(id) || value === null || typeof value !== "object") continue;
      const kept = { read: value.read === true, note: typeof value.note === "string" ? oneLine(value.note) : "" };
      if (kept.read || kept.note) state.set(id, kept);
    }
    return state;
  },

  of(id) {
    return readingState.all().get(id) ?? { read: false, note: "" };
  },

  write(state) {
    const kept = [...state].filter(([, value]) => value.read || value.note);
    save(READING_STATE, Object.fromEntries(kept));
  },

  /** Sets what `change` names ({ read } or { note }) for `id`. */
  update(id, change) {
    const state = readingState.all();
    const value = { ...(state.get(id) ?? { read: false, note: "" }), ...change };
    value.note = oneLine(value.note);
    state.set(id, value);
    readingState.write(state);
  },

  /** Forgets the state of every paper not in `ids` (removed, here or on another page). */
  keepOnly(ids) {
    const saved = new Set(ids);
    readingState.write([...readingState.all()].filter(([id]) => saved.has(id)));
  },
};

// The link for another device: #ids=a,b,c&read=a,c&note=a+its+note&note=c+…, every part but
// ids only when it has something to carry (a link without them is what older pages made).
function shareLink() {
  const ids = readingList.ids();
  const state = readingState.all();
  let hash = `ids=${ids.join(",")}`;
  const read = ids.filter((id) => state.get(id)?.read);
  if (read.length) hash += `&read=${read.join(",")}`;
  const notes = new URLSearchParams(
    ids.filter((id) => state.get(id)?.note).map((id) => ["note", `${id} ${state.get(id).note}`]),
  ).toString();
  if (notes) hash += `&${notes}`;
  return siteUrl(`reading-list/#${hash}`);
}

// The read marks and notes a link carries for the papers now on the list: a paper the link
// marks read becomes read, a note in the link replaces this device's. Each part is read in
// one pass, and only for ids on the list (at most READING_LIST_CAP), each note cut at the cap.
function importState(params, given) {
  const saved = new Set(readingList.ids());
  const carried = (id) => given.has(id) && saved.has(id);
  const read = new Set((params.get("read") ?? "").split(",").filter(carried));
  const notes = new Map();
  for (const value of params.getAll("note")) {
    const space = value.indexOf(" ");
    const id = value.slice(0, space);
    if (space > 0 && carried(id) && !notes.has(id)) {
      notes.set(id, oneLine(value.slice(space + 1, space + 1 + 4 * NOTE_CAP)));
    }
  }
  const state = readingState.all();
  for (const id of new Set([...read, ...notes.keys()])) {
    const value = state.get(id) ?? { read: false, note: "" };
    state.set(id, { read: value.read || read.has(id), note: notes.get(id) || value.note });
  }
  readingState.write(state);
  return { read: read.size, notes: [...notes.values()].filter(Boolean).length };
}

// #ids=a,b (or ?ids=a,b), with read= and note= (see shareLink): a list carried from another
// device, added to this one's.
function importFromUrl() {
  const hash = new URLSearchParams(location.hash.slice(1));
  const params = hash.has("ids") ? hash : new URLSearchParams(location.search);
  const carried = params.get("ids");
  if (carried === null) return;
  const given = new Set(carried.split(",").map((id) => id.trim()).filter(Boolean));
  const valid = [...given].filter(isArxivId);
  const { added, present, refused } = readingList.add(valid);
  const state = importState(params, given);
  let message = `${count(added, "paper")} added from the link`;
  if (present) message += `, ${present} already here`;
  if (refused) {
    message += `, ${refused} left out: the list holds at most ${count(READING_LIST_CAP, "paper")}`;
  }
  if (given.size > valid.length) message += `, ${given.size - valid.length} not arXiv ids, left out`;
  if (state.read) message += `, ${state.read} marked read`;
  if (state.notes) message += `, ${count(state.notes, "note")}`;
  say(`${message}.`);
  // Reloading must not bring back what the visitor removes next.
  history.replaceState(null, "", location.pathname);
}

export function dayUrl(day) {
  return siteUrl(`${day.replace(/-/g, "/")}/`);
}

// The day of each id, from the shards of /data/papers/ that exist (lib.js: each fetched once).
async function loadDays(ids) {
  const shards = await loadShards("papers", ids.map(shardKey));
  for (const id of ids) {
    const shard = shards.get(shardKey(id));
    if (shard && Object.hasOwn(shard, id)) days.set(id, shard[id]);
  }
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
  const state = readingState.all();
  for (const id of ids) {
    if (!items.has(id)) {
      const read = state.get(id)?.read;
      items.set(id, element("li", read ? { class: "read" } : {}, [entry(id, state.get(id))]));
    }
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

// Read or not, and the note: labelled controls under the paper, saved as they change. Their
// names add the title to the visible label, as Remove's does, so a list of them makes sense.
function stateControls(id, title, { read, note }) {
  const checkbox = element("input", { type: "checkbox", "aria-label": `Read: ${title}` });
  checkbox.checked = read;
  checkbox.addEventListener("change", () => {
    readingState.update(id, { read: checkbox.checked });
    checkbox.closest("li").classList.toggle("read", checkbox.checked);
  });
  const noteId = `note-${id}`;
  const input = element("input", {
    type: "text",
    id: noteId,
    "aria-label": `Note on ${title}`,
    maxlength: String(NOTE_CAP),
    autocomplete: "off",
    enterkeyhint: "done",
  });
  input.value = note;
  input.addEventListener("input", () => readingState.update(id, { note: input.value }));
  return element("p", { class: "reading-state" }, [
    element("label", { class: "read" }, [checkbox, " Read"]),
    " ",
    element("label", { for: noteId }, ["Note"]),
    " ",
    input,
  ]);
}

function entry(id, state = { read: false, note: "" }) {
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
    readingState.keepOnly(readingList.ids());
    const item = items.get(id);
    const next = item.nextElementSibling || item.previousElementSibling;
    item.remove();
    if (!next) showEmpty();
    say(`Removed ${title}.`);
    (next ? next.querySelector("button.remove") : heading).focus();
  });
  const controls = stateControls(id, title, state);
  const abstract = article.querySelector(":scope > details.abstract");
  if (abstract) abstract.before(controls);
  else article.append(controls);
  article.append(remove);
  return article;
}

// ---- BibTeX: each paper's entry from its day's papers.bib (bibtex.py writes them all,
// bibtex.js reads them), so the site has one BibTeX writer and one reader. The visitor's note
// goes in as the entry's `note`; the read mark stays out: it says where the visitor is in
// the list, not anything to cite, and a citation manager would keep it as a stale tag.

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
  const state = readingState.all();
  const used = new Set();
  const entries = texts
    .map((text, index) => (text === null ? null : withNote(text, state.get(stored[index])?.note ?? "")))
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
    const href = shareLink();
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
    const removedState = readingState.all();
    readingList.set([]);
    readingState.keepOnly([]);
    output.hidden = true;
    render([]);
    const undo = element("button", { type: "button", class: "undo" }, ["Undo"]);
    undo.addEventListener("click", () => {
      readingList.add(removed);
      readingState.write(removedState);
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
  readingState.keepOnly(readingList.ids());
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
