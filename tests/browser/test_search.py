"""Search works, and its index and worker are fetched only when the reader first uses it.

overrides/assets/javascripts/lazy-search-index.js holds Material's request for
search/search_index.json and its search worker back until the search box gets focus, so a
first visit does not load the site's largest files for nothing.
"""

import re

SEARCH_FILES = re.compile(r"search/search_index\.json|workers/search\.[^/]*\.js")


def index_requests(page) -> list[str]:
    """The requests for the search index and the search worker, as they happen."""
    requested = []
    page.on("request", lambda request: requested.append(request.url) if SEARCH_FILES.search(request.url) else None)
    return requested


def test_the_index_waits_for_the_search_box_and_then_search_finds_pages(page):
    requested = index_requests(page)
    page.goto("")
    page.quiet()  # every request of the page has started and finished
    assert requested == [], "the search index or worker was fetched before anyone searched"
    page.locator("[data-md-component=search-query]").click()  # the page is wide: the box shows
    page.keyboard.type("forget gate")
    results = page.locator(".md-search-result__item")
    results.first.wait_for(timeout=10_000)
    assert len(requested) == 2
    assert results.count() > 0
    assert "forget" in results.first.inner_text().lower()
    page.quiet()
    assert page.problems == []


def test_an_address_with_a_search_fetches_the_index_at_once(page):
    requested = index_requests(page)
    page.goto("?q=turnstile")
    page.locator(".md-search-result__item").first.wait_for(timeout=10_000)
    assert len(requested) == 2
    page.quiet()
    assert page.problems == []
