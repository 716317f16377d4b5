// The reading list page (/reading-list/): the papers the visitor saved, each taken from
// its digest page (the day found in /data/papers/<month>.json), with BibTeX export from
// the days' papers.bib and a link that carries the list to another device. Needs
// keepup.js first (window.arxivDigest).
(function () {
  "use strict";

  var shared = window.arxivDigest;
  var page = document.getElementById("reading-list");
  if (!shared || !page) return;
  var readingList = shared.readingList;
  var element = shared.element;
  var root = shared.root;
  var status = document.getElementById("reading-list-status");
  var list = document.getElementById("reading-list-papers");
  var actions = document.getElementById("reading-list-actions");
  var days = {}; // id -> the digest day that lists its newest version, once loaded
  var found = {}; // id -> its <article> from that day's page, imported into this one
  var pages = {}; // day -> promise of its digest page, parsed: each fetched once a view
  var bibs = {}; // day -> promise of its papers.bib text

  // The shard of an id, as paperdata.shard_key: the month in it (2601.01234 -> 2601).
  function shardKey(id) {
    return /(\d{4})[.\d]*$/.exec(id)[1];
  }

  function say(text) {
    status.textContent = text;
  }

  // #ids=a,b (or ?ids=a,b): a list carried from another device, added to this one's.
  function importFromUrl() {
    var hash = new URLSearchParams(location.hash.slice(1)).get("ids");
    var query = new URLSearchParams(location.search).get("ids");
    var carried = hash || query;
    if (carried === null) return;
    var ids = carried.split(",").map(function (id) {
      return id.trim();
    });
    var valid = ids.filter(shared.isArxivId);
    var added = readingList.add(valid);
    var message = added.length + (added.length === 1 ? " paper" : " papers") + " added from the link";
    if (valid.length > added.length) message += ", " + (valid.length - added.length) + " already here";
    if (ids.length > valid.length) message += ", " + (ids.length - valid.length) + " not arXiv ids, left out";
    say(message + ".");
    // Reloading must not bring back what the visitor removes next.
    history.replaceState(null, "", location.pathname);
  }

  function dayUrl(day) {
    return new URL(day.replace(/-/g, "/") + "/", root).href;
  }

  function fetchText(url) {
    return fetch(url, { cache: "no-cache" }).then(function (response) {
      if (!response.ok) throw new Error(url + ": HTTP " + response.status);
      return response.text();
    });
  }

  // The day of each id, from the shards of /data/papers/ that exist.
  function loadDays(ids) {
    return shared.fetchJson("recent.json").then(function (recent) {
      var existing = recent.shards || [];
      var wanted = ids.map(shardKey).filter(function (key, index, keys) {
        return keys.indexOf(key) === index && existing.indexOf(key) !== -1;
      });
      return Promise.all(
        wanted.map(function (key) {
          return shared.fetchJson("papers/" + key + ".json").then(function (shard) {
            Object.keys(shard.papers || {}).forEach(function (id) {
              if (ids.indexOf(id) !== -1) days[id] = shard.papers[id];
            });
          });
        })
      );
    });
  }

  // A day's digest page, parsed but inert: a parsed document runs no script.
  function dayPage(day) {
    if (!pages[day]) {
      pages[day] = fetchText(dayUrl(day)).then(function (html) {
        return new DOMParser().parseFromString(html, "text/html");
      });
    }
    return pages[day];
  }

  // Each paper as its digest page shows it (our own escaped HTML, its math included).
  function loadPapers(ids) {
    return loadDays(ids).then(function () {
      return Promise.all(
        ids.filter(function (id) { return days[id]; }).map(function (id) {
          return dayPage(days[id]).then(function (doc) {
            var article = doc.getElementById(id);
            if (article && article.matches("article.paper")) found[id] = document.importNode(article, true);
          });
        })
      );
    });
  }

  function render() {
    var ids = readingList.ids();
    list.replaceChildren();
    actions.hidden = ids.length === 0;
    if (!ids.length) {
      list.append(element("li", { class: "empty" }, [
        "Your reading list is empty. Press Save on any paper to keep it here.",
      ]));
      return;
    }
    ids.forEach(function (id) {
      list.append(element("li", {}, [entry(id)]));
    });
  }

  // The digest's heading (h4 under its keyword's section) becomes this list's h2.
  function asHeading2(article) {
    var heading = article.querySelector("h3, h4, h5, h6");
    if (!heading) return;
    var h2 = element("h2");
    h2.append.apply(h2, Array.prototype.slice.call(heading.childNodes));
    heading.replaceWith(h2);
  }

  function entry(id) {
    var article = found[id];
    var title;
    if (article) {
      article = article.cloneNode(true); // drawn again after a removal
      asHeading2(article);
      title = article.querySelector("h2").textContent;
      var meta = article.querySelector(".meta");
      if (meta) {
        meta.append(" · ", element("a", { href: dayUrl(days[id]) }, [
          "announced ", element("time", {}, [days[id]]),
        ]));
      }
    } else {
      title = "arXiv:" + id;
      article = element("article", { class: "paper", id: id }, [
        element("h2", {}, [element("a", { href: "https://arxiv.org/abs/" + id }, [title])]),
        element("p", { class: "meta" }, [
          element("a", { href: "https://arxiv.org/pdf/" + id }, ["PDF"]),
          " · ",
          element("a", { href: "https://arxiv.org/html/" + id }, ["HTML"]),
        ]),
        element("p", { class: "missing" }, [
          "This paper is not in this site's store; arXiv has its details.",
        ]),
      ]);
    }
    var remove = element("button", { type: "button", class: "remove", "aria-label": "Remove " + title }, ["Remove"]);
    remove.addEventListener("click", function () {
      var ids = readingList.ids();
      var at = ids.indexOf(id);
      if (at !== -1) ids.splice(at, 1);
      readingList.set(ids);
      render();
      say("Removed " + title + ".");
      (list.querySelector("button.remove") || document.getElementById("reading-list-heading")).focus();
    });
    article.append(remove);
    return article;
  }

  // ---- BibTeX: each paper's entry from its day's papers.bib (bibtex.py writes them all),
  // so the site has one BibTeX writer.

  function dayBib(day) {
    if (!bibs[day]) bibs[day] = fetchText(dayUrl(day) + "papers.bib");
    return bibs[day];
  }

  // The entry whose eprint is id: entries start on a line starting with "@".
  function bibEntry(text, id) {
    var field = "eprint = {" + id + "},";
    return text.split(/\n(?=@)/).filter(function (entry) {
      return entry.split("\n").some(function (line) { return line.trim() === field; });
    })[0];
  }

  // Keys are unique within a day's file; across days a repeated one gets a letter.
  function bibtex(ids) {
    var stored = ids.filter(function (id) { return days[id]; });
    return Promise.all(stored.map(function (id) { return dayBib(days[id]); })).then(function (texts) {
      var used = {};
      var entries = [];
      stored.forEach(function (id, index) {
        var text = bibEntry(texts[index], id);
        if (!text) return;
        text = text.replace(/^(@\w+\{)([^,]*),/, function (all, open, key) {
          var unique = key;
          for (var n = 1; used[unique]; n += 1) unique = key + String.fromCharCode(97 + n);
          used[unique] = true;
          return open + unique + ",";
        });
        entries.push(text.trim() + "\n");
      });
      return { text: entries.join("\n"), count: entries.length, missing: ids.length - entries.length };
    });
  }

  function download(name, text, type) {
    var url = URL.createObjectURL(new Blob([text], { type: type }));
    var link = element("a", { href: url, download: name });
    document.body.append(link);
    link.click();
    link.remove();
    setTimeout(function () { URL.revokeObjectURL(url); }, 0);
  }

  function shareLink() {
    return new URL("reading-list/#ids=" + readingList.ids().join(","), root).href;
  }

  function setUpActions() {
    var bib = element("button", { type: "button" }, ["Download BibTeX (.bib)"]);
    bib.addEventListener("click", function () {
      bibtex(readingList.ids()).then(
        function (bib) {
          download("reading-list.bib", bib.text, "application/x-bibtex");
          var message = "BibTeX of " + bib.count + (bib.count === 1 ? " paper" : " papers") + " downloaded";
          if (bib.missing) message += "; " + bib.missing + " not in this site's store, left out";
          say(message + ".");
        },
        function () {
          say("The BibTeX could not be loaded from this site; try again later.");
        }
      );
    });
    var share = element("button", { type: "button" }, ["Link for another device"]);
    var output = element("p", { class: "share", hidden: "" });
    share.addEventListener("click", function () {
      var href = shareLink();
      output.replaceChildren(
        "Open this link on the other device to add the list there: ",
        element("a", { href: href }, [href])
      );
      output.hidden = false;
      if (navigator.clipboard) {
        navigator.clipboard.writeText(href).then(
          function () { say("Link copied."); },
          function () { say("Copy the link below."); }
        );
      }
    });
    var clear = element("button", { type: "button", class: "remove-all" }, ["Remove all"]);
    // No confirm(): "Remove all" says what it did and offers to undo it.
    clear.addEventListener("click", function () {
      var removed = readingList.ids();
      readingList.set([]);
      output.hidden = true;
      render();
      var undo = element("button", { type: "button", class: "undo" }, ["Undo"]);
      undo.addEventListener("click", function () {
        readingList.add(removed);
        render();
        say("Reading list restored.");
        document.getElementById("reading-list-heading").focus();
      });
      say(removed.length + (removed.length === 1 ? " paper" : " papers") + " removed. ");
      status.append(undo);
      undo.focus();
    });
    actions.append(bib, " ", share, " ", clear, output);
  }

  document.getElementById("reading-list-nojs").hidden = true;
  page.hidden = false;
  importFromUrl();
  setUpActions();
  var ids = readingList.ids();
  if (!ids.length) {
    render();
  } else {
    // Drawn once the details are in, so entries do not change under the reader's pointer.
    page.setAttribute("aria-busy", "true");
    loadPapers(ids)
      .catch(function () {
        say("The papers' details could not be loaded; their arXiv links still work.");
      })
      .then(function () {
        render();
        page.setAttribute("aria-busy", "false");
      });
  }
})();
