// The search page: Pagefind's JS API over the month bundles, with the query and filters
// in the URL (/search/?q=…&keyword=…&sort=relevance) so a search can be shared and Back
// works. Everything from the index is untrusted: the DOM is built with textContent only.
//
// What a first search loads is kept small: the filters are listed by the page itself (no
// filter index is fetched to show them), and newest first asks the newest month's bundle
// alone, then older months one at a time only while a page of results is not full (or when
// "More results" asks). Most relevant merges every month, as ranking needs them all.
//
// Authors are looked up in the author index (authors.js), not in the text: Pagefind's text
// search matches words that start with a query word ("Li" finds "like"). ?author=<name> lists
// that author's papers; a query shaped like a name lists them first, then, apart, the papers
// that mention the name as written.
//
// Each result has the Save button of the pages (keepup.js) and an abstract that opens in
// place: taken, when first opened, from the paper's digest page (reading-list.js reads it the
// same way), so the search bundles carry no abstracts.
import { arxivAuthorSearch, authorPapers, isNameQuery, nameWords } from "./authors.js";
import { saveButton } from "./keepup.js";
import { count, element, isArxivId, siteRoot, siteUrl, versionlessIds } from "./lib.js";

const form = document.querySelector("form.search");
const box = form.querySelector('input[name="q"]');
const statusLine = document.getElementById("search-status");
const list = document.getElementById("search-results");
// Papers that mention a name without being by that author, under their own heading.
const mentionsHeading = document.getElementById("search-mentions-heading");
const mentionsList = document.getElementById("search-mentions");
const moreButton = document.getElementById("search-more");
// The filters fold away above the results, unless the search uses some.
const filtersBox = document.getElementById("search-filters");
const indexBase = new URL(form.dataset.index, location.href);
const bundles = form.dataset.bundles.split(" ").filter(Boolean);
const FILTERS = ["keyword", "category", "year", "status", "code"];
const PAGE = 20;
// The first results of a search are shown once their data is in, before the rest of the page
// (and before older months are asked): what a phone's screen shows, asked in one round of a
// browser's six connections.
const FIRST = 5;
// The longest query searched, cut before any pattern reads it: a title fits in it twice.
const QUERY_LIMIT = 500;
const NAME_LIMIT = 100; // the longest query taken for a name: names are short
const MONTH = new Intl.DateTimeFormat("en", { month: "short", year: "numeric", timeZone: "UTC" });

let pagefind = null;
const merged = new Set([bundles[0]]); // bundles[0] is Pagefind's own; the others merged into it
// The search being shown: its sections (each a list of results, and a search whose next()
// gives its next page), the one shown now, and summary(done) for the status line.
let pending = null;
let searchId = 0;
let queryCut = ""; // what the status line adds when the query was cut

// What failed, in words for the status line (the error itself goes to the console).
class SearchFailure extends Error {}

// The main thread: a worker would cost a 41 KB script more on every first search.
const PAGEFIND_OPTIONS = { excerptLength: 30, noWorker: true };

async function loadPagefind() {
  if (!pagefind) {
    const module = await import(new URL(`${bundles[0]}/pagefind.js`, indexBase).href);
    await module.options(PAGEFIND_OPTIONS);
    // Starts loading the newest month's entry, metadata and WebAssembly now, not at the first
    // search (a failure shows there, as the search of that month).
    await module.init();
    pagefind = module;
  }
  return pagefind;
}

// Pagefind keeps a bundle that failed to merge, and every search after it fails: start
// again from the newest bundle alone (those merged before come again from the HTTP cache).
async function resetPagefind() {
  await pagefind.destroy();
  await pagefind.options(PAGEFIND_OPTIONS);
  merged.clear();
  merged.add(bundles[0]);
}

// Bundles are merged on first need, and only those: a search asks every merged bundle, so an
// author's older month does not load the months between. A merged bundle's index chunks stay.
async function merge(names) {
  for (const name of names) {
    if (merged.has(name)) continue;
    await pagefind.mergeIndex(new URL(`${name}/`, indexBase).href);
    merged.add(name);
  }
}

// arXiv:2601.23281v1 must find v2 too: ids are searched without their version (a query
// that is one id goes to the `id` filter instead). null: every paper the filters let through.
function searchTerm(query) {
  return versionlessIds(query) || null;
}

