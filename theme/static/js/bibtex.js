/* BibTeX in one click. Each paper's "BibTeX" link leads to its day's papers.bib (which
   works without JavaScript); this turns it into a button that copies the paper's own entry
   and says so. Other scripts get an entry with
   window.arxivDigest.bibtexEntry(bibUrl, arxivId) -> Promise<string | null>. */
(() => {
  "use strict";

  const files = new Map(); // absolute .bib URL -> Promise of its text: each fetched once

  function bibFile(url) {
    const key = new URL(url, document.baseURI).href;
    if (!files.has(key)) {
      const text = fetch(key).then((response) => {
        if (!response.ok) throw new Error(`${key}: HTTP ${response.status}`);
        return response.text();
      });
      text.catch(() => files.delete(key)); // a failed fetch is tried again next time
      files.set(key, text);
    }
    return files.get(key);
  }

  /** The entry of the e-print `id` (no version, e.g. "2601.00001") in the .bib at `url`,
      or null when the file has none. Entries are written one field a line (bibtex.py). */
  async function bibtexEntry(url, id) {
    const field = `  eprint = {${id}},`;
    const entries = (await bibFile(url)).split(/\n(?=@)/);
    const entry = entries.find((text) => text.split("\n").includes(field));
    return entry === undefined ? null : entry.trimEnd() + "\n";
  }

  window.arxivDigest = Object.assign(window.arxivDigest || {}, { bibtexEntry });

  // The paper's own BibTeX link: code links from arXiv's text carry rel="nofollow".
  const links = document.querySelectorAll(
    'article.paper p.meta > a[href$="/papers.bib"]:not([rel])',
  );
  if (!links.length || !navigator.clipboard) return; // no clipboard: the links stay links

  // One polite live region for the page: it exists before anything is said into it.
  const status = document.createElement("p");
  status.className = "visually-hidden";
  status.setAttribute("role", "status");
  (document.querySelector("main") || document.body).append(status);
  const say = (message) => {
    status.textContent = message;
  };

  for (const link of links) {
    const button = document.createElement("button");
    button.type = "button";
    button.className = "bib";
    button.textContent = link.textContent;
    button.title = "Copy this paper's BibTeX entry";
    button.dataset.bib = link.href;
    link.replaceWith(button);
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

  document.addEventListener("click", async (event) => {
    const button = event.target.closest && event.target.closest("button.bib");
    if (!button) return;
    const id = button.closest("article.paper").id;
    try {
      await copy(bibtexEntry(button.dataset.bib, id));
    } catch (error) {
      say(`The BibTeX of arXiv:${id} could not be copied: opening the file.`);
      window.location.assign(button.dataset.bib);
      return;
    }
    say(`BibTeX of arXiv:${id} copied`);
    button.textContent = "BibTeX copied";
    clearTimeout(button.reset);
    button.reset = setTimeout(() => {
      button.textContent = "BibTeX";
    }, 3000);
  });
})();
