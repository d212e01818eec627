"""The character corpus: the committed text against its manifest, the split by file, the vocabulary."""

import hashlib
import importlib.machinery
import importlib.util
import json
import string
import sys
from pathlib import Path

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

from lstm_explainer import char_corpus as cc
from lstm_explainer.checks import InputError

ROOT = Path(__file__).resolve().parents[1]


def make_corpus_module():
    path = ROOT / "scripts" / "make-corpus"
    loader = importlib.machinery.SourceFileLoader("make_corpus", str(path))
    module = importlib.util.module_from_spec(importlib.util.spec_from_loader("make_corpus", loader))
    loader.exec_module(module)
    return module


def test_vocabulary_is_newline_printable_ascii_and_other():
    assert len(cc.VOCAB) == 97 == len(set(cc.VOCAB))
    assert cc.VOCAB[0] == "\n" and cc.VOCAB[-1] == cc.OTHER == "\u00a4"
    assert cc.VOCAB[1:-1] == "".join(chr(c) for c in range(32, 127))
    assert set(cc.VOCAB[1:-1]) | {"\n", "\t", "\r", "\x0b", "\x0c"} == set(string.printable)


def test_encode_maps_every_other_character_to_other():
    other = cc.VOCAB.index(cc.OTHER)
    assert cc.encode("a\tb\r\né€😀\x00\x7f").tolist() == [66, other, 67, other, 0, other, other, other, other, other]
    assert cc.encode("").dtype == np.int64 and cc.encode("").shape == (0,)


@given(st.text(alphabet=st.characters(min_codepoint=32, max_codepoint=126) | st.just("\n")))
def test_decode_inverts_encode_on_the_vocabulary(text):
    assert cc.decode(cc.encode(text)) == text


@given(st.text())
def test_encode_gives_an_index_per_character(text):
    codes = cc.encode(text)
    assert len(codes) == len(text) and (codes >= 0).all() and (codes < 97).all()
    assert cc.decode(codes) == "".join(ch if ch in cc.VOCAB else cc.OTHER for ch in text)


def test_bad_input_gets_one_sentence():
    with pytest.raises(InputError, match="string"):
        cc.encode(b"bytes")
    with pytest.raises(InputError, match="0 to 96"):
        cc.decode([97])
    with pytest.raises(InputError, match="split"):
        cc.split_text("dev")


def test_corpus_matches_its_manifest():
    manifest, corpus = cc.manifest(), cc.corpus()
    assert manifest["python"].startswith("3.11.")
    listed = {s: [(f["path"], f["size"], f["sha256"]) for f in manifest["files"] if f["split"] == s] for s in cc.SPLITS}
    for split in cc.SPLITS:
        got = [(path, len(text.encode()), hashlib.sha256(text.encode()).hexdigest()) for path, text in corpus[split]]
        assert got == listed[split]
        assert manifest["splits"][split] == {"files": len(got), "bytes": sum(size for _, size, _ in got)}


def test_split_is_by_file_fixed_and_of_the_planned_size():
    corpus = cc.corpus()
    paths = {s: {p for p, _ in corpus[s]} for s in cc.SPLITS}
    assert not paths["train"] & paths["validation"] and not paths["train"] & paths["test"]
    assert not paths["validation"] & paths["test"]
    sizes = {s: sum(len(t.encode()) for _, t in corpus[s]) for s in cc.SPLITS}
    assert 2_300_000 <= sizes["train"] < 2_340_000
    assert 280_000 <= sizes["validation"] < 320_000 and 280_000 <= sizes["test"] < 320_000
    assert not any(p.split("/")[0] in {"idlelib", "lib2to3", "encodings", "distutils"} or "/test" in "/" + p for s in paths.values() for p in s)


def test_committed_data_ships_with_the_package():
    assert (cc.DATA / "LICENSE-PSF.txt").read_text().count("PYTHON SOFTWARE FOUNDATION LICENSE VERSION 2") == 1
    assert (cc.DATA / "corpus.xz").stat().st_size < 700_000
    pyproject = (ROOT / "pyproject.toml").read_text()
    assert '"data/stdlib/*"' in pyproject or "data/stdlib/*" in pyproject


def test_make_corpus_selects_the_committed_files_from_this_python():
    """The selection rule, run on this interpreter's standard library, gives the committed corpus
    (if this Python is the one it was made from; another 3.11 release may differ, and is skipped)."""
    if sys.version_info[:2] != (3, 11) or sys.version.split()[0] != cc.manifest()["python"]:
        pytest.skip(f"the corpus comes from Python {cc.manifest()['python']}; this is {sys.version.split()[0]}")
    module = make_corpus_module()
    _, manifest = module.build(Path(module.sysconfig.get_paths()["stdlib"]))
    assert manifest["files"] == cc.manifest()["files"]
    assert json.loads((cc.DATA / "manifest.json").read_text())["rule"] == module.RULE


def test_split_text_joins_the_files():
    assert cc.split_text("test") == "".join(t for _, t in cc.corpus()["test"])
    assert len(cc.digest()) == 64
