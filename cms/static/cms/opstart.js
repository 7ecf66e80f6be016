// Starts DKFDS's behaviour (menus, accordions, character counters) on every page.
if (window.DKFDS) {
  window.DKFDS.init();
}
