// "/" anywhere but in a text field jumps to the site's search box, as on many sites.
document.addEventListener("keydown", (event) => {
  if (event.key !== "/" || event.ctrlKey || event.metaKey || event.altKey) return;
  if (event.target.closest?.("input, textarea, select, [contenteditable]")) return;
  const box = document.querySelector('input[type="search"][name="q"]');
  if (!box) return;
  event.preventDefault();
  box.focus();
  box.select();
});
