"""``mkdocs serve --dirty`` made exact, and fast: what one serve keeps between rebuilds.

Under ``scripts/serve`` a save rebuilds only the pages whose source changed (MkDocs'
``--dirty``), so a prose edit shows in the browser in well under a second; `PartialServe`
makes that partial build give the same files as a full one, and `MemoryBytecodeCache` keeps
Material's compiled templates between rebuilds. The MkDocs hook calls them; ``mkdocs build``
never uses them.
"""

from __future__ import annotations

import copy
import hashlib
import logging
import os
import re
from collections import defaultdict
from pathlib import Path

import jinja2
from mkdocs.utils import clean_directory, write_file


class MemoryBytecodeCache(jinja2.BytecodeCache):
    """Compiled Jinja templates kept in memory between the rebuilds of one ``mkdocs serve``.

    MkDocs makes a new template environment for every build, so each rebuild would compile
    Material's templates again (about a fifth of a second); Jinja checks each template's
    source against the kept code (by checksum), so an edited template is compiled afresh.
    """

    def __init__(self):
        self.code: dict[str, bytes] = {}

    def load_bytecode(self, bucket):
        if bucket.key in self.code:
            bucket.bytecode_from_string(self.code[bucket.key])

    def dump_bytecode(self, bucket):
        self.code[bucket.key] = bucket.bytecode_to_string()


def outside_inputs() -> list[Path]:
    """Files outside the package, ``docs/`` and the watched folders that pages are made from:
    the benchmark's record (which "How this site is built" quotes) and KaTeX's ``package.json``
    (its version, which the rendered math depends on)."""
    from lstm_explainer.sitegen import build_numbers, katex

    paths = [build_numbers.RECORD]
    try:
        paths.append(katex.katex_dir() / "package.json")
    except RuntimeError:  # not installed: the build says so when a page has math
        pass
    return paths


def code_stamp() -> str:
    """A hash of the code and data the pages are computed from: the package as it would be
    imported (`lstm_explainer.disk_cache.package_hash`, and its files other than Python) and
    `outside_inputs`. Under serve, the hook re-imports the package when this changes (the
    package keeps computed numbers in memory), and `PartialServe` then builds every page."""
    from lstm_explainer.disk_cache import PACKAGE_DIR, package_hash

    digest = hashlib.sha256(package_hash().encode())
    data = (p for p in PACKAGE_DIR.rglob("*") if p.suffix != ".py" and "__pycache__" not in p.parts and p.is_file())
    for path in [*sorted(data), *outside_inputs()]:
        content = path.read_bytes() if path.is_file() else b"(missing)"
        digest.update(f"{path}\0".encode() + content + b"\0")
    return digest.hexdigest()


