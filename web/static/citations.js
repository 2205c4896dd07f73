// Clicking a [n] in an answer scrolls the sources panel to the highlighted sentence n and flashes
// its card. For an earlier answer the same click also selects it (Chatbot.select), which redraws the
// panel; the script waits for the mark to appear. Registered once, from the panel's js_on_load.
if (!window.__notesCiteClicks) {
  window.__notesCiteClicks = true;
  document.addEventListener('click', (event) => {
    const link = event.target.closest ? event.target.closest('a.cite') : null;
    if (!link) return;
    event.preventDefault();
    const id = (link.getAttribute('href') || '').replace(/^#/, '');
    let tries = 0;
    const reveal = () => {
      const mark = document.getElementById(id);
      if (!mark) { if (tries++ < 50) setTimeout(reveal, 100); return; }
      const card = mark.closest('.source-card') || mark;
      mark.scrollIntoView({block: 'center', behavior: 'smooth'});
      card.classList.remove('flash'); void card.offsetWidth; card.classList.add('flash');
      setTimeout(() => card.classList.remove('flash'), 2000);
    };
    reveal();
  }, true);
}
