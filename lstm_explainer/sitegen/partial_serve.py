"""``mkdocs serve --dirty`` made exact, and fast: what one serve keeps between rebuilds.

Under ``scripts/serve`` a save rebuilds only the pages whose Markdown changed (MkDocs'
``--dirty``), so a prose edit shows in the browser in well under a second; `PartialServe`
makes that partial build give the same pages as a full one, and `MemoryBytecodeCache` keeps
Material's compiled templates between rebuilds. The MkDocs hook calls them; ``mkdocs build``
never uses them.
"""

from __future__ import annotations

import hashlib
import logging
import re
from pathlib import Path

import jinja2
from mkdocs.utils import clean_directory
from mkdocs.utils.meta import get_data


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


class PartialServe:
    """What one ``mkdocs serve --dirty`` keeps between rebuilds, so that a rebuild of only the
    pages whose Markdown changed gives the same files as a full build (in that serve).

    MkDocs' dirty build skips every page whose source is older than its built HTML. Alone it
    would be wrong in four ways, each handled here:

    * it knows nothing of what else a page depends on: `stamp` hashes all that (the watched
      folders, ``mkdocs.yml``, the theme overrides, the list of files under ``docs/`` and each
      page's front matter and first-level headings, which other pages' navigation shows), and
      when it differs from the last successful build, the site folder is emptied, so every page
      is built (a failed build makes the next one full too);
    * a skipped page has no title, metadata or anchors, which the rebuilt pages' navigation and
      the anchor check read: they are kept from the build that made that page (`pages`);
    * plugins write some files from the pages they rendered (mkdocstrings' stylesheet and
      inventory): a partial build would write them empty, so they keep the last full build's
      bytes (`KEPT_FILES`), and a changed page that needs the others (API docs, cross-references:
      `NEEDS_EVERY_PAGE`) makes the build full;
    * it logs a warning on every build, which ``--strict`` counts: that one is dropped.

    Material's search plugin already merges a rebuilt page's entries into the kept index.
    """

    KEPT_FILES = ("assets/_mkdocstrings.css", "objects.inv")
    NOTICE = "A 'dirty' build is being performed"
    # What a page renders from the other pages: API docs (mkdocstrings writes its stylesheet and
    # inventory from them) and [title][identifier] cross-references (autorefs resolves them
    # against every page). A changed page with either makes the build full.
    NEEDS_EVERY_PAGE = re.compile(r"^\s*::: |\]\[[^\]\n]*\]", flags=re.M)

    def __init__(self):
        self.enabled = False
        self.stamp: str | None = None  # of the last successful build
        self.pending: str | None = None  # of the build under way
        self.full = True  # whether the build under way builds every page
        self.pages: dict[str, dict] = {}  # src_uri -> what other pages read of it
        self.kept: dict[str, bytes] = {}  # site path -> bytes of KEPT_FILES from the last full build

    def filter(self, record: logging.LogRecord) -> bool:
        """A logging filter: drop MkDocs' notice that a dirty build is inaccurate (made exact here)."""
        return not record.getMessage().startswith(self.NOTICE)

    def start(self, command: str, dirty: bool) -> None:
        self.enabled = command == "serve" and dirty
        if self.enabled:
            logging.getLogger("mkdocs.commands.build").addFilter(self.filter)

    def stamp_of(self, config) -> str:
        """A hash of everything a page's HTML depends on but the Markdown of its own body."""
        digest = hashlib.sha256(Path(config.config_file_path).read_bytes())
        folders = [*config.watch]
        if config.theme.custom_dir:
            folders.append(config.theme.custom_dir)
        for folder in map(Path, folders):
            for path in sorted(p for p in folder.rglob("*") if p.is_file() and "__pycache__" not in p.parts):
                digest.update(f"{path}\0".encode() + path.read_bytes() + b"\0")
        docs = Path(config.docs_dir)
        for path in sorted(p for p in docs.rglob("*") if p.is_file()):
            digest.update(f"{path.relative_to(docs).as_posix()}\0".encode())
            if path.suffix == ".md":
                body, meta = get_data(path.read_text(encoding="utf-8-sig"))
                headings = re.findall(r"^#[ \t].*$|^[^\n]*\n=+[ \t]*$", body, flags=re.M)
                digest.update(repr((sorted(meta.items()), headings)).encode() + b"\0")
        return digest.hexdigest()

    def before_pages(self, config, files) -> None:
        """Decide whether this build is full (and then empty the site folder) or partial."""
        self.pending = self.stamp_of(config)
        changed = [f for f in files.documentation_pages() if f.src_uri.endswith(".md") and f.is_modified()]
        self.full = self.pending != self.stamp or any(
            self.NEEDS_EVERY_PAGE.search(Path(f.abs_src_path).read_text(encoding="utf-8")) for f in changed
        )
        if self.full:
            clean_directory(config.site_dir)

    def between(self, files) -> None:
        """After the pages are read and rendered: keep what the rendered pages offer to the
        others, and give it back to the pages this build skipped."""
        for file in files.documentation_pages():
            page = file.page
            if page is None:
                continue
            if page.markdown is not None:  # rendered by this build
                links = {to.src_uri: dict(anchors) for to, anchors in (page.links_to_anchors or {}).items()}
                self.pages[file.src_uri] = {"title": page.title, "meta": page.meta, "links": links,
                                            "anchors": page.present_anchor_ids}  # fmt: skip
            elif file.src_uri in self.pages:  # skipped: as the build that made it left it
                kept = self.pages[file.src_uri]
                page.title, page.meta, page.present_anchor_ids = kept["title"], kept["meta"], kept["anchors"]
                page.links_to_anchors = {files.get_file_from_path(uri): anchors for uri, anchors in kept["links"].items()
                                         if files.get_file_from_path(uri) is not None}  # fmt: skip

    def after(self, config) -> None:
        """A successful build: remember its stamp; keep or put back `KEPT_FILES`."""
        self.stamp = self.pending
        for name in self.KEPT_FILES:
            path = Path(config.site_dir, name)
            if self.full and path.is_file():
                self.kept[name] = path.read_bytes()
            elif not self.full and name in self.kept:
                path.write_bytes(self.kept[name])

    def failed(self) -> None:
        self.stamp = None
