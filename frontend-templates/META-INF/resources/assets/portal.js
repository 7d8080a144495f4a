// Progressive enhancement only: every page works without this file.
document.addEventListener('click', async (event) => {
  const button = event.target.closest('[data-copy-from]');
  if (!button) return;
  const source = document.getElementById(button.dataset.copyFrom);
  const text = source ? source.textContent : '';
  try {
    await navigator.clipboard.writeText(text);
    flash(button, 'Copied');
  } catch (e) {
    // Clipboard API needs a secure context; fall back to selecting the text for Ctrl+C.
    const range = document.createRange();
    range.selectNodeContents(source);
    const selection = window.getSelection();
    selection.removeAllRanges();
    selection.addRange(range);
    flash(button, 'Press Ctrl+C');
  }
});

document.addEventListener('submit', (event) => {
  const message = event.target.dataset.confirm;
  if (message && !window.confirm(message)) event.preventDefault();
});

function flash(button, text) {
  const original = button.dataset.label || button.textContent;
  button.dataset.label = original;
  button.textContent = text;
  setTimeout(() => { button.textContent = original; }, 1500);
}
