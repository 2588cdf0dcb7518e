import { initAll } from '/assets/govuk/govuk-frontend.min.js';

initAll();

/**
 * Warns a signed-in user before their session times out, as a modal dialog with a countdown, and
 * keeps them signed in if they ask. Without JavaScript the page says how long a session lasts, and
 * the dialog's forms still work as ordinary forms.
 */
function timeoutWarning(dialog) {
  const idle = Number(dialog.dataset.idleSeconds);
  const warn = Number(dialog.dataset.warnSeconds);
  if (!(idle > 0) || !(warn > 0) || typeof dialog.showModal !== 'function') return;
  const countdown = dialog.querySelector('.cairn-timeout-countdown');
  const status = dialog.querySelector('.cairn-timeout-status');
  const keepAlive = dialog.querySelector('.cairn-timeout-keep-alive');
  const signOut = dialog.querySelector('.cairn-timeout-sign-out');
  let warnTimer = 0;
  let tick = 0;
  let deadline = 0;
  let opener = null;

  const words = (seconds) => {
    if (seconds >= 60) {
      const minutes = Math.ceil(seconds / 60);
      return `${minutes} ${minutes === 1 ? 'minute' : 'minutes'}`;
    }
    const rounded = Math.max(0, Math.ceil(seconds / 10) * 10) || seconds;
    return `${rounded} ${rounded === 1 ? 'second' : 'seconds'}`;
  };
  const update = () => {
    const left = Math.max(0, Math.round((deadline - Date.now()) / 1000));
    countdown.textContent = words(left);
    if (left % 30 === 0 || left <= 10) status.textContent = `We will sign you out in ${words(left)}.`;
    if (left === 0) {
      window.clearInterval(tick);
      signOut.closest('form').submit();
    }
  };
  const open = () => {
    opener = document.activeElement;
    deadline = Date.now() + warn * 1000;
    update();
    dialog.showModal();
    tick = window.setInterval(update, 1000);
  };
  const start = () => {
    window.clearTimeout(warnTimer);
    window.clearInterval(tick);
    warnTimer = window.setTimeout(open, (idle - warn) * 1000);
  };
  keepAlive.addEventListener('submit', async (event) => {
    event.preventDefault();
    const response = await fetch(keepAlive.action, { method: 'POST', body: new URLSearchParams(new FormData(keepAlive)), headers: { accept: 'application/json' }, credentials: 'same-origin' });
    if (!response.ok) {
      keepAlive.submit();
      return;
    }
    dialog.close();
    if (opener && typeof opener.focus === 'function') opener.focus();
    start();
  });
  dialog.addEventListener('cancel', (event) => {
    // Escape means "stay signed in", as the main button does.
    event.preventDefault();
    keepAlive.requestSubmit();
  });
  start();
}

const dialog = document.getElementById('timeout-warning');
if (dialog) timeoutWarning(dialog);
