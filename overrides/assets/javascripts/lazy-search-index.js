// Fetch the search index when the reader first uses search, not on every page view.
//
// Material's script requests search/search_index.json (an XMLHttpRequest) as soon as a page
// loads: on this site that is the largest file of a first visit. This script, loaded before
// Material's, holds that one request back until the search box gets focus (by click, tap or
// keyboard shortcut), or at once when the address asks for a search (?q=...). Material shows
// "Initializing search" for the moment the index takes to arrive.
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
