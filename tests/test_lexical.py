"""rag.lexical: the tokeniser keeps code tokens whole, BM25 is normalised per query, coverage counts asked words."""
from __future__ import annotations

import numpy as np
import pytest

from rag.lexical import BM25, LexicalIndex, code_tokens, file_words, tokenize


@pytest.mark.parametrize(
    "text,whole",
    [
        ("Skip the hooks with git commit --no-verify.", "--no-verify"),
        ("git config --global init.defaultBranch main", "init.defaultbranch"),
        ("Run :g/binding\\.pry/d to delete them", ":g/binding\\.pry/d"),
        ("What does :g/ do?", ":g/"),
        ("query pg_stat_activity for locks", "pg_stat_activity"),
        ("Is C++ faster?", "c++"),
        ("pin node@18 in CI", "node@18"),
        ("git log --format=short", "--format=short"),
    ],
)
def test_code_tokens_are_kept_whole(text, whole):
    assert whole in tokenize(text)
    assert whole in code_tokens(text)


def test_code_tokens_also_give_their_words_and_commands():
    tokens = tokenize("git config --global init.defaultBranch main")
    assert {"init", "defaultbranch", "default", "branch", "global"} <= set(tokens)  # a plain-words question still matches
    assert ":g/" in tokenize(":g/binding\\.pry/d")  # the command of an editor command with its argument
    assert "--format" in tokenize("--format=short")


def test_plain_words_are_folded_and_stop_words_dropped():
    assert tokenize("How do I delete the branches?") == ["delete", "branch"]
    assert tokenize("hooks tries boxes class") == ["hook", "try", "box", "class"]
    assert tokenize("GANs") == ["gan"]  # an acronym's plural, not camelCase
    assert tokenize("useState XMLHttpRequest") == ["usestate", "state", "xmlhttprequest", "xml", "http", "request"]
    assert tokenize("the end.") == ["end"]  # sentence punctuation is not a code token
    assert code_tokens("A plain sentence, nothing else.") == []


def test_file_words():
    assert file_words("git/set-default-branch-name-for-new-repos.md") == "git set default branch name for new repos"
    assert file_words("notes.md") == "notes"


def test_bm25_prefers_rare_words_and_normalises_by_the_query():
    docs = [tokenize(t) for t in ["git branch delete", "git branch list", "git stash pop", "vim delete lines"]]
    bm25 = BM25(docs, 1.2, 0.75)
    scores = bm25.scores(["stash"])
    assert scores.argmax() == 2 and scores[[0, 1, 3]].max() == 0
    # a word every document has adds almost nothing; one no document has lowers the normalised score
    assert bm25.scores(["git"]).max() < 0.3 * bm25.scores(["stash"]).max()
    assert bm25.normalized(["stash", "unknownword"])[2] < bm25.normalized(["stash"])[2]
    assert 0.5 < bm25.normalized(["stash"])[2] <= 1.5


def test_lexical_index_weighs_fields_and_covers_words():
    fields = {
        "text": ["Use :g with d to delete matching lines.", "Use :g/^/+d to delete every other line."],
        "heading": ["Delete Lines That Match A Pattern", "Delete Every Other Line"],
        "file": [file_words("vim/delete-lines-that-match-a-pattern.md"), file_words("vim/delete-every-other-line.md")],
    }
    index = LexicalIndex(fields, {"text": 1.0, "heading": 1.0, "file": 1.0})
    scores = index.scores("delete lines matching a pattern")
    assert scores[0] > scores[1] > 0
    assert index.coverage("delete pattern", [0])[0] == pytest.approx(1.0)
    assert 0 < index.coverage("delete pattern", [1])[0] < 1  # has 'delete', not the rarer 'pattern'
    assert np.all(index.scores("kubernetes") == 0) and index.coverage("", [0]).tolist() == [0.0]
    heading_only = LexicalIndex(fields, {"heading": 1.0})
    assert heading_only.scores("every other")[1] > 0 and heading_only.scores("every other")[0] == 0


def test_a_word_is_the_same_typed_with_or_without_its_accents():
    # a roaster's note on "Sítio Pedra Alta", asked for as a keyboard without accents types it
    assert tokenize("Brazil — Sítio Pedra Alta") == tokenize("brazil sitio pedra alta")
    assert tokenize("Straße in Zürich, Ørsted") == ["strasse", "zurich", "orsted"]
    assert "rich" not in tokenize("Zürich")  # an accented letter does not cut a word in two
    index = LexicalIndex({"text": ["Brazil — Sítio Pedra Alta: natural, patio dried.", "Colombia — Finca La Orilla: washed."]}, {"text": 1.0})
    scores = index.scores("what process is the sitio pedra alta lot")
    assert scores[0] > 0 and scores[1] == 0
