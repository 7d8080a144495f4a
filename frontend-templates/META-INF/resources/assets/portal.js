// Progressive enhancement only: every page works without this file.
document.addEventListener('click', async (event) => {
  const fetched = event.target.closest('[data-copy-url]');
  if (fetched) {
    copyFetched(fetched);
    return;
  }
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

// Secrets are not in the page: fetch them when asked (not cached), copy, and keep them out of the page.
async function copyFetched(button) {
  try {
    const response = await fetch(button.dataset.copyUrl, {
      credentials: 'same-origin', cache: 'no-store', headers: { Accept: 'application/json' },
    });
    if (!response.ok) throw new Error(`${response.status}`);
    const text = JSON.stringify(await response.json(), null, 2);
    await navigator.clipboard.writeText(text);
    flash(button, 'Copied');
  } catch (e) {
    flash(button, 'Not copied: use Download or Reveal');
  }
}

function flash(button, text) {
  const original = button.dataset.label || button.textContent;
  button.dataset.label = original;
  button.textContent = text;
  setTimeout(() => { button.textContent = original; }, 1500);
}
