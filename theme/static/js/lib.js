// What the site's scripts share: the site's address, storage, the element builder, fetching
// the site's own files and its data sharded by month, arXiv ids, and the reading list. Every
// script is an ES module that imports what it needs from here; keepup-head.js alone is a
// classic script (it must run before the first paint) and keeps the compact view's choice
// itself.

/** The site's root URL ("/" or SITEURL/), from <html data-root> (base.html). */
export const siteRoot = new URL(document.documentElement.dataset.root || "/", location.href);

/** The absolute URL of `path` on the site: siteUrl("reading-list/"). */
export function siteUrl(path) {
  return new URL(path, siteRoot).href;
}

/** The URL of a data file the build writes for the scripts (keepup.py): dataUrl("recent.json"). */
export function dataUrl(path) {
  return siteUrl(`data/${path}`);
}

/** "1 paper", "2 papers", "5,000 papers". */
export function count(number, noun) {
  return `${number.toLocaleString("en")} ${noun}${number === 1 ? "" : "s"}`;
}

// ---- Storage: localStorage only, as JSON; a page works the same when it is off or full.

export function load(key, fallback) {
  try {
    const text = localStorage.getItem(key);
    return text === null ? fallback : JSON.parse(text);
  } catch {
    return fallback; // storage off, or a value we did not write
  }
}

export function save(key, value) {
  try {
    localStorage.setItem(key, JSON.stringify(value));
  } catch {
    // Storage off or full: the page still works, it just forgets.
  }
}

// ---- DOM

/** An element with `attributes` set and `children` appended. Strings become text nodes:
    text from arXiv is never parsed as markup. */
export function element(name, attributes = {}, children = []) {
  const node = document.createElement(name);
  for (const [key, value] of Object.entries(attributes)) node.setAttribute(key, value);
  node.append(...children);
  return node;
}

// ---- Fetching the site's own files, revalidated every time (a 304 when unchanged): a copy
// cached before the last build would disagree with the page that asks for it.

async function fetchOk(url) {
  const response = await fetch(url, { cache: "no-cache" });
  if (!response.ok) throw new Error(`${url}: HTTP ${response.status}`);
  return response;
}

export async function fetchJson(url) {
  return (await fetchOk(url)).json();
}

export async function fetchText(url) {
  return (await fetchOk(url)).text();
}

// ---- Data files sharded by the month in an id (/data/papers/, /data/related/: paperdata.py)

/** The shard of an id, as paperdata.shard_key: the month in it (2601.01234 -> 2601). */
export function shardKey(id) {
  return /(\d{4})[.\d]*$/.exec(id)[1];
}

let shardsOnSite = null;
/** The keys of the shards the site has, as recent.json names them (asked once a page): a
    shard that is not there is never asked for, which would be an error in the console. */
export function existingShards() {
  shardsOnSite ??= fetchJson(dataUrl("recent.json")).then((recent) => new Set(recent.shards || []));
  return shardsOnSite;
}

const shardFiles = new Map(); // URL -> promise of its `papers`: each file fetched once a page
/** The `papers` of the shards of /data/<kind>/ among `keys` that exist: key -> papers. */
export async function loadShards(kind, keys) {
  const existing = await existingShards();
  const wanted = [...new Set(keys)].filter((key) => existing.has(key));
  const loaded = await Promise.all(
    wanted.map((key) => {
      const url = dataUrl(`${kind}/${key}.json`);
      if (!shardFiles.has(url)) shardFiles.set(url, fetchJson(url).then((shard) => shard.papers || {}));
      return shardFiles.get(url);
    }),
  );
  return new Map(wanted.map((key, at) => [key, loaded[at]]));
}

// ---- arXiv ids

// An id without its version, as paper.py's ARXIV_ID: 2601.01234, or quant-ph/0201082. An
// archive name has at most 8 letters: bounded, a pattern tries a few lengths at each place
// (unbounded, text like "a-a-a-…" took time quadratic in its length).
const ID = String.raw`\d{4}\.\d{4,5}|[a-z-]{1,16}(?:\.[A-Z]{2})?\/\d{7}`;
const WHOLE_ID = new RegExp(`^(?:${ID})$`);
const ID_IN_TEXT = new RegExp(String.raw`\b(?:arxiv:)?(${ID})(?:v\d+)?\b`, "gi");

export function isArxivId(value) {
  return typeof value === "string" && WHOLE_ID.test(value);
}

/** `text` with each arXiv id in it, with or without "arXiv:" and a version, as the id
    alone: "see arXiv:2601.01234v2" -> "see 2601.01234". */
export function versionlessIds(text) {
  return text.replace(ID_IN_TEXT, "$1");
}

// ---- The reading list: arXiv ids without version, the last one saved first, each once.

const READING_LIST = "arxiv-digest:reading-list";
// The most papers it holds: its page stays quick to draw (reading_list.html states it).
export const READING_LIST_CAP = 5000;

export const readingList = {
  /** The saved ids; a stored value we did not write gives what is valid in it. */
  ids() {
    const stored = load(READING_LIST, []);
    if (!Array.isArray(stored)) return [];
    return [...new Set(stored.filter(isArxivId))].slice(0, READING_LIST_CAP);
  },

  set(ids) {
    save(READING_LIST, ids);
  },

  /** Adds the valid ids not saved yet, each once, after the others, while there is room.
      Returns how many were added, were saved already, and were refused (the list is full). */
  add(ids) {
    const current = readingList.ids();
    const saved = new Set(current);
    const valid = [...new Set(ids)].filter(isArxivId);
    const fresh = valid.filter((id) => !saved.has(id));
    const added = fresh.slice(0, Math.max(0, READING_LIST_CAP - current.length));
    if (added.length) readingList.set(current.concat(added));
    return {
      added: added.length,
      present: valid.length - fresh.length,
      refused: fresh.length - added.length,
    };
  },

  remove(id) {
    readingList.set(readingList.ids().filter((saved) => saved !== id));
  },

  /** Saves `id` first, or removes it: true when saved, false when removed, null when the
      list is full. */
  toggle(id) {
    const ids = readingList.ids();
    const at = ids.indexOf(id);
    if (at !== -1) ids.splice(at, 1);
    else if (ids.length >= READING_LIST_CAP) return null;
    else ids.unshift(id);
    readingList.set(ids);
    return at === -1;
  },
};