function stateFromUrl() {
  const params = new URLSearchParams(location.search);
  const filters = {};
  for (const name of FILTERS) {
    const values = params.getAll(name).filter(Boolean);
    if (values.length) filters[name] = values;
  }
  const query = (params.get("q") || "").trim();
  // Not half a character: a surrogate pair cut in two is no text at all.
  const q = query.slice(0, QUERY_LIMIT).replace(/[\uD800-\uDBFF]$/, "").trimEnd();
  const author = (params.get("author") || "").trim().slice(0, QUERY_LIMIT).replace(/[\uD800-\uDBFF]$/, "");
  return { q, cut: q.length < query.length, sort: params.get("sort") || "", filters, author };
}

// An author search stays while the filters change, and ends with a query typed.
function urlFromForm() {
  const params = new URLSearchParams();
  if (box.value.trim()) params.set("q", box.value.trim());
  const author = new URLSearchParams(location.search).get("author");
  if (author && !box.value.trim()) params.set("author", author);
  const sort = form.querySelector('input[name="sort"]:checked').value;
  if (sort) params.set("sort", sort);
  for (const input of form.querySelectorAll(".facets input:checked")) {
    params.append(input.name, input.value);
  }
  const query = params.toString();
  return query ? `?${query}` : location.pathname;
}

// Values within one filter are alternatives; filters narrow each other.
function pagefindFilters(filters) {
  const result = {};
  for (const [name, values] of Object.entries(filters)) result[name] = { any: values };
  return result;
}

// Pagefind's excerpt is the text with < and > escaped and the matches in <mark>: split on
// the marks and put every piece in as text.
function excerptNode(excerpt) {
  const p = element("p", { class: "excerpt" });
  excerpt.split(/(<mark>|<\/mark>)/).reduce((inMark, piece) => {
    if (piece === "<mark>") return true;
    if (piece === "</mark>") return false;
    const text = piece.replace(/&lt;/g, "<").replace(/&gt;/g, ">");
    if (text) p.append(inMark ? element("mark", {}, [text]) : text);
    return inMark;
  }, false);
  return p;
}

function parseList(value) {
  try {
    const parsed = JSON.parse(value || "[]");
    return Array.isArray(parsed) ? parsed.map(String) : [];
  } catch {
    return [];
  }
}

function chips(values, className) {
  return values.map((value, index) => {
    const chip = element("span", { class: index === 0 && className === "cat" ? "cat primary" : className }, [value]);
    return element("li", {}, [chip]);
  });
}

