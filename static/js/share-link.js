// The new share link's copy button. Without script (or clipboard access) the
// button stays hidden and the address can be selected and copied by hand.
document.querySelectorAll("[data-copy]").forEach((button) => {
  const field = document.getElementById(button.dataset.copy);
  const status = button.parentElement.querySelector(".share-copied");
  if (!field || !navigator.clipboard) return;
  button.hidden = false;
  button.addEventListener("click", async () => {
    try {
      await navigator.clipboard.writeText(field.value);
      status.textContent = "Copied. Paste it into a message to your therapist.";
    } catch {
      field.select();
      status.textContent = "Select the link above and copy it.";
    }
  });
});
