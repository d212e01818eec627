// Fetch the search index and start the search worker when the reader first uses search, not
// on every page view.
//
// Material's script requests search/search_index.json (an XMLHttpRequest) and starts its
// search worker as soon as a page loads: together the largest part of a first visit. This
// script, loaded before Material's, holds both back until the search box gets focus (by click,
// tap or keyboard shortcut), or starts them at once when the address asks for a search
// (?q=...). Until then Material talks to a stand-in worker that queues its messages. Material
// shows "Initializing search" for the moment the index takes to arrive.
(function () {
  "use strict";
  var send = XMLHttpRequest.prototype.send;
  var open = XMLHttpRequest.prototype.open;
  var waiting = [];
  var wanted = /[?&]q=/.test(location.search);

  function release() {
    wanted = true;
    waiting.splice(0).forEach(function (go) { go(); });
  }

  function capture(options) {
    return Boolean(typeof options === "object" && options !== null ? options.capture : options);
  }

  // The stand-in for Material's search worker: listeners and messages wait for release().
  var RealWorker = window.Worker;
  window.Worker = function (url, options) {
    if (wanted || !/\/workers\/search\.[^/]*\.js/.test(String(url))) return new RealWorker(url, options);
    var listeners = [], messages = [], real = null, terminated = false;
    var stand_in = {
      addEventListener: function () { real ? real.addEventListener.apply(real, arguments) : listeners.push(arguments); },
      removeEventListener: function (type, listener, options) {
        if (real) return real.removeEventListener.apply(real, arguments);
        // as the DOM does: the same type, listener and capture flag
        listeners = listeners.filter(function (args) {
          return !(args[0] === type && args[1] === listener && capture(args[2]) === capture(options));
        });
      },
      postMessage: function () {
        if (real) real.postMessage.apply(real, arguments);
        else if (!terminated) messages.push(arguments);
      },
      terminate: function () {
        terminated = true;  // a worker ended before release() never starts
        listeners = [];
        messages = [];
        if (real) real.terminate();
      }
    };
    waiting.push(function () {
      if (terminated) return;
      real = new RealWorker(url, options);
      listeners.forEach(function (args) { real.addEventListener.apply(real, args); });
      messages.forEach(function (args) { real.postMessage.apply(real, args); });
    });
    return stand_in;
  };

  XMLHttpRequest.prototype.open = function (method, url) {
    this.lazySearchIndex = /\/search\/search_index\.json$/.test(String(url));
    return open.apply(this, arguments);
  };
  XMLHttpRequest.prototype.send = function () {
    var request = this, args = arguments;
    if (!request.lazySearchIndex || wanted) return send.apply(request, args);
    waiting.push(function () { send.apply(request, args); });
  };

  document.addEventListener("focusin", function (event) {
    if (event.target.matches && event.target.matches("[data-md-component=search-query]")) release();
  });
  document.addEventListener("change", function (event) {
    if (event.target.id === "__search" && event.target.checked) release();  // the search toggle
  });
})();