function resultNode(data) {
  const meta = data.meta;
  // <bdi>: a direction control in a title stays inside it, as in macros.html.
  const title = element("a", { href: new URL(meta.url, siteRoot).href }, [element("bdi", {}, [meta.title])]);
  const day = (meta.url.match(/^(\d{4})\/(\d{2})\/(\d{2})\//) || []).slice(1).join("-");
  const abs = element("a", { href: `https://arxiv.org/abs/${encodeURIComponent(meta.id)}` }, ["arXiv abstract"]);
  const line = element("p", { class: "meta" }, [
    `arXiv:${meta.id} · `,
    abs,
    " · announced ",
    element("time", { datetime: day }, [day]),
  ]);
  const article = element("article", { class: "paper" }, [element("h2", {}, [title]), line]);
  const authors = parseList(meta.authors);
  if (authors.length) {
    // One item, the names apart in the text itself (", "), not only by the CSS between items;
    // each links to that author's papers, as on the pages (macros.html).
    const names = element("li");
    authors.forEach((name, index) => {
      if (index) names.append(", ");
      const link = element("a", { href: `${siteUrl("search/")}?${new URLSearchParams({ author: name })}` }, [name]);
      names.append(element("bdi", {}, [link]));
    });
    const ul = element("ul", { class: "authors" }, [names]);
    if (meta.more && meta.more !== "0") ul.append(element("li", { class: "more" }, ["et al."]));
    article.append(ul);
  }
  const tags = element("ul", { class: "tags" }, [
    ...chips((meta.categories || "").split(" ").filter(Boolean), "cat"),
    ...chips(data.filters?.keyword || [], "kw"),
  ]);
  article.append(tags, excerptNode(data.excerpt || ""));
  const id = paperId(data);
  if (isArxivId(id)) {
    title.parentElement.after(saveButton(id));
    if (day) article.append(abstractNode(day, id, title.href));
  }
  return element("li", {}, [article]);
}

// The abstract as the paper's digest page shows it (math rendered, matches marked), loaded
// when first opened. The page is the site's own (dayPage asks only this site) and already
// escaped; a parsed page runs no script, and none is taken from it.
function abstractNode(day, id, digestUrl) {
  const body = element("div", { class: "abstract-body" }, [element("p", { class: "loading" }, ["Loading the abstract…"])]);
  const details = element("details", { class: "abstract" }, [element("summary", {}, ["Abstract"]), body]);
  let asked = false;
  details.addEventListener("toggle", async () => {
    if (!details.open || asked) return;
    asked = true;
    details.setAttribute("aria-busy", "true");
    try {
      const { dayPage } = await import("./reading-list.js");
      const paper = (await dayPage(day)).getElementById(id);
      if (!paper?.matches("article.paper")) throw new Error(`${id} is not on the digest of ${day}`);
      const abstract = paper.querySelector("details.abstract");
      if (!abstract) {
        // A digest older than ARXIV_ABSTRACT_YEARS lists its papers without abstracts.
        const arxiv = `https://arxiv.org/abs/${encodeURIComponent(id)}`;
        body.replaceChildren(element("p", {}, ["Older digests list papers without their abstract: ", element("a", { href: arxiv }, ["read it on arXiv"]), "."]));
        return;
      }
      const parts = [...abstract.childNodes].filter((node) => node.nodeName !== "SUMMARY");
      const content = element("div", {}, parts.map((node) => document.importNode(node, true)));
      content.querySelectorAll("script").forEach((script) => script.remove());
      // Links within the digest (a related paper of the same day, "#<id>") lead there.
      for (const link of content.querySelectorAll("a[href]")) {
        link.href = new URL(link.getAttribute("href"), digestUrl).href;
      }
      body.replaceChildren(...content.childNodes);
    } catch (error) {
      body.replaceChildren(
        element("p", {}, ["The abstract could not be loaded; ", element("a", { href: digestUrl }, ["read it on its digest"]), "."]),
      );
      console.warn("Search:", error);
    } finally {
      details.removeAttribute("aria-busy");
    }
  });
  return details;
}

function monthName(bundle) {
  return MONTH.format(new Date(`${bundle}-01T00:00:00Z`));
}

// A month's bundle holds the papers it announced, each at the newest version it announced:
// a paper revised in a later month is in both. It is shown once, at the first record found
// (newest first: its newest version that matches).
function paperId(data) {
  return data.meta.url.slice(data.meta.url.indexOf("#") + 1);
}

// One search, a page at a time, each paper once. `source.refill()` gives the next results
// in order; `source.exhausted()` says none are left. A page that fails half way keeps what
// it had, and the next call goes on from where it stopped.
// `seen`: papers shown already, by another search of the page too.
function paged(source, seen = new Set()) {
  let queue = []; // results not looked at yet
  const ready = []; // results whose data is in, not shown yet
  let given = 0; // papers this search gave
  // The next `want` results (fewer when none are left), all or none of them; `early`: those
  // of the first batch that finds any, without waiting for older months to fill `want`.
  async function next(want, early = false) {
    while (ready.length < want && !(early && ready.length)) {
      if (!queue.length) {
        if (source.exhausted()) break;
        queue = await source.refill();
        continue;
      }
      const batch = queue.slice(0, want - ready.length);
      let found;
      try {
        found = await Promise.all(batch.map((result) => result.data()));
      } catch (error) {
        throw new SearchFailure("the details of the results did not load", { cause: error });
      }
      queue = queue.slice(batch.length);
      for (const data of found) {
        if (seen.has(paperId(data))) continue;
        seen.add(paperId(data));
        ready.push(data);
        given += 1;
      }
    }
    const page = ready.splice(0, want);
    return { page, done: !ready.length && !queue.length && source.exhausted() };
  }
  return { next, seen, found: () => given };
}

// One month's bundle (filters.bundle[0]) searched, newest first, merged when first asked; a
// bundle that fails to load resets Pagefind (it keeps a half-merged bundle) and says which.
async function searchMonth(term, filters) {
  const bundle = filters.bundle[0];
  try {
    await merge([bundle]);
    const found = await pagefind.search(term, {
      filters: pagefindFilters(filters),
      sort: { date: "desc" },
    });
    return found.results;
  } catch (error) {
    await resetPagefind();
    throw new SearchFailure(`the search index of ${monthName(bundle)} did not load`, { cause: error });
  }
}

// Newest first: Pagefind ranks merged results by score, and a sorted score is a position
// within one bundle, so each bundle (newest first) is asked in turn, merged when first asked.
function newestFirst(term, filters, shown) {
  let index = 0; // bundles[0 .. index-1] have been searched
  const { next, seen, found: given } = paged({
    exhausted: () => index >= bundles.length,
    async refill() {
      const results = await searchMonth(term, { ...filters, bundle: [bundles[index]] });
      index += 1;
      return results;
    },
  }, shown);
  function summary(done) {
    const papers = `${count(seen.size, "paper")} found`;
    if (done) return `${papers}.`;
    const oldest = monthName(bundles[index - 1]);
    return `${papers} from ${monthName(bundles[0])} back to ${oldest}; “More results” searches older months too.`;
  }
  return { next, summary, found: given };
}

async function byRelevance(term, filters, shown) {
  await merge(bundles);
  const found = await pagefind.search(term, { filters: pagefindFilters(filters) });
  let given = false;
  const { next, seen, found: counted } = paged({
    exhausted: () => given,
    async refill() {
      given = true;
      return found.results;
    },
  }, shown);
  function summary(done) {
    if (done) return `${count(seen.size, "paper")} found.`;
    return `${seen.size} of up to ${found.results.length} papers found, most relevant first.`;
  }
  return { next, summary, found: counted };
}

// Papers by an author: the URLs the author index gives (newest first, "2025/12/12/#2512.10805"),
// asked month by month through the `id` filter, the other filters still applying.
function byIds(term, filters, urls, shown) {
  const months = []; // [bundle, ids], newest first
  for (const url of urls) {
    const bundle = url.slice(0, 7).replace("/", "-");
    const id = url.slice(url.indexOf("#") + 1);
    const last = months[months.length - 1];
    if (last && last[0] === bundle) last[1].push(id);
    else months.push([bundle, [id]]);
  }
  let index = 0; // months[0 .. index-1] have been searched
  return paged({
    exhausted: () => index >= months.length,
    async refill() {
      const [bundle, ids] = months[index];
      // A month without a bundle has no papers to show.
      const results = bundles.includes(bundle)
        ? await searchMonth(term, { ...filters, bundle: [bundle], id: ids })
        : [];
      index += 1;
      return results;
    },
  }, shown);
}

// What the search of an author or a name-shaped query shows: the author's papers, then
// (for a query) those that mention the name as written, as a quoted (exact) search.
async function byName(state, urls) {
  const shown = new Set();
  const sections = [];
  if (urls.length) {
    const term = state.author && state.q ? searchTerm(state.q) : null;
    sections.push({ list, search: byIds(term, state.filters, urls, shown) });
  }
  if (!state.author) {
    const exact = `"${state.q}"`;
    const search = state.sort === "relevance" ? await byRelevance(exact, state.filters, shown) : newestFirst(exact, state.filters, shown);
    sections.push({ list: urls.length ? mentionsList : list, heading: urls.length ? mentionsHeading : null, search });
  }
  const name = state.author || state.q;
  const by = urls.length ? sections[0].search : null;
  const about = state.author ? null : sections[sections.length - 1].search;
  function summary(done) {
    if (!by && about) return about.summary(done); // a word no author has: a search as any other
    const parts = [];
    if (by) parts.push(`${count(by.found(), "paper")} by ${name}`);
    if (about && by && about.found()) parts.push(`${about.found()} more that mention “${name}”`);
    if (about && !by) parts.push(`${count(about.found(), "paper")} that mention “${name}”`);
    if (done) return `${parts.join(", and ")} found.`;
    return `${parts.join(", and ")} found so far; “More results” shows more.`;
  }
  return { sections, summary, nothing: () => shown.size === 0, name, known: urls.length > 0 };
}

// The status line, with a word on the query when it was cut.
function say(text) {
  statusLine.textContent = queryCut ? `${text} ${queryCut}` : text;
}

// "Search arXiv for X": where to look for an author whose papers are not stored here.
function sayNone(text, name) {
  const link = element("a", { href: arxivAuthorSearch(name) }, [`Search arXiv for papers by ${name}`]);
  statusLine.replaceChildren(text, " ", link, ".");
  if (queryCut) statusLine.append(` ${queryCut}`);
}

// The next page of results: the rest of the section being shown, then the next one's first.
async function showMore(id) {
  if (!pending) return;
  let shown = 0;
  let done = pending.at >= pending.sections.length; // an author with no paper here
  while (!done && shown < PAGE) {
    const section = pending.sections[pending.at];
    const first = !list.childElementCount && !mentionsList.childElementCount;
    const result = await section.search.next(first ? FIRST : PAGE - shown, first);
    if (id !== searchId) return;
    section.list.append(...result.page.map(resultNode));
    if (result.page.length && section.heading) section.heading.hidden = false;
    shown += result.page.length;
    if (!result.done) continue;
    pending.at += 1;
    done = pending.at >= pending.sections.length;
  }
  if (done && pending.nothing?.()) {
    const what = pending.known ? `No paper by ${pending.name} found with these filters.` : pending.author ? `No paper by ${pending.name} is stored here.` : `No paper by or about “${pending.name}”.`;
    sayNone(what, pending.name);
  } else {
    say(pending.summary(done));
  }
  moreButton.hidden = done;
  if (done) pending = null;
}

async function run() {
  const id = ++searchId;
  const state = stateFromUrl();
  box.value = state.q;
  queryCut = state.cut ? `Only the first ${QUERY_LIMIT} characters of the query were searched.` : "";
  for (const radio of form.querySelectorAll('input[name="sort"]')) {
    radio.checked = radio.value === state.sort;
  }
  for (const input of form.querySelectorAll(".facets input")) {
    input.checked = (state.filters[input.name] || []).includes(input.value);
  }
  if (Object.keys(state.filters).length) filtersBox.open = true;
  list.replaceChildren();
  mentionsList.replaceChildren();
  mentionsHeading.hidden = true;
  moreButton.hidden = true;
  pending = null;
  if (!state.q && !state.author && !Object.keys(state.filters).length) {
    say("");
    return;
  }
  if (!bundles.length) {
    say("There are no papers to search yet.");
    return;
  }
  say("Searching…");
  try {
    const term = searchTerm(state.q);
    const nameShaped = state.q.length <= NAME_LIMIT && isNameQuery(nameWords(state.q));
    const name = state.author || (nameShaped ? state.q : "");
    // Pagefind loads while the author index is asked.
    const [, papers] = await Promise.all([loadPagefind(), name ? authorPapers(name) : []]);
    let search;
    if (name) {
      search = await byName(state, papers);
      search.author = Boolean(state.author);
      mentionsHeading.textContent = `Papers that mention “${name}”`;
    } else if (isArxivId(term)) {
      search = newestFirst(null, { ...state.filters, id: [term] });
    } else {
      search = state.sort === "relevance" ? await byRelevance(term, state.filters) : newestFirst(term, state.filters);
    }
    if (id !== searchId) return;
    pending = { at: 0, sections: [{ list, search }], ...search };
    await showMore(id);
  } catch (error) {
    if (id !== searchId) return;
    const what = error instanceof SearchFailure ? `The search stopped: ${error.message}.` : "The search index could not be loaded.";
    say(`${what} Try again later, or browse the archive.`);
    console.warn("Search:", error);
  }
}

// "More results" asks the next page; when it fails, the status line says what failed, and
// the button stays to try again.
async function more() {
  const id = searchId;
  moreButton.disabled = true;
  try {
    await showMore(id);
  } catch (error) {
    if (id !== searchId) return;
    const what = error instanceof SearchFailure ? error.message : "the search stopped on an error";
    say(`More results could not be loaded: ${what}. “More results” tries again.`);
    console.warn("Search:", error);
  } finally {
    moreButton.disabled = false;
  }
}

form.addEventListener("submit", (event) => {
  event.preventDefault();
  history.pushState(null, "", urlFromForm());
  run();
});
form.addEventListener("change", (event) => {
  if (event.target.name === "q") return;
  history.pushState(null, "", urlFromForm());
  run();
});
moreButton.addEventListener("click", more);
window.addEventListener("popstate", run);
run();
