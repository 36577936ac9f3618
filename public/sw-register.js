// Registers the service worker and tells the app (through window events) when a new version is
// ready or the app can be installed. The new version is applied only when the person asks.
(function () {
  'use strict';
  var state = (window.__cartobarrio = window.__cartobarrio || { updateReady: false, installable: false });
  function emit(name) { window.dispatchEvent(new CustomEvent(name)); }

  var deferredInstall = null;
  window.addEventListener('beforeinstallprompt', function (event) {
    event.preventDefault();
    deferredInstall = event;
    state.installable = true;
    emit('cartobarrio:installable');
  });
  window.addEventListener('cartobarrio:install', function () {
    if (!deferredInstall) return;
    deferredInstall.prompt();
    deferredInstall = null;
    state.installable = false;
    emit('cartobarrio:installable');
  });

  if (!('serviceWorker' in navigator)) return;
  var applying = false;
  navigator.serviceWorker.register('/sw.js', { scope: '/', updateViaCache: 'none' }).then(function (reg) {
    function ready() { state.updateReady = true; emit('cartobarrio:update-ready'); }
    if (reg.waiting && navigator.serviceWorker.controller) ready();
    reg.addEventListener('updatefound', function () {
      var worker = reg.installing;
      if (!worker) return;
      worker.addEventListener('statechange', function () {
        if (worker.state === 'installed' && navigator.serviceWorker.controller) ready();
      });
    });
    window.addEventListener('cartobarrio:apply-update', function () {
      if (!reg.waiting) return;
      applying = true;
      reg.waiting.postMessage({ type: 'SKIP_WAITING' });
    });
    function check() { reg.update().catch(function () {}); }
    window.addEventListener('online', check);
    setInterval(check, 30 * 60 * 1000);
  }).catch(function (err) { console.warn('service worker not registered', err); });
  navigator.serviceWorker.addEventListener('controllerchange', function () {
    // Only a new version the person accepted reloads the page; the first install does not.
    if (applying) return window.location.reload();
    // The first install: this page came before the worker, so it is not kept yet. Ask for it,
    // so that reloading it with no signal (a participant who joined minutes ago) still works.
    var worker = navigator.serviceWorker.controller;
    if (worker) worker.postMessage({ type: 'KEEP_PAGE', path: window.location.pathname });
  });
})();
