// The reading list page (/reading-list/): the papers the visitor saved, from the site's
// own data files (/data/papers/<shard>.json), with BibTeX export and a link that carries
// the list to another device. Needs keepup.js first (window.arxivDigest).
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
  var papers = {}; // id -> entry of its shard, once loaded

  // The shard of an id, as paperdata.shard_key: 2601.01234 -> 2601.01, cs/0601001 -> 0601.
  function shardKey(id) {
    var slash = id.indexOf("/");
    if (slash !== -1) return id.slice(slash + 1, slash + 5);
    var parts = id.split(".");
    return parts[0] + "." + parts[1].slice(0, -3);
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

  function loadPapers(ids) {
    return shared.fetchJson("recent.json").then(function (recent) {
      var existing = recent.shards || [];
      var wanted = ids.map(shardKey).filter(function (key, index, keys) {
        return keys.indexOf(key) === index && existing.indexOf(key) !== -1;
      });
      return Promise.all(
        wanted.map(function (key) {
          return shared.fetchJson("papers/" + key + ".json").then(function (shard) {
            Object.keys(shard.papers || {}).forEach(function (id) {
              if (ids.indexOf(id) !== -1) papers[id] = shard.papers[id];
            });
          });
        })
      );
    });
  }

  function versioned(id, paper) {
    return paper && paper.version ? id + "v" + paper.version : id;
  }

  function dayUrl(day) {
    return new URL(day.replace(/-/g, "/") + "/", root).href;
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
      list.append(element("li", {}, [entry(id, papers[id])]));
    });
  }

  function entry(id, paper) {
    var full = versioned(id, paper);
    var article = element("article", { class: "paper", id: id, "data-arxiv-id": id });
    var title = paper ? paper.title : "arXiv:" + id;
    article.append(element("h2", {}, [element("a", { href: "https://arxiv.org/abs/" + full }, [title])]));
    var meta = element("p", { class: "meta" }, [
      "arXiv:" + full + " · ",
      element("a", { href: "https://arxiv.org/pdf/" + full }, ["PDF"]),
      " · ",
      element("a", { href: "https://arxiv.org/html/" + full }, ["HTML"]),
    ]);
    if (paper && paper.day) {
      meta.append(" · ", element("a", { href: dayUrl(paper.day) }, [
        "announced ", element("time", {}, [paper.day]),
      ]));
    }
    article.append(meta);
    if (!paper) {
      article.append(element("p", { class: "missing" }, [
        "This paper is not in this site's store; arXiv has its details.",
      ]));
    } else {
      if (paper.authors && paper.authors.length) {
        article.append(element("ul", { class: "authors" }, paper.authors.map(function (name) {
          return element("li", {}, [name]);
        })));
      }
      if (paper.abstract) {
        article.append(element("details", { class: "abstract" }, [
          element("summary", {}, ["Abstract"]),
          element("p", {}, [paper.abstract]),
        ]));
      }
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

  // ---- BibTeX in arXiv's own @misc style (the "Export BibTeX Citation" of an abstract page).

  function bibValue(text) {
    var value = String(text).replace(/\s+/g, " ").trim();
    var depth = 0;
    for (var i = 0; i < value.length && depth >= 0; i += 1) {
      if (value[i] === "{" && value[i - 1] !== "\\") depth += 1;
      if (value[i] === "}" && value[i - 1] !== "\\") depth -= 1;
    }
    // Unbalanced braces from arXiv text would end the field early: drop them.
    return depth === 0 ? value : value.replace(/[{}]/g, "");
  }

  function asciiWord(text) {
    return (text || "").normalize("NFKD").toLowerCase().replace(/[^a-z0-9]/g, "");
  }

  function bibYear(id, paper) {
    if (paper && paper.published) return paper.published.slice(0, 4);
    var digits = id.indexOf("/") !== -1 ? id.split("/")[1] : id;
    var yy = Number(digits.slice(0, 2));
    return String(yy < 91 ? 2000 + yy : 1900 + yy);
  }

  function bibtex(ids) {
    var used = {};
    return ids.map(function (id) {
      var paper = papers[id];
      var year = bibYear(id, paper);
      var fields = [];
      var key;
      if (paper) {
        var first = (paper.authors || [])[0] || "";
        var surname = asciiWord(first.split(" ").pop()) || "arxiv";
        var word = (paper.title || "").split(/\s+/).map(asciiWord).filter(Boolean)[0] || "";
        key = surname + year + word;
        fields.push(["title", paper.title]);
        fields.push(["author", (paper.authors || []).join(" and ")]);
      } else {
        key = "arxiv" + id.replace(/[^0-9a-z]/gi, "");
      }
      if (used[key]) key += String.fromCharCode(96 + (used[key] += 1)); // b, c, ...
      else used[key] = 1;
      fields.push(["year", year], ["eprint", id], ["archivePrefix", "arXiv"]);
      if (paper && paper.category) fields.push(["primaryClass", paper.category]);
      if (paper && paper.doi) fields.push(["doi", paper.doi]);
      fields.push(["url", "https://arxiv.org/abs/" + id]);
      return "@misc{" + key + ",\n" + fields.map(function (field) {
        return "      " + field[0] + "={" + bibValue(field[1]) + "},";
      }).join("\n") + "\n}\n";
    }).join("\n");
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
      download("reading-list.bib", bibtex(readingList.ids()), "application/x-bibtex");
      say("BibTeX of " + readingList.ids().length + " papers downloaded.");
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
