// In-page filters on a digest page (a day's page, the index's newest digest). Without
// JavaScript the chips of nav.chips are links to the keyword and category pages; here each
// becomes a toggle button that narrows the page to the papers carrying that tag: one
// keyword and one category at a time, both narrowing. A digest lists each paper once (in
// the first section of its keywords), so a paper shows once whatever the filter. The
// page's toolbar (.page-tools, its line reserved by style.css) gets "Open all abstracts",
// "Close all" and, while narrowed, "Showing N of M papers" and "Show all".
//
// What the page must carry (macros.html day_filters, digest_body.html): nav.chips > ul > li
// > a, each href the one the tags of its papers carry (class "kw" for a keyword); a
// div.page-tools; <article class="paper"> with p.tags links; section.keyword around them,
// with h3 (New, Revised) and p.elsewhere (links to papers shown in another section).
import { count, element } from "./lib.js";

const chipList = document.querySelector("nav.chips ul");
const toolbar = document.querySelector(".page-tools");
const main = document.querySelector("main");
const papers = main ? [...main.querySelectorAll("article.paper[id]")] : [];
// Each paper's tags: the hrefs of its keyword and category links, as the chips carry them.
const tags = new Map(papers.map((p) => [p, new Set([...p.querySelectorAll(".tags a")].map((a) => a.getAttribute("href")))]));
const chosen = { kw: null, cat: null }; // the pressed chip of each kind
let status = null;
let showAll = null;

function kind(chip) {
  return chip.classList.contains("kw") ? "kw" : "cat";
}

function shown(paper) {
  return !paper.hidden;
}

// A heading (New, Revised) hides with the papers under it; a section with its papers and
// with what it lists as shown elsewhere.
function tidySection(section) {
  let heading = null;
  let headingHasPapers = false;
  let sectionShows = false;
  for (const child of section.children) {
    if (child.matches("h3")) {
      if (heading) heading.hidden = !headingHasPapers;
      heading = child;
      headingHasPapers = false;
    } else if (child.matches("article.paper")) {
      headingHasPapers ||= shown(child);
      sectionShows ||= shown(child);
    } else if (child.matches("p.elsewhere")) {
      const targets = [...child.querySelectorAll("a")].map((a) => document.getElementById(a.hash.slice(1)));
      child.hidden = !targets.some((paper) => paper && shown(paper));
      sectionShows ||= !child.hidden;
    }
  }
  if (heading) heading.hidden = !headingHasPapers;
  section.hidden = !sectionShows;
  // The day's table of contents leads to the sections shown only.
  const entry = section.id && document.querySelector(`nav.toc a[href="#${CSS.escape(section.id)}"]`);
  if (entry) entry.closest("li").hidden = section.hidden;
}

function narrow() {
  const wanted = Object.values(chosen).filter(Boolean);
  const hrefs = wanted.map((chip) => chip.dataset.href);
  let showing = 0;
  for (const paper of papers) {
    paper.hidden = !hrefs.every((href) => tags.get(paper).has(href));
    if (!paper.hidden) showing += 1;
  }
  for (const section of main.querySelectorAll("section.keyword")) tidySection(section);
  for (const chip of chipList.querySelectorAll("button")) {
    chip.setAttribute("aria-pressed", String(wanted.includes(chip)));
  }
  showAll.hidden = !wanted.length;
  const names = wanted.map((chip) => chip.dataset.name).join(" and ");
  status.textContent = wanted.length
    ? `Showing ${showing} of ${count(papers.length, "paper")}: ${names}.`
    : `Showing all ${count(papers.length, "paper")}.`;
}

// A chip keeps what it says (name, count, full category name) and becomes a toggle.
function chipButton(link) {
  const chip = element("button", { type: "button", class: link.className, "aria-pressed": "false" }, [...link.childNodes]);
  chip.dataset.href = link.getAttribute("href");
  chip.dataset.name = chip.firstChild.textContent.trim();
  if (link.title) chip.title = link.title;
  chip.addEventListener("click", () => {
    const which = kind(chip);
    chosen[which] = chosen[which] === chip ? null : chip;
    narrow();
  });
  link.replaceWith(chip);
}

function clearFilters() {
  chosen.kw = null;
  chosen.cat = null;
  narrow();
}

function setAbstracts(open) {
  for (const paper of papers) {
    const abstract = paper.querySelector("details.abstract");
    // "Open all" opens the papers shown; "Close all" closes every one.
    if (abstract && (shown(paper) || !open)) abstract.open = open;
  }
}

function addTools() {
  const openAll = element("button", { type: "button" }, ["Open all abstracts"]);
  openAll.addEventListener("click", () => setAbstracts(true));
  const closeAll = element("button", { type: "button" }, ["Close all"]);
  closeAll.addEventListener("click", () => setAbstracts(false));
  toolbar.append(openAll, closeAll);
  if (!chipList) return;
  status = element("p", { class: "filter-status", role: "status" });
  showAll = element("button", { type: "button", hidden: "" }, ["Show all"]);
  showAll.addEventListener("click", () => {
    const last = chosen.cat || chosen.kw;
    clearFilters();
    last.focus(); // the button is gone; focus goes back to the chip that narrowed the page
  });
  toolbar.append(status, showAll);
}

// A link to a paper the filter hides (a related paper, "shown above") shows the whole day.
function showLinkedPaper() {
  const paper = document.getElementById(decodeURIComponent(location.hash.slice(1)));
  if (!paper || !papers.includes(paper) || shown(paper)) return;
  clearFilters();
  paper.scrollIntoView();
}

if (toolbar && papers.length) {
  addTools();
  if (chipList) {
    for (const link of chipList.querySelectorAll("a")) chipButton(link);
    window.addEventListener("hashchange", () => {
      try {
        showLinkedPaper();
      } catch {
        // A hash that is not valid percent-encoding names no paper.
      }
    });
  }
}
