// The search page: Pagefind's JS API over the month bundles, with the query and filters
// in the URL (/search/?q=…&keyword=…&sort=relevance) so a search can be shared and Back
// works. Everything from the index is untrusted: the DOM is built with textContent only.

const form = document.querySelector("form.search");
const box = form.querySelector('input[name="q"]');
const facetsBox = document.getElementById("search-facets");
const statusLine = document.getElementById("search-status");
const list = document.getElementById("search-results");
const moreButton = document.getElementById("search-more");
// Filters stay open beside the results on a wide screen; a phone opens them on demand.
document.getElementById("search-filters").open = matchMedia("(min-width: 40rem)").matches;
const site = form.dataset.site;
const bundles = form.dataset.bundles.split(" ").filter(Boolean);
const FACETS = [
  ["keyword", "Keyword"],
  ["category", "arXiv category"],
  ["year", "Year"],
  ["status", "New or revised"],
];
const PAGE = 20;
// arXiv ids, with or without "arXiv:" and a version: every record holds the versionless
// id, and only the newest version is indexed, so 2601.23281v1 must find v2 too.
const ARXIV_ID = /\b(?:arxiv:)?(\d{4}\.\d{4,5}|[a-z-]+(?:\.[a-z]{2})?\/\d{7})(?:v\d+)?\b/gi;

let pagefind = null;
let pending = null; // the results not shown yet, as a function giving the next page
let searchId = 0;

async function loadPagefind() {
  if (pagefind) return pagefind;
  const base = new URL(`${site}search/index/`, location.href);
  pagefind = await import(new URL(`${bundles[0]}/pagefind.js`, base).href);
  await pagefind.options({ excerptLength: 30 });
  for (const name of bundles.slice(1)) {
    await pagefind.mergeIndex(new URL(`${name}/`, base).href);
  }
  await pagefind.filters(); // loads every filter, so that each search counts them all
  return pagefind;
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
  for (const [name] of FACETS) {
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
  for (const input of facetsBox.querySelectorAll("input:checked")) {
    params.append(input.name, input.value);
  }
  const query = params.toString();
  return query ? `?${query}` : location.pathname;
}

// Values within one facet are alternatives; facets narrow each other.
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

function renderFacets(counts, chosen) {
  facetsBox.replaceChildren();
  for (const [name, label] of FACETS) {
    const values = Object.entries(counts[name] || {});
    const picked = chosen[name] || [];
    if (!values.length) continue;
    values.sort(([a, m], [b, n]) => (name === "year" ? b.localeCompare(a) : n - m || a.localeCompare(b)));
    const fieldset = element("fieldset");
    fieldset.append(element("legend", label));
    const ul = element("ul");
    for (const [value, count] of values) {
      const input = element("input");
      input.type = "checkbox";
      input.name = name;
      input.value = value;
      input.checked = picked.includes(value);
      const labelNode = element("label");
      labelNode.append(input, ` ${value}`, element("span", String(count), "count"));
      const li = element("li");
      li.append(labelNode);
      ul.append(li);
    }
    fieldset.append(ul);
    facetsBox.append(fieldset);
  }
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

function resultNode(data) {
  const meta = data.meta;
  const article = element("article", undefined, "paper");
  const heading = element("h2");
  const link = element("a", meta.title);
  link.href = new URL(meta.url, new URL(site, location.href)).href;
  heading.append(link);
  const line = element("p", `arXiv:${meta.id} · `, "meta");
  const abs = element("a", "arXiv abstract");
  abs.href = `https://arxiv.org/abs/${encodeURIComponent(meta.id)}`;
  line.append(abs, " · announced ", element("time", meta.day));
  article.append(heading, line);
  const authors = parseList(meta.authors);
  if (authors.length) {
    const ul = element("ul", undefined, "authors");
    for (const name of authors) ul.append(element("li", name));
    if (meta.more_authors && meta.more_authors !== "0") ul.append(element("li", "et al.", "more"));
    article.append(ul);
  }
  const tags = element("ul", undefined, "tags");
  parseList(meta.categories).forEach((code, index) => {
    const li = element("li");
    li.append(element("span", code, index === 0 ? "cat primary" : "cat"));
    tags.append(li);
  });
  for (const name of parseList(meta.keywords)) {
    const li = element("li");
    li.append(element("span", name, "kw"));
    tags.append(li);
  }
  article.append(tags, excerptNode(data.excerpt || ""));
  const item = element("li");
  item.append(article);
  return item;
}

// Newest first across bundles: Pagefind ranks merged results by score, and a sorted
// score is a position within one bundle, so each bundle (newest first) is asked in turn.
function newestFirst(pf, term, filters) {
  let index = 0;
  let queue = [];
  return async function next() {
    const page = [];
    while (page.length < PAGE) {
      if (!queue.length) {
        if (index >= bundles.length) break;
        const bundle = bundles[index++];
        const found = await pf.search(term, {
          filters: pagefindFilters({ ...filters, bundle: [bundle] }),
          sort: { date: "desc" },
        });
        queue = found.results;
        continue;
      }
      page.push(...queue.splice(0, PAGE - page.length));
    }
    return { page, done: !queue.length && index >= bundles.length };
  };
}

function byRelevance(results) {
  let offset = 0;
  return async function next() {
    const page = results.slice(offset, offset + PAGE);
    offset += PAGE;
    return { page, done: offset >= results.length };
  };
}

async function showMore(id) {
  if (!pending) return;
  const { page, done } = await pending();
  const datas = await Promise.all(page.map((result) => result.data()));
  if (id !== searchId) return;
  list.append(...datas.map(resultNode));
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
  list.replaceChildren();
  moreButton.hidden = true;
  pending = null;
  if (!bundles.length) {
    statusLine.textContent = "There are no papers to search yet.";
    return;
  }
  let pf;
  try {
    pf = await loadPagefind();
  } catch {
    statusLine.textContent = "The search index could not be loaded. Try again later, or browse the archive.";
    return;
  }
  const searching = state.q || Object.keys(state.filters).length;
  if (!searching) {
    renderFacets(await pf.filters(), {});
    statusLine.textContent = "";
    return;
  }
  statusLine.textContent = "Searching…";
  const term = searchTerm(state.q);
  const found = await pf.search(term, { filters: pagefindFilters(state.filters) });
  if (id !== searchId) return;
  renderFacets(found.filters, state.filters);
  pending =
    state.sort === "relevance" ? byRelevance(found.results) : newestFirst(pf, term, state.filters);
  await showMore(id);
  if (id !== searchId) return;
  const total = found.results.length;
  statusLine.textContent = total === 1 ? "1 paper found." : `${total} papers found.`;
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
