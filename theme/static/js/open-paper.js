// On a digest page, /YYYY/MM/DD/#<arXiv id> (a search result) opens that paper's abstract.
function openNamedPaper() {
  let id;
  try {
    id = decodeURIComponent(location.hash.slice(1));
  } catch {
    return; // a hash that is not valid percent-encoding names no paper
  }
  const paper = id && document.getElementById(id);
  if (!paper || !paper.matches("article.paper")) return;
  const abstract = paper.querySelector("details.abstract");
  if (abstract) abstract.open = true;
  paper.scrollIntoView();
}

openNamedPaper();
window.addEventListener("hashchange", openNamedPaper);
