// BibTeX in one click. Each paper's "BibTeX" link leads to its day's papers.bib (which
// works without JavaScript); this turns it into a button that copies the paper's own entry
// and says so. reading-list.js imports bibtexEntry, so the site reads BibTeX in one place.
import { element, fetchText } from "./lib.js";

const files = new Map(); // absolute .bib URL -> Promise of its entries: each fetched once

// A .bib file's entries by e-print id. bibtex.py writes one field a line, and an entry
// starts on a line starting with "@".
function entriesByEprint(text) {
  const entries = new Map();
  for (const entry of text.split(/\n(?=@)/)) {
    const eprint = /^ {2}eprint = \{([^}\n]*)\},$/m.exec(entry);
    if (eprint) entries.set(eprint[1], entry.trimEnd() + "\n");
  }
  return entries;
}

function bibFile(url) {
  const key = new URL(url, document.baseURI).href;
  if (!files.has(key)) {
    const entries = fetchText(key).then(entriesByEprint);
    entries.catch(() => files.delete(key)); // a failed fetch is tried again next time
    files.set(key, entries);
  }
  return files.get(key);
}

/** The entry of the e-print `id` (no version, e.g. "2601.00001") in the .bib at `url`,
    or null when the file has none. */
export async function bibtexEntry(url, id) {
  return (await bibFile(url)).get(id) ?? null;
}

// A character of plain text as LaTeX text, as bibtex.py's escape_text writes it: braces and
// the backslash by name, so nothing a visitor types can end the field or run a command.
const TEXT_SPECIALS = {
  "\\": "\\textbackslash{}",
  "{": "\\textbraceleft{}",
  "}": "\\textbraceright{}",
  "%": "\\%",
  "&": "\\&",
  "#": "\\#",
  "_": "\\_",
  "$": "\\$",
  "~": "\\textasciitilde{}",
  "^": "\\textasciicircum{}",
};

/** Plain text as a BibTeX field value: every special character escaped (bibtex.py). */
export function escapeText(text) {
  return text.replace(/[\\{}%&#_$~^]/g, (special) => TEXT_SPECIALS[special]);
}

/** `entry` (one field a line, as bibtex.py writes it) with the visitor's `note` as its last
    field, on one line; the entry as it is when the note is empty. */
export function withNote(entry, note) {
  const line = note.split(/\s+/).filter(Boolean).join(" ");
  if (!line) return entry;
  // A function, not a string: "$&" or "$'" in a note is text, not a replacement pattern.
  return entry.replace(/\}\n?$/, () => `  note = {${escapeText(line)}},\n}\n`);
}

// The paper's own BibTeX link: code links from arXiv's text carry rel="nofollow".
const links = document.querySelectorAll('article.paper p.meta > a[href$="/papers.bib"]:not([rel])');
if (links.length && navigator.clipboard) offerCopy(links); // no clipboard: the links stay links

function offerCopy(links) {
  // One polite live region for the page: it exists before anything is said into it.
  const status = element("p", { class: "visually-hidden", role: "status" });
  (document.querySelector("main") || document.body).append(status);

  for (const link of links) {
    const button = element(
      "button",
      { type: "button", class: "bib", title: "Copy this paper's BibTeX entry", "data-bib": link.href },
      [link.textContent],
    );
    link.replaceWith(button);
  }

  document.addEventListener("click", async (event) => {
    const button = event.target.closest?.("button.bib");
    if (!button) return;
    const id = button.closest("article.paper").id;
    try {
      await copy(bibtexEntry(button.dataset.bib, id));
    } catch {
      status.textContent = `The BibTeX of arXiv:${id} could not be copied: opening the file.`;
      window.location.assign(button.dataset.bib);
      return;
    }
    status.textContent = `BibTeX of arXiv:${id} copied`;
    button.textContent = "BibTeX copied";
    clearTimeout(button.reset);
    button.reset = setTimeout(() => {
      button.textContent = "BibTeX";
    }, 3000);
  });
}

async function copy(entry) {
  // A promise inside a ClipboardItem keeps the click's permission while the file loads.
  if (window.ClipboardItem && navigator.clipboard.write) {
    const blob = entry.then((text) => {
      if (text === null) throw new Error("no entry");
      return new Blob([text], { type: "text/plain" });
    });
    await navigator.clipboard.write([new ClipboardItem({ "text/plain": blob })]);
  } else {
    const text = await entry;
    if (text === null) throw new Error("no entry");
    await navigator.clipboard.writeText(text);
  }
}
