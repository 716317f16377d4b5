// The search page: Pagefind's JS API over the month bundles, with the query and filters
// in the URL (/search/?q=…&keyword=…&sort=relevance) so a search can be shared and Back
// works. Everything from the index is untrusted: the DOM is built with textContent only.
//
// What a first search loads is kept small: the filters are listed by the page itself (no
// filter index is fetched to show them), and newest first asks the newest month's bundle
// alone, then older months one at a time only while a page of results is not full (or when
// "More results" asks). Most relevant merges every month, as ranking needs them all.

const form = document.querySelector("form.search");
const box = form.querySelector('input[name="q"]');
const statusLine = document.getElementById("search-status");
const list = document.getElementById("search-results");
const moreButton = document.getElementById("search-more");
// The filters fold away above the results, unless the search uses some.
const filtersBox = document.getElementById("search-filters");
const site = new URL(form.dataset.site, location.href);
const indexBase = new URL(form.dataset.index, location.href);
const bundles = form.dataset.bundles.split(" ").filter(Boolean);
const FILTERS = ["keyword", "category", "year", "status", "code"];
const PAGE = 20;
// arXiv ids, with or without "arXiv:" and a version: every record holds the versionless
// id, and only the newest version is indexed, so 2601.23281v1 must find v2 too.
const ARXIV_ID = /\b(?:arxiv:)?(\d{4}\.\d{4,5}|[a-z-]+(?:\.[a-z]{2})?\/\d{7})(?:v\d+)?\b/gi;
const MONTH = new Intl.DateTimeFormat("en", { month: "short", year: "numeric", timeZone: "UTC" });

let pagefind = null;
let merged = 1; // bundles[0] is Pagefind's own; bundles[1 .. merged-1] are merged into it
let pending = null; // the search being shown: { next() gives its next page, summary(done) }
let searchId = 0;

async function loadPagefind() {
  if (!pagefind) {
    const module = await import(new URL(`${bundles[0]}/pagefind.js`, indexBase).href);
    // The main thread: a worker would cost a 41 KB script more on every first search.
    await module.options({ excerptLength: 30, noWorker: true });
    pagefind = module;
  }
  return pagefind;
}

// Bundles are merged on first need; a merged bundle's index chunks, once loaded, stay.
async function mergeUpTo(count) {
  while (merged < count) {
    await pagefind.mergeIndex(new URL(`${bundles[merged]}/`, indexBase).href);
    merged += 1;
  }
}

// A query that is one arXiv id is searched as a phrase: its parts ("2601", "23281") alone
// would match every paper of that month. null: every paper the filters let through.
function searchTerm(query) {
  const term = query.replace(ARXIV_ID, "$1");
  if (!term) return null;
  ARXIV_ID.lastIndex = 0;
  const whole = term.match(/^\S+$/) && term.replace(ARXIV_ID, "") === "";
  return whole ? `"${term}"` : term;
}

function stateFromUrl() {
  const params = new URLSearchParams(location.search);
  const filters = {};
  for (const name of FILTERS) {
    const values = params.getAll(name).filter(Boolean);
    if (values.length) filters[name] = values;
  }
  return { q: (params.get("q") || "").trim(), sort: params.get("sort") || "", filters };
}