class PartialServe:
    """What one ``mkdocs serve --dirty`` keeps between rebuilds, so that a rebuild of only the
    pages whose source changed writes the same files as a full build.

    Guaranteed: after each successful build, every file of the site is byte for byte what
    ``mkdocs build`` makes from the sources as that build read them (search index included).
    A source saved while a build runs, after MkDocs read it, is rebuilt by the next build (which
    the save starts), whatever the files' times say.

    A build is full (every page read and written) when:

    * it is the first, or the last one failed;
    * `stamp_of` differs from the last successful build's: ``mkdocs.yml``; the files of the
      watched folders, of the theme overrides and of the snippets' folders; the names of the
      files under ``docs/`` (one added, removed or renamed); `code_stamp` as the hook took it
      when it decided whether to import the package afresh: the imported package's files (by
      `lstm_explainer.disk_cache.package_hash` for its code), the benchmark's record and KaTeX's
      ``package.json`` (`outside_inputs`). The site folder is then emptied first;
    * a changed page has API docs or cross-references (`NEEDS_EVERY_PAGE`), which render from
      the other pages (and mkdocstrings' `KEPT_FILES` are written from them);
    * a rebuilt page's title or front matter came out different from the build that made it
      (other pages' navigation shows them), or its anchors did while some page has a
      cross-reference (`CROSS_REFERENCE`): found once the changed pages are rendered, the
      other pages are then read and written in the same build (`between`);
    * the site has a search plugin other than Material's.

    Anything else stays partial: the body of a page (the start page and section index pages
    too, and several pages at once), a file of ``docs/`` that is no page. MkDocs' dirty build
    alone is wrong in ways handled here: it rebuilds a source only if it is newer than its
    output, so each source of ``docs/`` is hashed before MkDocs reads it, and one that differs
    from what the build that last read it found has its output deleted (`sources`); a skipped
    page has no title, metadata or anchors, which the rebuilt pages' navigation and the anchor
    check read, so they are kept from the build that made it (`pages`); Material's search merges
    a rebuilt page's entries into the last index by address prefix (the start page's address,
    "", is a prefix of all), so each page's entries are kept (`search`) and the index is written
    page by page as a full build writes it (`after`); plugin files written from the rendered
    pages (`KEPT_FILES`) keep the last full build's bytes; MkDocs' warning that a dirty build
    is inaccurate, which ``--strict`` would count, is dropped.

    Not covered: a file the pages are made from that none of the above names (add it to
    `outside_inputs`), a save of ``mkdocs.yml`` in the milliseconds between MkDocs loading it and
    the hook hashing it, and installed packages (restart the serve).
    """

    KEPT_FILES = ("assets/_mkdocstrings.css", "objects.inv")
    NOTICE = "A 'dirty' build is being performed"
    # What a page renders from the other pages: API docs (mkdocstrings writes its stylesheet and
    # inventory from them) and [title][identifier] cross-references (autorefs resolves them
    # against every page's headings). A changed page with either makes the build full; so does
    # a rebuilt page whose anchors changed, when any page has a cross-reference.
    CROSS_REFERENCE = re.compile(r"\]\[[^\]\n]*\]")
    NEEDS_EVERY_PAGE = re.compile(r"^\s*::: |" + CROSS_REFERENCE.pattern, flags=re.M)
    SEARCH_INDEX = "search/search_index.json"

    def __init__(self):
        self.enabled = False
        self.stamp: str | None = None  # of the last successful build
        self.pending: str | None = None  # of the build under way
        self.full = True  # whether the build under way builds every page
        self.pages: dict[str, dict] = {}  # src_uri -> what other pages read of it
        self.sources: dict[str, str] = {}  # src_uri -> hash of a docs/ file, as the build that read it found it
        self.pending_sources: dict[str, str] = {}  # the same, taken by the build under way
        self.cross_references = False  # whether a page of the build under way has one
        self.search: dict[str, list] = {}  # page address -> its search entries, from the build that made it
        self.order: list[str] = []  # the pages' addresses, in the order a build writes them
        self.rendered: set[str] = set()  # the addresses of the pages the build under way renders
        self.kept: dict[str, bytes] = {}  # site path -> bytes of KEPT_FILES from the last full build

    def filter(self, record: logging.LogRecord) -> bool:
        """A logging filter: drop MkDocs' notice that a dirty build is inaccurate (made exact here)."""
        return not record.getMessage().startswith(self.NOTICE)

    def start(self, command: str, dirty: bool) -> None:
        self.enabled = command == "serve" and dirty
        if self.enabled:
            logging.getLogger("mkdocs.commands.build").addFilter(self.filter)

    def stamp_of(self, config, code: str) -> str:
        """A hash of everything a page's HTML depends on but the source of its own body (and the
        titles and front matter of the pages, which `between` compares once rendered); ``code``
        is `code_stamp` as the hook took it before importing the package."""
        digest = hashlib.sha256(Path(config.config_file_path).read_bytes())
        digest.update(f"\0{code}\0".encode())
        folders = list(config.watch)
        if config.theme.custom_dir:
            folders.append(config.theme.custom_dir)
        snippets = config.mdx_configs.get("pymdownx.snippets", {}).get("base_path", [])  # "." is no folder of snippets
        folders += [p for p in ([snippets] if isinstance(snippets, str) else snippets) if Path(p).resolve() != Path.cwd()]
        seen = set()
        for folder in map(Path, folders):
            if folder.resolve() in seen or not folder.exists():
                continue
            seen.add(folder.resolve())
            paths = [folder] if folder.is_file() else sorted(folder.rglob("*"))
            for path in (p for p in paths if p.is_file() and "__pycache__" not in p.parts):
                digest.update(f"{path}\0".encode() + path.read_bytes() + b"\0")
        docs = Path(config.docs_dir)
        for path in sorted(p for p in docs.rglob("*") if p.is_file()):
            digest.update(f"{path.relative_to(docs).as_posix()}\0".encode())
        return digest.hexdigest()

    @staticmethod
    def search_plugin(config):
        """Material's search plugin, if the site uses it; ``False`` for another search plugin,
        whose index a partial build would leave wrong (every build is then full)."""
        for name, plugin in config.plugins.items():
            if type(plugin).__module__.startswith("material.plugins.search"):
                if not plugin.config.enabled:
                    return None
                usable = all(hasattr(plugin, a) for a in ("search_index", "search_index_prev"))
                return plugin if usable else False
            if "search" in name:
                return False
        return None

    def before_pages(self, config, files, code: str) -> None:
        """Decide whether this build is full (and then empty the site folder) or partial; in a
        partial one, make MkDocs rebuild every source that changed since the build that read it."""
        self.pending = self.stamp_of(config, code)
        docs = os.path.join(os.path.abspath(config.docs_dir), "")
        sources = [f for f in files if f.generated_by is None and (f.abs_src_path or "").startswith(docs)]
        content = {f.src_uri: Path(f.abs_src_path).read_bytes() for f in sources}
        self.pending_sources = {uri: hashlib.sha256(data).hexdigest() for uri, data in content.items()}
        self.cross_references = any(
            self.CROSS_REFERENCE.search(content[f.src_uri].decode("utf-8", "replace"))
            for f in sources
            if f.is_documentation_page() and f.src_uri.endswith(".md")
        )
        changed = []
        for file in sources:
            if self.sources.get(file.src_uri) != self.pending_sources[file.src_uri]:
                if not file.is_modified():  # saved while the build that read it was writing it
                    os.remove(file.abs_dest_path)
                changed.append(file)
            elif file.is_modified():
                changed.append(file)
        search = self.search_plugin(config)
        self.full = (
            self.pending != self.stamp
            or search is False
            or any(
                self.NEEDS_EVERY_PAGE.search(content[f.src_uri].decode("utf-8", "replace"))
                for f in changed
                if f.is_documentation_page() and f.src_uri.endswith(".md")
            )
        )
        if search:
            search.search_index_prev = None  # no merge: `after` writes the index
        if self.full:
            clean_directory(config.site_dir)

    def between(self, config, files) -> None:
        """After the pages are read and rendered: if a rebuilt page's title or front matter
        changed, read and render the others too (the build becomes full); keep what the
        rendered pages offer to the others, and give it back to the pages this build skipped."""
        from mkdocs.commands.build import _populate_page  # what the build runs for each page
        from mkdocs.structure.files import InclusionLevel

        def changed(page) -> bool:  # in what the other pages read of it
            kept = self.pages.get(page.file.src_uri)
            return kept is None or (page.title, page.meta) != kept["seen"] or (
                self.cross_references and page.present_anchor_ids != kept["anchors"]
            )

        pages = [f for f in files.documentation_pages(inclusion=InclusionLevel.is_in_serve) if f.page is not None]
        if not self.full and any(f.page.markdown is not None and changed(f.page) for f in pages):
            self.full = True
            for file in pages:
                if file.page.markdown is None:
                    _populate_page(file.page, config, files)
                if os.path.exists(file.abs_dest_path):  # so that the dirty build writes it
                    os.remove(file.abs_dest_path)
        self.order = [f.page.url for f in pages]
        self.rendered = set()
        for file in pages:
            page = file.page
            if page.markdown is not None:  # rendered by this build
                self.rendered.add(page.url)
                links = {to.src_uri: dict(anchors) for to, anchors in (page.links_to_anchors or {}).items()}
                self.pages[file.src_uri] = {"seen": copy.deepcopy((page.title, page.meta)), "links": links,
                                            "anchors": page.present_anchor_ids}  # fmt: skip
            elif file.src_uri in self.pages:  # skipped: as the build that made it left it
                kept = self.pages[file.src_uri]
                (page.title, page.meta), page.present_anchor_ids = copy.deepcopy(kept["seen"]), kept["anchors"]
                page.links_to_anchors = {files.get_file_from_path(uri): anchors for uri, anchors in kept["links"].items()
                                         if files.get_file_from_path(uri) is not None}  # fmt: skip

    def after(self, config) -> None:
        """A successful build (after every plugin's ``on_post_build``): write the search index
        from each page's entries, remember the build's stamp and sources, keep or put back
        `KEPT_FILES`."""
        search = self.search_plugin(config)
        if search:
            fresh = defaultdict(list)  # what this build's pages gave, page by page
            for entry in search.search_index.entries:
                fresh[entry["location"].partition("#")[0]].append(entry)
            if self.full:
                self.search = {}
            self.search.update({url: fresh[url] for url in self.rendered})
            search.search_index.entries = [entry for url in self.order for entry in self.search.get(url, [])]
            index = search.search_index.generate_search_index(None)
            write_file(index.encode("utf-8"), os.path.join(config.site_dir, *self.SEARCH_INDEX.split("/")))
        self.stamp = self.pending
        self.sources = self.pending_sources
        for name in self.KEPT_FILES:
            path = Path(config.site_dir, name)
            if self.full and path.is_file():
                self.kept[name] = path.read_bytes()
            elif not self.full and name in self.kept:
                path.write_bytes(self.kept[name])

    def failed(self) -> None:
        self.stamp = None
