// Math: a formula wider than its column scrolls sideways in its own box (style.css). Such a
// box is made focusable, so that a keyboard can scroll it in every browser (Chromium 130+
// and Firefox focus scrolling boxes by themselves; the HTML checker refuses tabindex on
// math, so it cannot be written into the page).
const formulas = document.getElementsByTagName("math");
if (formulas.length && window.ResizeObserver) {
  // A formula's box changes size when the window does and when its <details> opens.
  const observer = new ResizeObserver((changes) => {
    for (const { target } of changes) {
      if (target.scrollWidth > target.clientWidth) target.tabIndex = 0;
      else target.removeAttribute("tabindex");
    }
  });
  for (const math of formulas) observer.observe(math);
}