function urlFromForm() {
  const params = new URLSearchParams();
  if (box.value.trim()) params.set("q", box.value.trim());
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

function element(tag, text, className) {
  const node = document.createElement(tag);
  if (text !== undefined) node.textContent = text;
  if (className) node.className = className;
  return node;
}

// Pagefind's excerpt is the text with < and > escaped and the matches in <mark>: split on
// the marks and put every piece in as text.
function excerptNode(excerpt) {
  const p = element("p", undefined, "excerpt");
  excerpt.split(/(<mark>|<\/mark>)/).reduce((inMark, piece) => {
    if (piece === "<mark>") return true;
    if (piece === "</mark>") return false;
    const text = piece.replace(/&lt;/g, "<").replace(/&gt;/g, ">");
    if (text) p.append(inMark ? element("mark", text) : document.createTextNode(text));
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
    const li = element("li");
    li.append(element("span", value, index === 0 && className === "cat" ? "cat primary" : className));
    return li;
  });
}

function resultNode(data) {
  const meta = data.meta;
  const article = element("article", undefined, "paper");
  const heading = element("h2");
  const link = element("a", meta.title);
  link.href = new URL(meta.url, site).href;
  heading.append(link);
  const day = (meta.url.match(/^(\d{4})\/(\d{2})\/(\d{2})\//) || []).slice(1).join("-");
  const line = element("p", `arXiv:${meta.id} · `, "meta");
  const abs = element("a", "arXiv abstract");
  abs.href = `https://arxiv.org/abs/${encodeURIComponent(meta.id)}`;
  const time = element("time", day);
  time.dateTime = day;
  line.append(abs, " · announced ", time);
  article.append(heading, line);
  const authors = parseList(meta.authors);
  if (authors.length) {
    const ul = element("ul", undefined, "authors");
    for (const name of authors) ul.append(element("li", name));
    if (meta.more && meta.more !== "0") ul.append(element("li", "et al.", "more"));
    article.append(ul);
  }
  const tags = element("ul", undefined, "tags");
  tags.append(
    ...chips((meta.categories || "").split(" ").filter(Boolean), "cat"),
    ...chips((data.filters && data.filters.keyword) || [], "kw"),
  );
  article.append(tags, excerptNode(data.excerpt || ""));
  const item = element("li");
  item.append(article);
  return item;
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

// Up to a page of results not shown yet, from the queue `take` refills, each paper once.
async function fillPage(take, seen) {
  const page = [];
  while (page.length < PAGE) {
    const batch = await take(PAGE - page.length);
    if (!batch.length) break;
    for (const data of await Promise.all(batch.map((result) => result.data()))) {
      if (seen.has(paperId(data))) continue;
      seen.add(paperId(data));
      page.push(data);
    }
  }
  return page;
}

// Newest first: Pagefind ranks merged results by score, and a sorted score is a position
// within one bundle, so each bundle (newest first) is asked in turn, merged when first asked.
function newestFirst(term, filters) {
  let index = 0;
  let queue = [];
  const seen = new Set();
  async function take(count) {
    while (!queue.length && index < bundles.length) {
      const bundle = bundles[index++];
      await mergeUpTo(index);
      const found = await pagefind.search(term, {
        filters: pagefindFilters({ ...filters, bundle: [bundle] }),
        sort: { date: "desc" },
      });
      queue = found.results;
    }
    return queue.splice(0, count);
  }
  async function next() {
    const page = await fillPage(take, seen);
    return { page, done: !queue.length && index >= bundles.length };
  }
  function summary(done) {
    const papers = seen.size === 1 ? "1 paper found" : `${seen.size} papers found`;
    if (done) return `${papers}.`;
    const oldest = monthName(bundles[index - 1]);
    return `${papers} from ${monthName(bundles[0])} back to ${oldest}; “More results” searches older months too.`;
  }
  return { next, summary };
}

async function byRelevance(term, filters) {
  await mergeUpTo(bundles.length);
  const found = await pagefind.search(term, { filters: pagefindFilters(filters) });
  const queue = found.results;
  const seen = new Set();
  const take = async (count) => queue.splice(0, count);
  async function next() {
    const page = await fillPage(take, seen);
    return { page, done: !queue.length };
  }
  function summary(done) {
    if (done) return seen.size === 1 ? "1 paper found." : `${seen.size} papers found.`;
    return `${seen.size} of up to ${found.results.length} papers found, most relevant first.`;
  }
  return { next, summary };
}

async function showMore(id) {
  if (!pending) return;
  const { page, done } = await pending.next();
  if (id !== searchId) return;
  list.append(...page.map(resultNode));
  statusLine.textContent = pending.summary(done);
  moreButton.hidden = done;
  if (done) pending = null;
}

async function run() {
  const id = ++searchId;
  const state = stateFromUrl();
  box.value = state.q;
  for (const radio of form.querySelectorAll('input[name="sort"]')) {
    radio.checked = radio.value === state.sort;
  }
  for (const input of form.querySelectorAll(".facets input")) {
    input.checked = (state.filters[input.name] || []).includes(input.value);
  }
  if (Object.keys(state.filters).length) filtersBox.open = true;
  list.replaceChildren();
  moreButton.hidden = true;
  pending = null;
  if (!state.q && !Object.keys(state.filters).length) {
    statusLine.textContent = "";
    return;
  }
  if (!bundles.length) {
    statusLine.textContent = "There are no papers to search yet.";
    return;
  }
  statusLine.textContent = "Searching…";
  try {
    await loadPagefind();
    const term = searchTerm(state.q);
    const search = state.sort === "relevance" ? await byRelevance(term, state.filters) : newestFirst(term, state.filters);
    if (id !== searchId) return;
    pending = search;
    await showMore(id);
  } catch (error) {
    if (id !== searchId) return;
    statusLine.textContent = "The search index could not be loaded. Try again later, or browse the archive.";
    console.warn("Search:", error);
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
moreButton.addEventListener("click", () => showMore(searchId));
window.addEventListener("popstate", run);
run();
