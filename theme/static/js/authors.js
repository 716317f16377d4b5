// Author look-up: the papers of the author a query names, from the author index the build
// writes (data/authors/, see plugins/arxiv_digest/pages/authors.py, which this mirrors rule
// for rule: the two must fold, hash and match names alike).
import { dataUrl, fetchJson } from "./lib.js";

// Letters that Unicode does not decompose into a base letter and a mark; its hyphens.
const LETTERS = { ß: "ss", æ: "ae", œ: "oe", þ: "th", ø: "o", ł: "l", đ: "d", ð: "d", ı: "i", "\u2010": "-", "\u2011": "-" };
const OTHER_LETTERS = /[ßæœþøłđðı\u2010\u2011]/gu;
// O'Brien, with a typographic apostrophe too, is OBrien, as arXiv's search has it.
const APOSTROPHES = /['`\u2019\u02bc\u00b4]/gu;
const SEPARATORS = /[\s.,;:()]+/u; // between words; dots end initials: T.-W. Weng
const SUFFIXES = new Set(["jr", "sr", "ii", "iii", "iv"]); // Martin Luther King Jr.: King
const MAX_QUERY_WORDS = 6;
const WORD = /^[\p{L}-]+$/u;
const ASCII = /^[\x00-\x7f]*$/;

/** "Ladecký" -> "ladecky", "Øyvind" -> "oyvind": lower case, no accents. */
export function fold(text, lower = true) {
  if (ASCII.test(text)) return lower ? text.toLowerCase() : text;
  const bare = text.normalize("NFKD").replace(/\p{Mn}/gu, "");
  return lower ? bare.toLowerCase().replace(OTHER_LETTERS, (c) => LETTERS[c]) : bare;
}

function trimHyphens(word) {
  return word.replace(/^-+|-+$/g, "");
}

/** The words of a name, folded: "T.-W. Weng" -> ["t", "w", "weng"]; "Weng, T." is put in
    name order. lower = false keeps the case, to tell particles ("van") from names. */
export function nameWords(name, lower = true) {
  const comma = name.indexOf(",");
  if (comma !== -1) {
    const surname = name.slice(0, comma);
    const given = name.slice(comma + 1);
    name = SUFFIXES.has(fold(given).replace(/^[ .]+|[ .]+$/g, "")) ? surname : `${given} ${surname}`;
  }
  const words = fold(name, lower).replace(APOSTROPHES, "").split(SEPARATORS).map(trimHyphens).filter(Boolean);
  while (words.length > 1 && SUFFIXES.has(words[words.length - 1].toLowerCase())) words.pop();
  return words;
}

/** Whether a query's words can be a name: a few, of letters. */
export function isNameQuery(words) {
  return words.length > 0 && words.length <= MAX_QUERY_WORDS && words.every((word) => WORD.test(word));
}

/** FNV-1a (32 bits) of the UTF-8 bytes of a surname, modulo `shards`: the shard it is in. */
export function shardOf(surname, shards) {
  let digest = 0x811c9dc5;
  for (const byte of new TextEncoder().encode(surname)) {
    digest = Math.imul(digest ^ byte, 0x01000193) >>> 0;
  }
  return digest % shards;
}

function givenNames(words) {
  return words.flatMap((word) => word.split("-")).filter(Boolean);
}

// A given name and another, or an initial and a name it starts.
function same(one, other) {
  if (one.length === 1 || other.length === 1) return one[0] === other[0];
  return one === other;
}

function isLower(word) {
  const first = word.slice(0, 1);
  return first !== first.toUpperCase() && first === first.toLowerCase();
}

/** Whether a query's words (nameWords) name this author, as arXiv wrote the name. */
export function nameMatches(query, name) {
  const words = nameWords(name);
  if (!query.length || !words.length) return false;
  const surname = words[words.length - 1];
  const last = query[query.length - 1];
  if (last !== surname && !surname.split("-").includes(last)) return false;
  if (query.length === 1) return true;
  // The particles just before the surname: van Beethoven, de la Cruz.
  const start = words.length - query.length;
  if (start >= 0) {
    const before = words.slice(start, -1);
    const written = nameWords(name, false).slice(start, -1);
    if (before.every((word, i) => word === query[i]) && written.every(isLower)) return true;
  }
  const asked = givenNames(query.slice(0, -1));
  const given = givenNames(words.slice(0, -1));
  if (!given.length || !same(asked[0], given[0])) return false;
  let at = 1; // the rest follow in order
  return asked.slice(1).every((word) => {
    while (at < given.length && !same(word, given[at])) at += 1;
    at += 1;
    return at <= given.length;
  });
}

/** Paper URLs ("2025/12/12/#2512.10805") once each, the newest day first. */
function newestFirst(urls) {
  return [...new Set(urls)].sort().reverse();
}

/** The URLs of the papers by the author `query` names, newest first; none when it is not
    a name or names no stored author. `shard(k)` gives shard k's surnames. */
export async function findPapers(query, shards, shard) {
  const words = nameWords(query);
  if (!isNameQuery(words)) return [];
  const surname = words[words.length - 1];
  const surnames = await shard(shardOf(surname, shards));
  const names = Object.hasOwn(surnames, surname) ? surnames[surname] : {};
  const found = [];
  for (const [name, papers] of Object.entries(names)) {
    if (nameMatches(words, name)) found.push(...papers);
  }
  return newestFirst(found);
}

let shardCount = null; // index.json, fetched once

/** findPapers over the site's author index: one small file, then one shard. */
export async function authorPapers(query) {
  if (!isNameQuery(nameWords(query))) return [];
  if (shardCount === null) shardCount = (await fetchJson(dataUrl("authors/index.json"))).shards;
  return findPapers(query, shardCount, async (k) => (await fetchJson(dataUrl(`authors/${k}.json`))).surnames);
}

/** arXiv's own author search for a name: what to offer when none is stored here. */
export function arxivAuthorSearch(name) {
  return `https://arxiv.org/search/?${new URLSearchParams({ searchtype: "author", query: name })}`;
}
