// The report's print button. Without script it stays hidden, and the
// browser's own Print command gives the same printable page.
document.querySelectorAll("[data-print]").forEach((button) => {
  button.hidden = false;
  button.addEventListener("click", () => window.print());
});
